// The web form in Vietnamese (used by baocao-cms.js).
//
// - vietnamese(): Decap's own "vi" locale, with the strings it lacks (EXTRA_VI: every key of
//   Decap's English locale has one; tests/test_cms.py checks it) and a few corrections
//   (FIX_VI), among them the controls' aria-label, which Decap writes with the widget's
//   internal name ("select field").
// - translatePage(): the English that no locale reaches, written into the page by the select
//   boxes Decap uses (react-select: "No options", "Remove 176-KL/TW", what it says to screen
//   readers) and by Decap itself ("Open link in a new tab"), said again in Vietnamese as it
//   appears.

const EXTRA_VI = {
  auth: { loginWithForgejo: 'Đăng nhập bằng tài khoản Forgejo/Gitea', loginWithAzure: 'Đăng nhập bằng Azure' },
  collection: {
    collectionTop: { viewAsList: 'Xem dạng danh sách', viewAsGrid: 'Xem dạng lưới',
      groupBy: 'Nhóm theo' },
    entries: { unpublishedHeader: 'Bài chưa xuất bản' },
    groups: { other: 'Khác', negateLabel: 'Không %{label}' },
  },
  editor: {
    editorControlPane: {
      i18n: { writingInLocale: 'Đang viết bằng %{locale}', copyFromLocale: 'Điền từ ngôn ngữ khác',
        copyFromLocaleConfirm: 'Điền dữ liệu từ ngôn ngữ %{locale}?\nMọi nội dung đang có sẽ bị ghi đè.' },
    },
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
      markdown: { bold: 'Đậm', italic: 'Nghiêng', strikethrough: 'Gạch ngang', code: 'Mã', link: 'Liên kết',
        linkPrompt: 'Nhập địa chỉ của liên kết', headings: 'Tiêu đề', quote: 'Trích dẫn',
        bulletedList: 'Danh sách gạch đầu dòng', numberedList: 'Danh sách đánh số', addComponent: 'Thêm thành phần',
        toggleMode: { rich: 'Chuyển sang chế độ soạn thảo', markdown: 'Chuyển sang chế độ Markdown' } },
      image: { chooseMultiple: 'Chọn ảnh', chooseUrl: 'Chèn từ địa chỉ', replaceUrl: 'Thay bằng địa chỉ',
        promptUrl: 'Nhập địa chỉ của ảnh', addMore: 'Thêm ảnh', removeAll: 'Xóa mọi ảnh' },
      file: { chooseMultiple: 'Chọn tệp', chooseUrl: 'Chèn từ địa chỉ', replaceUrl: 'Thay bằng địa chỉ',
        promptUrl: 'Nhập địa chỉ của tệp', addMore: 'Thêm tệp', removeAll: 'Xóa mọi tệp' },
    },
    editorNotesPane: { title: 'Ghi chú', emptyState: 'Chưa có ghi chú.', addNote: 'Thêm ghi chú',
      addPlaceholder: 'Viết ghi chú...', editPlaceholder: 'Sửa ghi chú...', save: 'Lưu', cancel: 'Hủy',
      edit: 'Sửa', delete: 'Xóa', resolve: 'Đã xong', unresolve: 'Chưa xong',
      confirmDelete: 'Xóa ghi chú này?', shortcut: 'Mẹo: bấm Ctrl+Enter để thêm nhanh' },
  },
  mediaLibrary: {
    mediaLibraryModal: { close: 'Đóng' },
    mediaLibraryCard: { copy: 'Sao chép', copyUrl: 'Sao chép địa chỉ', copyPath: 'Sao chép đường dẫn',
      copyName: 'Sao chép tên', copied: 'Đã sao chép' },
  },
  ui: {
    settingsDropdown: { account: 'Tài khoản' },
    toast: { noteAdded: 'Đã thêm ghi chú', onFailToAddNote: 'Không thêm được ghi chú: %{details}',
      noteUpdated: 'Đã sửa ghi chú', onFailToUpdateNote: 'Không sửa được ghi chú: %{details}',
      noteDeleted: 'Đã xóa ghi chú', onFailToDeleteNote: 'Không xóa được ghi chú: %{details}',
      noteResolved: 'Ghi chú đã xong', noteReopened: 'Đã mở lại ghi chú',
      onFailToToggleNote: 'Không đổi được trạng thái ghi chú: %{details}' },
  },
};

// Corrections of Decap's own strings (they win over Decap's).
const FIX_VI = {
  collection: { collectionTop: { viewAs: 'Xem dạng' } }, // Decap's "vi" has it in English
  editor: {
    // Decap names the widget here ("Ô select"): an internal name, not a word for the user.
    editorControl: { field: { widgetLabel: 'Ô nhập liệu' } },
    editorToolbar: { status: 'Trạng thái: %{status}' },
    // The form's dates are dates, not times: "Ngay lúc này" (right now) reads wrong.
    editorWidgets: { datetime: { now: 'Hôm nay' } },
  },
};

function merge(base, extra) {
  const out = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    out[k] = v && typeof v === 'object' ? merge(base?.[k] || {}, v) : (base?.[k] ?? v);
  }
  return out;
}

function override(base, fix) {
  const out = { ...base };
  for (const [k, v] of Object.entries(fix)) out[k] = v && typeof v === 'object' ? override(base?.[k] || {}, v) : v;
  return out;
}

/** Decap's "vi" locale completed and corrected. */
export function vietnamese(vi) {
  return override(merge(vi, EXTRA_VI), FIX_VI);
}

/** The keys of ``en`` that ``vi`` leaves in English: missing, or the same words. */
export function untranslated(en, vi, path = '') {
  const out = [];
  for (const [k, v] of Object.entries(en)) {
    const key = path ? `${path}.${k}` : k;
    const mine = vi ? vi[k] : undefined;
    if (v && typeof v === 'object') out.push(...untranslated(v, mine, key));
    else if (mine === undefined || (mine === v && /[A-Za-z]{3,}/.test(v.replace(/%\{\w+\}|Markdown/g, '')))) {
      out.push(key);
    }
  }
  return out;
}

// --- English written by react-select and Decap outside the locales ----------------------

const SELECT = v => (v === 'Select' ? 'ô chọn' : v);
const TEXTS = [
  [/^No options$/, () => 'Không có lựa chọn nào'],
  [/^Loading\.\.\.$/, () => 'Đang tải...'],
  [/^options? (.*), selected\.$/, (_, v) => `Đã chọn ${v}.`],
  [/^option (.*), deselected\.$/, (_, v) => `Đã bỏ chọn ${v}.`],
  [/^option (.*) is disabled\. Select another option\.$/, (_, v) => `Không chọn được ${v}; hãy chọn mục khác.`],
  [/^All selected options have been cleared\.$/, () => 'Đã bỏ mọi lựa chọn.'],
  [/^Use Up and Down to choose options, press Enter to select the currently focused option, press Escape to exit the menu(, press Tab to select the option and exit the menu)?\.$/,
    () => 'Dùng phím lên, xuống để tìm; Enter để chọn mục đang đứng; Esc để đóng danh sách.'],
  [/^(.*) is focused (,type to refine list)?, press Down to open the menu, ( press left to focus selected values)?$/,
    (_, v, search, values) => `Đang ở ${SELECT(v)}: ${search ? 'gõ để lọc danh sách, ' : ''}phím xuống để mở danh sách` +
      `${values ? ', phím trái để đến các mục đã chọn' : ''}.`],
  [/^Use left and right to toggle between focused values, press Backspace to remove the currently focused value$/,
    () => 'Dùng phím trái, phải để chuyển giữa các mục đã chọn; Backspace để bỏ mục đang đứng.'],
  [/^value (.*) focused, (\d+) of (\d+)\.$/, (_, v, i, n) => `Đang ở mục đã chọn ${v}, ${i} trên ${n}.`],
  [/^(.*?)( selected)?( disabled)?, (\d+) of (\d+)\.$/,
    (_, v, selected, disabled, i, n) => `${v}${selected ? ' (đã chọn)' : ''}${disabled ? ' (không chọn được)' : ''}, ${i} trên ${n}.`],
  [/^(\d+) results? available( for search term (.*))?\.?$/,
    (_, n, term, t) => `Có ${n} kết quả${term ? ` cho "${t}"` : ''}.`],
  // what the lists' drag and drop (dnd-kit) says to screen readers
  [/^To pick up a draggable item, press the space bar\. While dragging, use the arrow keys to move the item\. Press space again to drop the item in its new position, or press escape to cancel\.$/,
    () => 'Để nhấc một mục lên, bấm phím cách. Trong khi kéo, dùng các phím mũi tên để di chuyển mục. Bấm phím ' +
      'cách lần nữa để đặt mục vào chỗ mới, hoặc Esc để hủy.'],
  [/^Picked up draggable item (.*)\.$/, (_, v) => `Đã nhấc mục ${v}.`],
  [/^Draggable item (.*) was moved over droppable area (.*)\.$/, (_, v, w) => `Mục ${v} đang ở trên vị trí ${w}.`],
  [/^Draggable item (.*) is no longer over a droppable area\.$/, (_, v) => `Mục ${v} không còn ở trên vị trí nào.`],
  [/^Draggable item (.*) was dropped over droppable area (.*)$/, (_, v, w) => `Đã đặt mục ${v} vào vị trí ${w}.`],
  [/^Dragging was cancelled\. Draggable item (.*) was dropped\.$/, (_, v) => `Đã hủy kéo. Đã đặt mục ${v}.`],
  [/^Draggable item (.*) was dropped\.$/, (_, v) => `Đã đặt mục ${v}.`],
];
const ATTRIBUTES = [
  [/^Remove (.*)$/, (_, v) => `Bỏ ${v}`],
  [/^Open link in a new tab$/, () => 'Mở liên kết trong thẻ mới'],
  [/^notification timer$/, () => 'Thời gian hiện thông báo'],
  [/^Logo$/, () => 'Biểu trưng'],
];
const NAMES = ['aria-label', 'title', 'placeholder', 'alt'];

function say(rules, text) {
  for (const [pattern, make] of rules) {
    const found = pattern.exec(text);
    if (found) return make(...found);
  }
  return null;
}

function translateNode(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const text = node.nodeValue.replace(/\s+/g, ' ').trim();
    const said = text && /[A-Za-z]/.test(text) ? say(TEXTS, text) : null;
    if (said !== null && said !== text) node.nodeValue = said;
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  for (const name of NAMES) {
    const value = node.getAttribute(name);
    const said = value ? say(ATTRIBUTES, value) : null;
    if (said !== null && said !== value) node.setAttribute(name, said);
  }
}

function translateTree(root) {
  translateNode(root);
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) translateNode(walker.currentNode);
}

/** Say in Vietnamese, now and as the page changes, the English strings listed above. */
export function translatePage(root) {
  translateTree(root);
  new MutationObserver(changes => {
    for (const change of changes) {
      if (change.type === 'childList') change.addedNodes.forEach(translateTree);
      else translateNode(change.target);
    }
  }).observe(root, { childList: true, subtree: true, characterData: true, attributes: true,
    attributeFilter: NAMES });
}
