// baocao's additions to Decap CMS (loaded by admin/index.html, after decap/decap-cms.js):
//
// - the "baocao-frontmatter" file format of baocao-format.js;
// - the "baocao-guard" widget (the first field of every file, configured by
//   baocao.contribute.cms): says in Vietnamese why a file is read-only (YAML the form cannot
//   show, unknown keys), refuses ids that are not in data/, and blocks saving until they
//   are fixed;
// - the "baocao-count" widget of baocao-count.js: a figure typed as Vietnamese write it;
// - Vietnamese strings that Decap's own "vi" locale lacks.
import { GUARD, PRIVATE, READ_ONLY, fromFile, toFile } from './baocao-format.js';
import { countWidget, readCount } from './baocao-count.js';

const CMS = window.CMS;
const FORMAT = 'baocao-frontmatter';

// --- the guard widget -----------------------------------------------------------------

function toPlain(value) {
  return value && typeof value.toJS === 'function' ? value.toJS() : value;
}

/** [read-only problems, fixable problems] of an entry, by the rules the guard field carries. */
function findProblems(entry, field) {
  const data = toPlain(entry && entry.get('data')) || {};
  const rules = toPlain(field) || {};
  const meta = data[PRIVATE] || {};
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
      fixed.push(`\`${name}\` phải là danh sách chỉ tiêu.`);
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
      if (typeof v !== 'string') fixed.push(`\`${name}\` viết sai dạng.`);
      else if (!allowed.includes(v)) fixable.push(`Mã "${v}" ở \`${name}\` không có trong danh sách; hãy chọn lại.`);
    }
  }
  return [fixed, fixable];
}

const h = window.h;

const GuardControl = window.createClass({
  isValid() {
    const [fixed, fixable] = findProblems(this.props.entry, this.props.field);
    if (fixed.length) return { error: { message: `${fixed.join(' ')} ${READ_ONLY}` } };
    if (fixable.length) return { error: { message: fixable.join(' ') } };
    return true;
  },
  componentDidMount() { this.lock(); },
  componentDidUpdate() { this.lock(); },
  lock() {
    // A file the form cannot represent is shown read-only: every other field is inert.
    const [fixed] = findProblems(this.props.entry, this.props.field);
    const mine = this.root && this.root.closest('[data-baocao-field]');
    let wrapper = this.root;
    while (wrapper && wrapper.parentElement && wrapper.parentElement.querySelectorAll('textarea, input').length === 0) {
      wrapper = wrapper.parentElement;
    }
    const pane = wrapper && wrapper.parentElement;
    if (!pane) return;
    for (const child of pane.children) {
      if (child !== wrapper && child !== mine) child.inert = fixed.length > 0;
    }
    document.body.classList.toggle('baocao-readonly', fixed.length > 0);
  },
  render() {
    const [fixed, fixable] = findProblems(this.props.entry, this.props.field);
    const ref = el => { this.root = el; };
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

// --- Vietnamese strings Decap's "vi" lacks --------------------------------------------

const EXTRA_VI = {
  auth: { loginWithForgejo: 'Đăng nhập bằng tài khoản Forgejo/Gitea' },
  collection: {
    collectionTop: { viewAsList: 'Xem dạng danh sách', viewAsGrid: 'Xem dạng lưới', groupBy: 'Nhóm theo' },
    entries: { unpublishedHeader: 'Bài chưa xuất bản' },
    groups: { other: 'Khác', negateLabel: 'Không %{label}' },
  },
  editor: {
    editorControl: { field: { widgetLabel: 'Ô %{widgetLabel}' } },
    editorInterface: { togglePreview: 'Bật/tắt xem trước', toggleScrollSync: 'Cuộn đồng bộ',
      toggleNotes: 'Bật/tắt ghi chú', toggleI18n: 'Bật/tắt ngôn ngữ' },
    editorToolbar: {
      statusInfoTooltipDraft: 'Bài đang ở trạng thái bản nháp. Khi viết xong, chọn trạng thái "Chờ duyệt" để gửi văn phòng duyệt.',
      statusInfoTooltipInReview: 'Bài đang chờ duyệt; bạn vẫn có thể sửa tiếp trong lúc chờ.',
    },
    editorWidgets: {
      datetime: { setToNow: 'Đặt %{fieldLabel} là hôm nay' },
      list: { add: 'Thêm %{item}', addType: 'Thêm %{item}' },
      object: { expand: 'Mở ra', collapse: 'Thu gọn' },
    },
    editorNotesPane: { title: 'Ghi chú', emptyState: 'Chưa có ghi chú.', addNote: 'Thêm ghi chú',
      addPlaceholder: 'Viết ghi chú...', editPlaceholder: 'Sửa ghi chú...', save: 'Lưu', cancel: 'Hủy',
      edit: 'Sửa', delete: 'Xóa', resolve: 'Đã xong', unresolve: 'Chưa xong',
      confirmDelete: 'Xóa ghi chú này?', shortcut: 'Mẹo: bấm Ctrl+Enter để thêm nhanh' },
  },
  mediaLibrary: { mediaLibraryModal: { close: 'Đóng' } },
  ui: { settingsDropdown: { account: 'Tài khoản' } },
};

function merge(base, extra) {
  const out = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    out[k] = v && typeof v === 'object' ? merge(base?.[k] || {}, v) : (base?.[k] ?? v);
  }
  return out;
}

// Corrections of Decap's own strings (they win over Decap's).
const FIX_VI = { editor: { editorToolbar: { status: 'Trạng thái: %{status}' } } };

function override(base, fix) {
  const out = { ...base };
  for (const [k, v] of Object.entries(fix)) out[k] = v && typeof v === 'object' ? override(base?.[k] || {}, v) : v;
  return out;
}

CMS.registerLocale('vi', override(merge(CMS.getLocale('vi') || {}, EXTRA_VI), FIX_VI));
CMS.registerCustomFormat(FORMAT, 'md', { fromFile, toFile });
CMS.registerWidget('baocao-guard', GuardControl);
CMS.registerWidget('baocao-count', countWidget(h, window.createClass));
window.baocaoCms = { fromFile, toFile, findProblems, readCount }; // for tests
CMS.init();
