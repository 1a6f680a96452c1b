// The "baocao-count" widget of the web form (registered by baocao-cms.js): one figure of a
// section, a whole number from 0, or blank for "not known".
//
// Vietnamese write thousands with a dot (1.173 is one thousand one hundred and seventy-three)
// and decimals with a comma. Decap's own number widget is an <input type="number"> whose
// value Chromium empties while "1." is being typed, so "1.173" was saved as 173 and "1.000"
// as 1. This widget is a text box that keeps exactly what was typed and reads it as a
// Vietnamese writes it: "1.173", "1 173" and "1173" are 1173; "1.5", "1,5", "-5", "12a" are
// refused with a message saying what to write. The entry holds the number only when the
// text reads as one; otherwise it holds the text itself, which the widget refuses to save
// (and `baocao check` refuses too), so a figure is never saved other than as shown. When the
// box loses focus it shows the number as it will be saved (1173).

/** "10.000.000": digits grouped by thousands with dots, as the site prints figures. */
export function groupThousands(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function quoted(text) {
  const one = text.replace(/\s+/g, ' ');
  return `«${one.length > 24 ? `${one.slice(0, 24)}…` : one}»`;
}

/**
 * What a figure typed as ``text`` is: ``{ value: n }`` (a whole number), ``{ value: '' }``
 * (blank: not known), or ``{ error: message }`` in Vietnamese.
 */
export function readCount(text, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const typed = String(text ?? '').trim();
  if (typed === '') return { value: '' };
  const example = 'ví dụ 1173 hoặc 1.173';
  if (/^[-\u2212\u2013]\s*\d/.test(typed)) {
    return { error: `${quoted(typed)}: số liệu không âm; ghi số từ ${min} trở lên.` };
  }
  if (typed.includes(',')) {
    return { error: `${quoted(typed)}: ô này chỉ nhận số nguyên, không có phần lẻ và không dùng dấu phẩy ` +
      `(${example}).` };
  }
  let digits = null;
  if (/^\d+$/.test(typed)) digits = typed;
  else if (/^[1-9]\d{0,2}(\.\d{3})+$/.test(typed)) digits = typed.replace(/\./g, '');
  else if (/^[1-9]\d{0,2}( \d{3})+$/.test(typed.replace(/\s/g, ' '))) digits = typed.replace(/\s/g, '');
  if (digits === null) {
    if (typed.includes('.')) {
      return { error: `${quoted(typed)} không phải số nguyên: dấu chấm chỉ để ngăn hàng nghìn, sau mỗi dấu ` +
        `chấm đủ 3 chữ số (${example}); số liệu không có phần lẻ.` };
    }
    return { error: `${quoted(typed)}: chỉ gõ chữ số (${example}); để trống nếu chưa có số liệu.` };
  }
  digits = digits.replace(/^0+(?=\d)/, '');
  if (digits.length > String(max).length || Number(digits) > max) {
    return { error: `${quoted(typed)} lớn quá: số liệu tối đa là ${groupThousands(max)}.` };
  }
  const value = Number(digits);
  if (value < min) return { error: `${quoted(typed)}: số liệu phải từ ${min} trở lên.` };
  return { value };
}

/** The text a stored value is shown as: the number's digits, blank for unknown. */
export function showCount(value) {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isBlank(value) {
  return value === undefined || value === null || value === '' || Number.isNaN(value);
}

export function countWidget(h, createClass) {
  return createClass({
    getInitialState() {
      return { text: showCount(this.props.value) };
    },
    componentDidMount() {
      this.sayIfWrong();
    },
    componentDidUpdate(previous) {
      // The entry was changed elsewhere (loaded, reset): show what it now holds.
      const { value } = this.props;
      if (value !== previous.value && value !== this.sent) {
        this.setState({ text: showCount(value) }, () => this.sayIfWrong());
      }
    },
    sayIfWrong() {
      // A file may hold a figure that is not one (`ket_nap: 1.5`): say so when it is shown.
      if (this.problem()) this.setState({ shown: true }, () => this.check());
    },
    limits() {
      const { field } = this.props;
      return { min: field.get('min', 0), max: field.get('max', Number.MAX_SAFE_INTEGER) };
    },
    problem() {
      const read = readCount(this.state.text, this.limits());
      if (read.error) return read.error;
      // What is stored is exactly what the box shows, or the form does not save.
      const { value } = this.props;
      if (isBlank(read.value) ? !isBlank(value) : value !== read.value) {
        return `${quoted(this.state.text)}: hãy gõ lại số này (ô đang giữ giá trị khác: ${quoted(showCount(value))}).`;
      }
      return null;
    },
    isValid() {
      const message = this.problem();
      if (!message) return true;
      const label = this.props.field.get('label', this.props.field.get('name'));
      return { error: { type: 'CUSTOM', message: `${label}: ${message}` } };
    },
    check() {
      // Show (or clear) this field's message now, not only when the user saves.
      if (this.props.validate) this.props.validate();
    },
    handleChange(event) {
      const text = event.target.value;
      const read = readCount(text, this.limits());
      this.sent = read.error ? text : read.value;
      this.props.onChange(this.sent);
      this.setState({ text }, () => { if (this.state.shown) this.check(); });
    },
    handleBlur() {
      this.props.setInactiveStyle();
      const read = readCount(this.state.text, this.limits());
      const text = read.error ? this.state.text : showCount(read.value);
      this.setState({ text, shown: Boolean(read.error) }, () => this.check());
    },
    render() {
      const { forID, classNameWrapper, setActiveStyle } = this.props;
      return h('input', {
        type: 'text', inputMode: 'numeric', autoComplete: 'off', spellCheck: false,
        id: forID, className: classNameWrapper, value: this.state.text,
        onFocus: setActiveStyle, onBlur: this.handleBlur, onChange: this.handleChange,
      });
    },
  });
}
