"""Safe, line-aware YAML loading.

PyYAML's loaders either drop line numbers or accept too much (duplicate keys silently
keep the last value, tags may construct objects, aliases can expand without bound).
This module composes the YAML node tree with the safe loader (libyaml when present),
then builds plain Python values itself, so that:

- every mapping key and sequence item keeps the line it was written on;
- a duplicate key, an unknown tag, an alias bomb or a too-deep nesting is an error with
  a line, never an exception that escapes;
- scalars resolve as YAML 1.1 / PyYAML's SafeLoader would (int, float, bool, null, date),
  except that a plain number with leading zeros is decimal, as clerks write it (``03``,
  ``0640``), never octal; the text of every scalar that is not a string is kept
  (``texts``), so that a message shows what the clerk wrote (``1.000``, ``no``), not the
  value read.

Messages are plain Vietnamese for clerks: they never say "YAML".

It knows nothing of the content model: it returns values, a map of lines, and errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from baocao.load import characters

try:  # libyaml is much faster; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a memo of scalar tag resolution, its slowest Python part."""

    _memo: dict[tuple, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            key = (value, implicit)
            tag = self._memo.get(key)
            if tag is None:
                if len(self._memo) > 100_000:
                    self._memo.clear()
                tag = self._memo[key] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

#: Longest nesting we accept (mappings in sequences in mappings ...).
MAX_DEPTH = 40
#: Most values one document may expand to, aliases included.
MAX_NODES = 20_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = f"{_TAG}map"
_STR, _INT, _NULL = f"{_TAG}str", f"{_TAG}int", f"{_TAG}null"
_SEQ_TAG = f"{_TAG}seq"

Path = tuple[Any, ...]


@dataclass(frozen=True)
class YamlError:
    """A problem found while reading YAML: 1-based line, a code and a Vietnamese text."""

    line: int
    code: str
    message: str
    field: str = ""
    #: a warning (the value is still good), not an error.
    warning: bool = False


@dataclass
class YamlResult:
    """The value read, the line of every key and item, and the errors met."""

    value: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    errors: list[YamlError] = field(default_factory=list)
    #: the text as written of each scalar read as something other than a string.
    texts: dict[Path, str] = field(default_factory=dict)
    #: warnings (zero-width characters inside words): the value is still good.
    warnings: list[YamlError] = field(default_factory=list)
    #: keys on lines set aside after a syntax error: not to be called missing.
    lost: set[Path] = field(default_factory=set)

    def line_of(self, path: Path, default: int = 1) -> int:
        """Line of the deepest known prefix of ``path``."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class _TooBig(Exception):
    pass


#: Scalar construction keeps no state between calls: one constructor serves every document.
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


_LEADING_ZEROS = re.compile(r"^[-+]?0[0-9]+$")


class _Builder:
    """Turns a composed node tree into plain values, recording lines and errors."""

    def __init__(self, result: YamlResult, line_offset: int = 0) -> None:
        self.result = result
        self.line_offset = line_offset
        self.count = 0
        self.constructor = _CONSTRUCTOR

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise _TooBig(node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                return self._bad_tag(node, path)
            items = []
            for index, item in enumerate(node.value):
                self.result.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> Any:
        if node.tag != _MAP_TAG:
            return self._bad_tag(node, path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.result.errors.append(
                    YamlError(line, "yaml-key", "Tên trường phải là một chữ đơn giản, ví dụ `status:`.",
                              _dotted(path))
                )
                continue
            if key_node.tag == f"{_TAG}merge" or key_node.value == "<<":
                self.result.errors.append(
                    YamlError(line, "yaml-merge", "Không dùng `<<:` (gộp trường); hãy viết đủ từng trường.",
                              _dotted(path))
                )
                continue
            key = str(key_node.value)
            if key in out:
                first = self.result.lines.get(path + (key,), line) + self.line_offset
                self.result.errors.append(
                    YamlError(line, "yaml-duplicate-key",
                              f"Trường `{key}` được viết hai lần (lần đầu ở dòng {first}); "
                              "hãy xóa một lần và giữ giá trị đúng.",
                              _dotted(path + (key,)))
                )
                continue
            self.result.lines[path + (key,)] = line
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag = node.tag
        if not node.style and tag in (_STR, _INT) and _LEADING_ZEROS.match(node.value):
            self.result.texts[path] = node.value
            return int(node.value, 10)  # "03", "08", "0640": decimal, as written on paper
        if tag == _STR:  # fast paths for the common cases; the constructor handles the rest
            if node.style == '"' and characters.REFUSED.search(node.value):
                # written as an escape (`"\\u202e"`, `"\\v"`): refused as if typed
                char = characters.REFUSED.search(node.value).group()
                code, message = characters.message(char, node.value, node.value.index(char))
                self.result.errors.append(YamlError(node.start_mark.line + 1, code, message, _dotted(path)))
            return node.value
        if tag == _INT and node.value.isdigit() and (node.value == "0" or node.value[0] != "0"):
            return int(node.value)
        if tag == _NULL:
            return None
        self.result.texts[path] = node.value
        if tag not in _SCALAR_TAGS:
            return self._bad_tag(node, path)
        try:
            return self.constructor.yaml_constructors[node.tag](self.constructor, node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            if node.tag == f"{_TAG}timestamp":
                message = (f"Ngày `{node.value}` không có thật; viết ngày có thật theo dạng "
                           "NĂM-THÁNG-NGÀY, ví dụ 2025-08-25.")
                code = "date-invalid"
            else:
                message = f"Không đọc được giá trị `{node.value}`."
                code = "yaml-value"
            self.result.errors.append(YamlError(node.start_mark.line + 1, code, message, _dotted(path)))
            return _Invalid(node.value)

    def _bad_tag(self, node: yaml.Node, path: Path) -> None:
        self.result.errors.append(
            YamlError(node.start_mark.line + 1, "yaml-tag",
                      f"Không được dùng dấu `{node.tag.replace(_TAG, '!!')}` trước giá trị; "
                      "hãy viết giá trị bình thường (chữ, số, ngày).",
                      _dotted(path))
        )
        return None


class _Invalid(str):
    """A scalar that could not be read; validation treats it as a wrong value."""


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


_DEEP_INDENT = re.compile(rf"^[ -]{{{MAX_DEPTH * 4 + 1},}}", re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")


def _prescan_depth(text: str) -> int | None:
    """Line of the first place nested deeper than MAX_DEPTH, judged cheaply.

    libyaml composes recursively in C: a document nested thousands deep must never
    reach it. Flow brackets and indentation are counted without parsing.
    """
    deep = _DEEP_INDENT.search(text)
    limit = deep.start() if deep else len(text)
    depth = 0
    for match in _BRACKETS.finditer(text, 0, limit):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        else:
            depth = max(0, depth - 1)
    return text.count("\n", 0, limit) + 1 if deep else None


_SYNTAX_HINTS = (
    ("found character '\\t'", "Có ký tự Tab: hãy thay bằng dấu cách."),
    ("mapping values are not allowed", "Có dấu `:` không đúng chỗ; nếu giá trị có dấu `:`, hãy đặt cả giá "
     "trị trong ngoặc kép."),
    ("found undefined alias", "Có dấu `*` trước một tên chưa khai báo; hãy viết giá trị trực tiếp."),
    ("could not find expected ':'", "Thiếu dấu `:` sau tên trường."),
    ("did not find expected ',' or ']'", "Danh sách trong ngoặc `[ ]` chưa đóng hoặc thiếu dấu phẩy."),
    ("did not find expected ',' or '}'", "Nhóm trong ngoặc `{ }` chưa đóng hoặc thiếu dấu phẩy."),
    ("did not find expected key", "Thụt lề không đều: các trường cùng cấp phải thẳng cột."),
    ("expected <block end>", "Thụt lề không đều: các trường cùng cấp phải thẳng cột."),
    ("did not find expected '-'", "Thụt lề không đều: các mục `- ` của danh sách phải thẳng cột."),
    ("found unknown escape character", "Trong ngoặc kép, dấu `\\` phải viết hai lần; hoặc dùng ngoặc đơn."),
    ("that cannot start any token", "Giá trị bắt đầu bằng ký tự đặc biệt (@, `, %); hãy đặt trong ngoặc kép."),
    ("expected a comment or a line break", "Có chữ thừa sau giá trị; hãy đặt cả giá trị trong ngoặc kép."),
    ("found unexpected end of stream", "Chuỗi trong ngoặc kép chưa đóng."),
    ("while scanning a quoted scalar", "Chuỗi trong ngoặc kép chưa đóng."),
    ("while scanning an anchor", "Sau dấu `&` hoặc `*` phải có tên; nếu là chữ thường, hãy đặt trong ngoặc kép."),
    ("while scanning an alias", "Sau dấu `&` hoặc `*` phải có tên; nếu là chữ thường, hãy đặt trong ngoặc kép."),
)


#: Every syntax message starts so: what a clerk calls it, not the format's name.
SYNTAX_PREFIX = "Viết sai quy cách"
_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([^\s:#\[\]{}]+):(\S.*)$")
_KEY = re.compile(r"^(\s*)(?:-\s+)?[^\s:#][^:#]*:(\s|$)")
#: ``key: value`` whose value holds ``: `` (a plain value may not): group 1 the key (with
#: a list's ``- ``), group 2 the value.
_COLON_IN_VALUE = re.compile(r"^\s*((?:-\s+)?[^\s:#\"'][^:#]*):\s+([^\s\"'\[{|>&*!%@`#][^#]*?:\s.*?)\s*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content(lines: list[str], index: int) -> str | None:
    for back in range(index - 1, -1, -1):
        stripped = lines[back].strip()
        if stripped and not stripped.startswith("#"):
            return lines[back]
    return None


def _opened_here(said: str) -> bool:
    """Whether a syntax error is an unclosed quote or bracket (its line is where it opened)."""
    return any(f"while {doing}" in said for doing in ("scanning a quoted scalar", "parsing a flow sequence",
                                                        "parsing a flow mapping"))


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(0-based line, Vietnamese message) of a syntax error, on the line the clerk must fix."""
    said = f"{exc.problem or ''} {exc.context or ''}"
    mark = exc.problem_mark or exc.context_mark
    if _opened_here(said) and exc.context_mark is not None:
        mark = exc.context_mark  # the quote or bracket never closed, not where that was noticed
    index = mark.line if mark else 0
    lines = text.split("\n")
    if "could not find expected ':'" in said and exc.context_mark is not None:
        # libyaml notices the missing ':' on the line after the key: point at the key.
        index = exc.context_mark.line
        here = lines[index] if index < len(lines) else ""
        match = _KEY_NO_SPACE.match(here)
        if match:
            return index, (f"{SYNTAX_PREFIX}: sau dấu `:` phải có một dấu cách; hãy viết "
                           f"`{match.group(1)}: {match.group(2).strip()}`.")
    if "mapping values are not allowed" in said and index < len(lines):
        here, before = lines[index], _previous_content(lines, index)
        key = _KEY.match(here)
        # The key's own colon: the line is read as the value above going on (indented too
        # far). A colon further on is inside the value (``authority: T/M: x``), wherever
        # the line stands.
        at_key = key is not None and mark is not None and mark.column == here.index(":", key.start(1))
        if before is not None and at_key and _indent(here) > _indent(before):
            name = here.strip().split(":", 1)[0]
            return index, (f"{SYNTAX_PREFIX}: dòng `{name}:` thụt vào nhiều hơn dòng trên; các trường "
                           "cùng cấp phải bắt đầu thẳng cột: hãy xóa dấu cách thừa ở đầu dòng.")
        quoted = _COLON_IN_VALUE.match(here) if not at_key else None
        if quoted and '"' not in quoted.group(2):
            return index, (f"{SYNTAX_PREFIX}: có dấu `:` không đúng chỗ; giá trị có dấu `:` phải đặt trong "
                           f'ngoặc kép: hãy viết `{quoted.group(1)}: "{quoted.group(2).strip()}"`.')
    if ("expected <block end>" in said or "did not find expected" in said) and index < len(lines) \
            and lines[index].lstrip().startswith("- "):
        return index, (f"{SYNTAX_PREFIX}: mục `- ` này không thẳng cột với các mục khác của danh sách; "
                       "hãy thụt lề mọi mục `- ` bằng cùng một số dấu cách.")
    for needle, hint in _SYNTAX_HINTS:
        if needle in said:
            return index, f"{SYNTAX_PREFIX}: {hint[0].lower()}{hint[1:]}"
    return index, f"{SYNTAX_PREFIX} ở dòng này; kiểm tra dấu `:`, thụt lề và ngoặc kép."


def _refuse_characters(text: str, result: YamlResult) -> str:
    """Report the characters no text may hold (:mod:`baocao.load.characters`) at their
    line, and read the rest with each one as a space, so that the other problems of the
    file are still found."""
    if not characters.SUSPECT.search(text):
        return text
    for found in characters.scan(text):
        error = YamlError(found.line + 1, found.code, found.message, warning=found.warning)
        (result.warnings if found.warning else result.errors).append(error)
    return characters.REFUSED.sub(" ", text)


#: Syntax errors reported per file; after each, the line is mended or set aside and the
#: rest is read again, so that one mistake does not hide the others.
MAX_SYNTAX_ERRORS = 10


def _entry(line: str) -> tuple[str, int, bool] | None:
    """(key, column of the key, whether the line opens a list item) of a ``key: value``
    or ``- key: value`` line."""
    if _KEY.match(line) is None:
        return None
    body = line.lstrip(" ")
    column = len(line) - len(body)
    item = body.startswith("- ")
    if item:
        rest = body[2:]
        column += 2 + len(rest) - len(rest.lstrip(" "))
        body = rest.lstrip(" ")
    return body.split(":", 1)[0].strip(), column, item


def _key_path(lines: list[str], index: int) -> Path | None:
    """The key path of a ``key: value`` line of block mappings and lists (its parents found
    by indentation, list items counted); None when it cannot be told."""
    entry = _entry(lines[index])
    if entry is None:
        return None
    key, column, item = entry
    path: list = [key]
    at = index
    for _ in range(2 * MAX_DEPTH):  # each round goes one level out: bounded however odd the text
        if column <= 0:
            break
        opener = None
        for back in range(at - (0 if item else 1), -1, -1):
            line = lines[back]
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            found = _entry(line) if back != at or item else None
            dash = line.lstrip(" ").startswith("-")
            if dash and _indent(line) < column and (found is None or found[1] == column):
                opener = back  # the item our mapping is in
                break
            if _indent(line) < column:
                if found is None or dash:
                    return None
                path.insert(0, found[0])
                column, at, item = _indent(line), back, False
                opener = -1
                break
        if opener is None:
            return None
        if opener == -1:
            continue
        # count the items of this list up to ours; the list's key is above them
        dash_indent = _indent(lines[opener])
        count = 0
        back = opener
        while back >= 0:
            line = lines[back]
            if line.strip() and not line.lstrip().startswith("#"):
                if _indent(line) < dash_indent or (_indent(line) == dash_indent and not line.lstrip().startswith("-")):
                    break
                if _indent(line) == dash_indent:
                    count += 1
            back -= 1
        path.insert(0, count - 1)
        if back < 0:
            return tuple(path)
        parent = _entry(lines[back])
        if parent is None:
            return None
        path.insert(0, parent[0])
        column, at, item = parent[1], back, parent[2]
        if item:  # the list's key is itself the first key of an item: that item's index next
            column = _indent(lines[back]) + 2
    else:
        return None
    return tuple(path)


def _set_aside(lines: list[str], index: int, result: YamlResult) -> bool:
    """Blank line ``index`` and the lines indented under it, keeping the line count;
    whether anything changed. The key it held is remembered as lost (not "missing")."""
    if index >= len(lines) or not lines[index].strip():
        return False
    path = _key_path(lines, index)
    if path is not None:
        result.lost.add(path)
    indent = _indent(lines[index])
    lines[index] = ""
    for after in range(index + 1, len(lines)):
        line = lines[after]
        if line.strip() and _indent(line) <= indent and not (line.lstrip().startswith("- ") and
                                                              _indent(line) == indent and path is not None):
            break
        lines[after] = ""
    return True


def _mend(lines: list[str], index: int, said: str) -> bool:
    """Read a line as the clerk meant it when that is certain (``status:draft``), else set
    it aside; whether anything changed."""
    if "could not find expected ':'" in said and index < len(lines):
        match = _KEY_NO_SPACE.match(lines[index])
        if match:
            lead = lines[index][:len(lines[index]) - len(lines[index].lstrip())]
            dash = "- " if lines[index].lstrip().startswith("- ") else ""
            lines[index] = f"{lead}{dash}{match.group(1)}: {match.group(2).strip()}"
            return True
    return False


def _compose(text: str, result: YamlResult):
    """The node tree of ``text``, reporting each syntax error and reading on without the
    line it is on; None when nothing could be read."""
    lines = text.split("\n")
    for _ in range(MAX_SYNTAX_ERRORS):
        joined = "\n".join(lines)
        try:
            return yaml.compose(joined, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            index, message = _syntax_error(exc, joined)
            result.errors.append(YamlError(index + 1, "yaml-syntax", message))
            said = f"{exc.problem or ''} {exc.context or ''}"
            if "while parsing a flow" in said and exc.problem_mark is not None:
                # the bracket and every line it ran over up to where that was noticed (a quote
                # is taken to end its line: the lines after it are read)
                for inside in range(index + 1, min(exc.problem_mark.line, len(lines))):
                    lines[inside] = ""
            if not (_mend(lines, index, said) or _set_aside(lines, index, result)):
                return None
        except (yaml.YAMLError, RecursionError, ValueError, UnicodeError):
            result.errors.append(YamlError(1, "yaml-syntax", f"{SYNTAX_PREFIX}; kiểm tra lại phần thông tin."))
            return None
    return None


def load_yaml(text: str, first_line: int = 1) -> YamlResult:
    """Read one YAML document from ``text``; never raises for bad input. ``first_line`` is
    the file line of the text's first line, used in messages that name another line.

    After a syntax error the value is what could still be read (the bad line set aside),
    so that the rest is checked too: callers must treat ``errors`` as making it incomplete."""
    result = YamlResult()
    text = _refuse_characters(text, result)
    lines = text.split("\n")
    tabs = [index for index, raw in enumerate(lines) if raw.lstrip(" ").startswith("\t")]
    for index in tabs:
        result.errors.append(YamlError(index + 1, "yaml-tab",
                                       "Dòng thụt lề bằng phím Tab; hãy thay Tab bằng dấu cách."))
    for index in reversed(tabs):
        _set_aside(lines, index, result)
    text = "\n".join(lines)
    deep = _prescan_depth(text)
    if deep is not None:
        result.errors.append(YamlError(deep, "yaml-too-deep",
                                       f"Dữ liệu lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)."))
        return result
    node = _compose(text, result)
    if node is None:
        return result
    try:
        result.value = _Builder(result, first_line - 1).build(node, (), 0)
    except _TooBig as exc:
        result.value = None
        result.errors.append(YamlError(exc.args[0], "yaml-too-big",
                                       "Dữ liệu quá lớn hoặc lồng quá sâu (có thể do dấu `*` lặp lại); "
                                       "hãy viết giá trị trực tiếp, không dùng `&`/`*`."))
    return result


def is_invalid(value: Any) -> bool:
    """True for a scalar that :func:`load_yaml` could not construct."""
    return isinstance(value, _Invalid)


__all__ = ["MAX_DEPTH", "MAX_NODES", "SYNTAX_PREFIX", "YamlError", "YamlResult", "is_invalid", "load_yaml"]
