// baocao's additions to Decap CMS (loaded by admin/index.html, after decap/decap-cms.js):
//
// - the "baocao-frontmatter" file format of baocao-format.js;
// - the "baocao-guard" widget (the first field of every file, configured by
//   baocao.contribute.cms): says in Vietnamese why a file is read-only (its report is
//   issued; YAML the form cannot show, unknown keys), refuses ids that are not in data/, and
//   blocks saving until they are fixed;
// - the "baocao-count" widget of baocao-count.js: a figure typed as Vietnamese write it;
// - Vietnamese strings that Decap's own "vi" locale lacks, and its few English words that
//   no locale reaches (baocao-vi.js);
// - no media library (no "Media" button, no upload);
// - the committee's name on the login page, instead of Decap's logo.
import { GUARD, PRIVATE, READ_ONLY, fromFile, toFile } from './baocao-format.js';
import { countWidget, readCount } from './baocao-count.js';
import { translatePage, untranslated, vietnamese } from './baocao-vi.js';

const CMS = window.CMS;
const FORMAT = 'baocao-frontmatter';

// --- the guard widget -----------------------------------------------------------------

function toPlain(value) {
  return value && typeof value.toJS === 'function' ? value.toJS() : value;
}

/**
 * What the guard says of an entry, by the rules its field carries: ``readOnly`` (why the
 * whole file is only shown: an issued report), ``fixed`` (what makes the file impossible to
 * show faithfully: read-only too) and ``fixable`` (ids the user chooses again).
 */
function findProblems(entry, field) {
  const data = toPlain(entry && entry.get('data')) || {};
  const rules = toPlain(field) || {};
  const meta = data[PRIVATE] || {};
  const label = name => `«${(rules.labels || {})[name] || name}»`;
  const fixed = [...(meta.problems || [])];
  const fixable = [];
  const keys = rules.keys || [];
  for (const key of Object.keys(data)) {
    if (key === 'body' || key === PRIVATE || key === GUARD) continue;
    if (!keys.includes(key)) fixed.push(`Trường lạ \`${key}\` (biểu mẫu không có ô này).`);
  }
  for (const [name, allowed] of Object.entries(rules.counts || {})) {
    const value = data[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      fixed.push(`${label(name)} phải là danh sách chỉ tiêu.`);
      continue;
    }
    // (Each figure's value is judged by its own baocao-count widget, at the field.)
    for (const id of Object.keys(value)) {
      if (!allowed.includes(id)) fixed.push(`Chỉ tiêu lạ \`${id}\` (không có trong data/indicators.yml).`);
    }
  }
  for (const [name, allowed] of Object.entries(rules.ids || {})) {
    const value = data[name];
    if (value === undefined || value === null || value === '') continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') fixed.push(`${label(name)} viết sai dạng.`);
      else if (!allowed.includes(v)) fixable.push(`Mã "${v}" ở ô ${label(name)} không có trong danh sách; hãy chọn lại.`);
    }
  }
  return { readOnly: rules.read_only || null, fixed, fixable };
}

const h = window.h;

const GuardControl = window.createClass({
  // The guard judges the whole entry: it is drawn again whenever the entry changes.
  shouldComponentUpdate(next) {
    return next.entry !== this.props.entry || next.field !== this.props.field;
  },
  isValid() {
    const { readOnly, fixed, fixable } = findProblems(this.props.entry, this.props.field);
    if (readOnly) return { error: { message: readOnly } };
    if (fixed.length) return { error: { message: `${fixed.join(' ')} ${READ_ONLY}` } };
    if (fixable.length) return { error: { message: fixable.join(' ') } };
    return true;
  },
  componentDidMount() { this.lock(); },
  componentDidUpdate() { this.lock(); },
  lock() {
    // A file shown only (issued, or one the form cannot represent): every other field is inert.
    const { readOnly, fixed } = findProblems(this.props.entry, this.props.field);
    const locked = Boolean(readOnly) || fixed.length > 0;
    const mine = this.root && this.root.closest('[data-baocao-field]');
    let wrapper = this.root;
    while (wrapper && wrapper.parentElement && wrapper.parentElement.querySelectorAll('textarea, input').length === 0) {
      wrapper = wrapper.parentElement;
    }
    const pane = wrapper && wrapper.parentElement;
    if (!pane) return;
    for (const child of pane.children) {
      if (child !== wrapper && child !== mine) child.inert = locked;
    }
    document.body.classList.toggle('baocao-readonly', locked);
  },
  render() {
    const { readOnly, fixed, fixable } = findProblems(this.props.entry, this.props.field);
    const ref = el => { this.root = el; };
    if (readOnly) {
      return h('div', { ref, className: 'baocao-guard baocao-guard-issued', role: 'status' },
        h('strong', null, 'Chỉ xem. '), readOnly);
    }
    if (fixed.length) {
      return h('div', { ref, className: 'baocao-guard baocao-guard-readonly', role: 'alert' },
        h('strong', null, 'Tệp này chỉ xem được. '), fixed.join(' '), ' ', READ_ONLY);
    }
    if (fixable.length) {
      return h('div', { ref, className: 'baocao-guard baocao-guard-error', role: 'alert' }, fixable.join(' '));
    }
    return h('div', { ref, className: 'baocao-guard' },
      'Điền các ô dưới đây rồi lưu. Ô số liệu để trống nghĩa là chưa có số liệu (không phải số 0). ' +
      'Muốn gửi văn phòng duyệt thì chọn trạng thái "Đã gửi".');
  },
});

// --- no media library: no "Media" button, no upload ---------------------------------

// The form has no file or image field, and the check refuses any file under docs/ but
// reports: this library (config.yml `media_library`, baocao.contribute.cms.MEDIA_LIBRARY)
// offers nothing, and `enableStandalone: false` takes Decap's "Media" button away.
const NO_MEDIA = {
  name: 'baocao-khong-tep',
  init: () => ({ show() {}, hide() {}, enableStandalone: () => false }),
};

// --- the login page shows the committee ------------------------------------------------

// index.html holds the committee's name (from mkdocs.yml); it is shown while Decap's login
// page is, whose own logo baocao-cms.css hides.
function showBrandOnLogin() {
  const brand = document.getElementById('baocao-brand');
  if (!brand) return;
  const update = () => {
    brand.hidden = !document.querySelector('[class*="StyledAuthenticationPage"]');
  };
  new MutationObserver(update).observe(document.body, { childList: true, subtree: true });
  update();
}

CMS.registerLocale('vi', vietnamese(CMS.getLocale('vi') || {}));
CMS.registerMediaLibrary(NO_MEDIA);
CMS.registerCustomFormat(FORMAT, 'md', { fromFile, toFile });
CMS.registerWidget('baocao-guard', GuardControl);
CMS.registerWidget('baocao-count', countWidget(h, window.createClass));
window.baocaoCms = { fromFile, toFile, findProblems, readCount, untranslated }; // for tests
showBrandOnLogin();
translatePage(document.body);
CMS.init();
