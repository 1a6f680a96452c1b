// The local backend of `baocao edit` (started by hooks/baocao/contribute/edit.py): Decap's
// own decap-server in its "fs" mode (its express middleware, unchanged), behind a guard that
// lets through only what the form on this PC needs.
//
// decap-server alone answers any Host and any local Origin, and reads and writes any file of
// the repository (hooks/, mkdocs.yml...): a web page the clerk visits could reach it by DNS
// rebinding, or by a request from another local site. The guard refuses, before decap-server
// sees the request:
// - a Host other than this server's own 127.0.0.1:<port>;
// - an Origin other than the form's own (http://127.0.0.1:<port of the site>), or none;
// - any action but reading and saving entries (no media, no deletion, no renaming);
// - any path that does not match the pattern of the files the form shows
//   (baocao.contribute.cms.EDITABLE), or for writing the files of reports not issued
//   (cms.writable), or whose folder is reached through a symbolic link, or that is not a
//   plain file.
//
// Usage: node edit_backend.js <decap-server's dist/index.js>
// Environment (set by edit.py): PORT, GIT_REPO_DIRECTORY, BAOCAO_FORM_ORIGIN, BAOCAO_READABLE,
// BAOCAO_WRITABLE.
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const serverScript = path.resolve(process.argv[2] || '');
const fromServer = createRequire(serverScript);
const express = fromServer('express');
const { registerLocalFs } = fromServer('./middlewares.js');

const HOST = '127.0.0.1';
const port = Number.parseInt(process.env.PORT || '', 10);
const ownHost = `${HOST}:${port}`;
const formOrigin = process.env.BAOCAO_FORM_ORIGIN || '';
const readable = new RegExp(process.env.BAOCAO_READABLE || '^(?!)$');
const writable = new RegExp(process.env.BAOCAO_WRITABLE || '^(?!)$');
const repo = fs.realpathSync(process.env.GIT_REPO_DIRECTORY || process.cwd());
// At most what a content file may weigh (512 KB), with room for the JSON around it.
const BODY_LIMIT = '2mb';

const READS = new Set(['info', 'entriesByFiles', 'getEntry', 'getDeployPreview']);
const WRITES = new Set(['persistEntry']);

/** Why ``rel`` may not be read (or written, when ``write``), or null when it may. */
function refusal(rel, write) {
  if (typeof rel !== 'string' || !readable.test(rel)) return `tệp \`${String(rel).slice(0, 200)}\` không thuộc biểu mẫu`;
  if (write && !writable.test(rel)) return `tệp \`${rel}\` thuộc báo cáo đã ban hành: chỉ xem`;
  const folder = path.join(repo, path.dirname(rel));
  let real;
  try {
    real = fs.realpathSync(folder);
  } catch (e) {
    return `không có thư mục \`${path.dirname(rel)}\``;
  }
  if (real !== folder) return `thư mục của \`${rel}\` đi qua một liên kết`;
  try {
    if (!fs.lstatSync(path.join(repo, rel)).isFile()) return `\`${rel}\` không phải tệp thường`;
  } catch (e) {
    return `không có tệp \`${rel}\``;
  }
  return null;
}

function paths(body) {
  const params = body.params || {};
  switch (body.action) {
    case 'entriesByFiles':
      return Array.isArray(params.files) ? params.files.map(f => f && f.path) : [undefined];
    case 'getEntry':
      return [params.path];
    case 'persistEntry': {
      const files = params.dataFiles || [params.entry];
      return Array.isArray(files) ? files.map(f => f && f.path) : [undefined];
    }
    default:
      return [];
  }
}

function refuse(res, status, why) {
  res.status(status).json({ error: `Máy chủ biểu mẫu từ chối: ${why}.` });
}

/** Headers that let the form's page read an answer of this guard (decap-server's own CORS
 * middleware comes after it). */
function allowForm(res) {
  res.set({ 'Access-Control-Allow-Origin': formOrigin, Vary: 'Origin' });
}

/** Before anything is read: only this server's own address, only from the form's page. */
function guardSender(req, res, next) {
  if (req.headers.host !== ownHost) return refuse(res, 421, 'địa chỉ máy chủ lạ');
  if (req.headers.origin !== formOrigin) return refuse(res, 403, 'yêu cầu không đến từ biểu mẫu');
  allowForm(res);
  if (req.method === 'OPTIONS') return next(); // the CORS preflight, answered by decap-server
  if (req.method !== 'POST' || req.path !== '/api/v1' || !req.is('application/json')) {
    return refuse(res, 404, 'yêu cầu lạ');
  }
  return next();
}

/** What the request asks: reading or saving the files the form edits, nothing else. */
function guardRequest(req, res, next) {
  if (req.method === 'OPTIONS') return next();
  const no = (status, why) => refuse(res, status, why);
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return no(400, 'yêu cầu lạ');
  const { action } = req.body;
  // The form has no media (no file or image field); Decap still asks for the media folder's
  // files when it opens an entry: there are none.
  if (action === 'getMedia') return res.json([]);
  if (!READS.has(action) && !WRITES.has(action)) return no(403, `biểu mẫu không làm việc \`${String(action).slice(0, 60)}\``);
  if (action === 'persistEntry') {
    const params = req.body.params || {};
    const files = params.dataFiles || [params.entry];
    if (!Array.isArray(params.assets) || params.assets.length) return no(403, 'biểu mẫu không nhận tệp đính kèm');
    if (!Array.isArray(files) || files.some(f => !f || f.newPath !== undefined)) {
      return no(403, 'biểu mẫu không đổi tên tệp');
    }
  }
  for (const rel of paths(req.body)) {
    const why = refusal(rel, WRITES.has(action));
    if (why) return no(403, why);
  }
  return next();
}

(async () => {
  if (!Number.isInteger(port) || port <= 0 || !formOrigin) {
    console.error('edit_backend.js: PORT and BAOCAO_FORM_ORIGIN must be set');
    process.exit(2);
  }
  process.env.ORIGIN = formOrigin; // decap-server's CORS answers the form's origin only
  process.env.GIT_REPO_DIRECTORY = repo;
  const app = express();
  app.disable('x-powered-by');
  app.use(guardSender);
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(guardRequest);
  await registerLocalFs(app, { logLevel: process.env.LOG_LEVEL || 'warn' });
  // A body that is not JSON, or too large: a short answer, never express's page with a stack.
  app.use((error, req, res, next) => refuse(res, error.status || 400, 'yêu cầu lạ')); // eslint-disable-line no-unused-vars
  app.listen(port, HOST);
})();
