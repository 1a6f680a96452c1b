// The "baocao-frontmatter" file format of the web form (registered by baocao-cms.js): reads
// a Markdown file with YAML front matter, and writes back only what the form changed, by
// text edits at the places the YAML parser reports, so every other character (comments,
// quoting, blank lines, key order) stays as written. It refuses to write a file it could not
// represent, a result that does not read back as intended, or one that would lose a comment.
import { Document, Lexer, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from './yaml/index.js';

export const PRIVATE = '__baocao';
export const GUARD = '_baocao';
const PARSE = { uniqueKeys: true, prettyErrors: false, merge: false, version: '1.2' };
const PRINT = { lineWidth: 0, nullStr: '', indentSeq: true };
export const READ_ONLY =
  'Biểu mẫu chỉ cho xem tệp này, không lưu được, để không làm mất nội dung. ' +
  'Hãy nhờ văn phòng Đảng ủy sửa tệp trong kho rồi mở lại.';

function split(content) {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (lines[0].trimEnd() !== '---') {
    return { error: 'Tệp không bắt đầu bằng dòng `---` của phần thông tin.' };
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    if (line === '---' || line === '...') {
      const yaml = i > 1 ? `${lines.slice(1, i).join('\n')}\n` : '';
      return { yaml, close: line, body: lines.slice(i + 1).join('\n') };
    }
  }
  return { error: 'Phần thông tin đầu tệp chưa được đóng bằng dòng `---`.' };
}

function unrepresentable(doc) {
  const problems = [];
  if (doc.errors.length) {
    const line = doc.errors[0].linePos?.[0]?.line;
    problems.push(`Phần thông tin đầu tệp viết sai cú pháp YAML${line ? ` (dòng ${line + 1} của tệp)` : ''}.`);
    return problems;
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    problems.push('Phần thông tin đầu tệp không phải danh sách "tên: giá trị".');
  }
  let special = false;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node) || node.anchor || (node.tag && !node.tag.startsWith('tag:yaml.org,2002:'))) special = true;
      if (node.tag && /^!/.test(node.tag)) special = true;
    },
  });
  if (special) problems.push('Phần thông tin dùng neo, bí danh hoặc thẻ YAML (&, *, !) mà biểu mẫu không thể hiện được.');
  return problems;
}

export function fromFile(content) {
  const parts = split(content);
  if (parts.error) return { [PRIVATE]: { problems: [parts.error] }, body: content };
  const doc = parseDocument(parts.yaml, PARSE);
  const problems = unrepresentable(doc);
  let data = {};
  if (!problems.length && isMap(doc.contents)) {
    data = doc.toJS({ maxAliasCount: 0 }) || {};
    for (const key of ['body', PRIVATE, GUARD]) {
      if (key in data) problems.push(`Trường lạ \`${key}\` trong phần thông tin.`);
    }
  }
  return { ...data, body: parts.body, [PRIVATE]: { problems, yaml: parts.yaml, close: parts.close } };
}

function clean(value) {
  if (value === undefined || value === null || value === '' || Number.isNaN(value)) return null;
  if (Array.isArray(value)) return value.map(clean).filter(v => v !== null);
  if (typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = clean(v);
    return out;
  }
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  return value;
}

function isEmpty(value) {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep equality where key order does not matter and null equals a missing value. */
function same(a, b) {
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(k => same(a[k] ?? null, b[k] ?? null));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  return (a ?? null) === (b ?? null);
}

// The file is changed by text edits at the places the YAML parser reports, so every other
// character (comments, quoting, blank lines, key order) stays as written.

function scalarText(value) {
  return value === null ? '' : new Document(value).toString(PRINT).trimEnd();
}

function blockText(value, indent) {
  const lines = new Document(value).toString(PRINT).split('\n').filter(line => line !== '');
  return lines.map(line => ' '.repeat(indent) + line).join('\n') + '\n';
}

function flowText(value) {
  const doc = new Document(value);
  doc.contents.flow = true;
  return doc.toString(PRINT).trimEnd();
}

function lineStart(src, i) {
  return src.lastIndexOf('\n', i - 1) + 1;
}

function afterLine(src, i) {
  const eol = src.indexOf('\n', i);
  return eol < 0 ? src.length : eol + 1;
}

function keyColumn(doc, path) {
  if (path.length <= 1) return 0;
  const parent = doc.getIn(path.slice(0, -1), true);
  const pair = parent.items.find(p => isScalar(p.key) && p.key.value === path[path.length - 1]);
  const start = pair.key.range[0];
  return start - lineStart(doc.__src, start);
}

function plan(doc, src, path, value, old, edits) {
  if (same(value, old)) return;
  const node = doc.getIn(path, true);
  if (isObject(value) && isMap(node) && !node.flow && node.items.length) {
    for (const [k, v] of Object.entries(value)) {
      if (node.has(k)) {
        plan(doc, src, [...path, k], v, isObject(old) ? old[k] : undefined, edits);
      } else if (v !== null) {
        const first = node.items[0].key.range[0];
        const at = node.range[1];
        const text = blockText({ [k]: v }, first - lineStart(src, first));
        edits.push({ start: at, end: at, text: src[at - 1] === '\n' ? text : `\n${text}` });
      }
    }
    return;
  }
  const [start, end] = node.range;
  if (!isObject(value) && !Array.isArray(value)) {
    let text = scalarText(value);
    let from = start;
    let to = end;
    if (!text) while (src[from - 1] === ' ' && src[from - 2] !== undefined && /[: ]/.test(src[from - 2])) from--;
    if (start === end && text) {
      const gap = src.slice(lineStart(src, start), start).match(/:( +)$/);
      if (src[start - 1] === ':') text = ` ${text}`;
      else if (gap && src[start] === '#') {
        // "key:  # comment" becomes "key: 1173 # comment", not "key:  1173 # comment".
        from = to = start - gap[1].length + 1;
        if (gap[1].length === 1) text = `${text} `;
      } else if (src[start] === '#') text = `${text} `;
    }
    edits.push({ start: from, end: to, text });
    return;
  }
  if ((isSeq(node) || isMap(node)) && !node.flow) {
    const indent = start - lineStart(src, start);
    const text = isEmpty(value) ? (Array.isArray(value) ? '[]\n' : '{}\n') : blockText(value, indent).slice(indent);
    edits.push({ start, end, text: src[end - 1] === '\n' || end === src.length ? text : text.trimEnd() });
    return;
  }
  if (Array.isArray(value) || isEmpty(value)) {
    edits.push({ start, end, text: (src[start - 1] === ':' ? ' ' : '') + flowText(value) });
    return;
  }
  // A mapping where the file has an empty value or a flow mapping: a block below the key.
  edits.push({ start, end, text: '' });
  const at = afterLine(src, end);
  const text = blockText(value, keyColumn(doc, path) + 2);
  edits.push({ start: at, end: at, text: src[at - 1] === '\n' || at === 0 ? text : `\n${text}` });
}

function newKey(doc, src, key, value, order, edits) {
  const rank = k => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
  const next = doc.contents.items.find(p => isScalar(p.key) && rank(p.key.value) > rank(key));
  let at = src.length;
  if (next) {
    at = lineStart(src, next.key.range[0]);
    while (at > 0) { // keep the comment lines above the next key with it
      const prev = lineStart(src, at - 1);
      if (!src.slice(prev, at).trimStart().startsWith('#')) break;
      at = prev;
    }
  }
  const text = blockText({ [key]: value }, 0);
  edits.push({ start: at, end: at, text: at === 0 || src[at - 1] === '\n' ? text : `\n${text}` });
}

function comments(source) {
  const found = [];
  for (const token of new Lexer().lex(source)) {
    if (token.startsWith('#')) found.push(token.trimEnd());
  }
  return found.sort();
}

export function toFile(data, sortedKeys) {
  const meta = data[PRIVATE] || {};
  if (meta.problems && meta.problems.length) throw new Error(`${meta.problems.join(' ')} ${READ_ONLY}`);
  const order = (sortedKeys || []).filter(k => k !== 'body' && k !== GUARD && k !== PRIVATE);
  const src = meta.yaml || '';
  const doc = parseDocument(src, PARSE);
  doc.__src = src;
  if (doc.errors.length || !(doc.contents === null || isMap(doc.contents))) throw new Error(READ_ONLY);
  const original = doc.toJS() || {};
  for (const key of Object.keys(original)) {
    if (!order.includes(key)) throw new Error(`Trường lạ \`${key}\`. ${READ_ONLY}`);
  }
  const edits = [];
  const expected = { ...original };
  for (const key of order) {
    const value = clean(data[key]);
    const had = doc.contents !== null && doc.contents.has(key);
    if (!had && isEmpty(value)) continue;
    expected[key] = value;
    if (had) plan(doc, src, [key], value, original[key], edits);
    else if (doc.contents === null) edits.push({ start: src.length, end: src.length, text: blockText({ [key]: value }, 0) });
    else newKey(doc, src, key, value, order, edits);
  }
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let yaml = src;
  for (const edit of edits) yaml = yaml.slice(0, edit.start) + edit.text + yaml.slice(edit.end);
  // Nothing may be lost: the text reads back as intended, and every comment is still there.
  const reread = parseDocument(yaml, PARSE);
  if (reread.errors.length || !same(reread.toJS() || {}, expected)) {
    throw new Error('Không ghi được phần thông tin của tệp (lỗi của biểu mẫu). ' + READ_ONLY);
  }
  const after = comments(yaml);
  const lost = comments(src).filter(c => { const i = after.indexOf(c); if (i < 0) return true; after.splice(i, 1); return false; });
  if (lost.length) {
    throw new Error(`Lưu sẽ làm mất ghi chú "${lost[0].slice(0, 60)}" trong phần thông tin. ${READ_ONLY}`);
  }
  const body = typeof data.body === 'string' ? data.body : '';
  return `---\n${yaml}${meta.close || '---'}\n${body}`;
}

