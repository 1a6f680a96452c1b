"""Text hygiene of contributor text: characters no text may hold (:mod:`.characters`),
Unicode NFC, mojibake (UTF-8 read as Windows-1252) and legacy TCVN3/VNI text (:mod:`.repair`
says how ``--fix`` undoes them), numeric references to refused characters, markup the
sanitiser would remove, and bodies too costly to convert. Each problem names the file
line and says what to write instead; the body is never executed or rendered here, only
scanned.

The markup rules follow the allowlist (:mod:`baocao.allowlist`; the build's sanitiser removes
whatever is outside it; the check says so first, at its line, so the contributor learns
why): raw HTML tags and attributes outside the allowlist, ``{...}`` attribute lists, link
targets whose scheme is not http/https/mailto (entities decoded, as a browser would),
images from outside the repository, an unclosed ``<!--``.

Python-Markdown's inline parser is quadratic in the number of ``[``, ``<`` and ``&`` of a
block (20,000 ``[`` in one paragraph take 40 s) and of emphasis markers, its block parser
in the number of blocks, and deep list nesting overflows its recursion: a body whose cost
estimate (the sum over blocks of the square of those counts), length in lines or blocks,
or nesting goes beyond what any report needs is refused instead of converted
(``tests/benchmarks/bench_hostile.py`` measures the worst accepted cases).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

from baocao.allowlist import ATTRIBUTES, DROP_WITH_CONTENT, LINK_SCHEMES, TAGS, image_source_ok
from baocao.load import characters, repair
from baocao.problems import Problem, Severity

#: Cost budget of one body: sum over blocks of (``[`` + ``<`` + ``&``)². 2,000,000 is one
#: paragraph of 1,400 brackets (well under a second); a real paragraph has a few dozen.
#: Refused bodies are not scanned further (the markup scan is bounded by it too).
MAX_COST = 2_000_000
#: Deepest nesting of quotes and list items on one line (or by indentation).
MAX_DEPTH = 16
#: Most lines and blocks (paragraphs, lists... separated by a blank line) in one body:
#: Python-Markdown's block parser is quadratic in the number of blocks (170,000 one-line
#: paragraphs take 27 s); a real section has a few hundred lines.
MAX_LINES = 10_000
MAX_BLOCKS = 5_000

# `{: .class #id key=value}` as attr_list reads it, after a block or an inline element.
_ATTR_LIST = re.compile(r"\{:?[ \t]*(?:[#.][^\s{}]|[A-Za-z_][\w-]*[ \t]*=)[^{}\n]*\}")
_CODE_SPAN = re.compile(r"(`+)[^\n]*?\1")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
# [text](target "title"), ![alt](target), [id]: target, <scheme:...> autolinks
_INLINE_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^\s)>]*)")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_IMAGE_REF = re.compile(r"!\[[^\]\n]*\]\[([^\]\n]*)\]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_NESTING = re.compile(r"^[ \t]*(?:(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)+")

_PLAIN = "hãy viết chữ bình thường (định dạng bằng Markdown: **đậm**, *nghiêng*, danh sách, bảng)"


def _problem(path: str, line: int, message: str, code: str = "text-unsafe-html") -> Problem:
    return Problem(path, line, "", message, code)


def text_problems(path: str, body: str, first: int) -> Iterator[Problem]:
    """Problems of a content file's text (``first`` is the file line of its first line)."""
    if characters.SUSPECT.search(body):
        for found in characters.scan(body):
            yield Problem(path, first + found.line, "", found.message, found.code,
                          Severity.WARNING if found.warning else Severity.ERROR)
    yield from encoding_problems(path, body, first)
    if "&#" in body:
        yield from _entity_problems(path, body, first)
    costly = list(cost_problems(path, body, first))
    yield from costly
    if not costly and ("<" in body or "{" in body or "](" in body or "]:" in body):
        yield from markup_problems(path, body, first)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def encoding_problems(path: str, text: str, first: int) -> Iterator[Problem]:
    """Text not in NFC, UTF-8 read as Windows-1252 (mojibake), old TCVN3/VNI font text; each
    at its line (``first``: the file line of the text's first line)."""
    if text.isascii() or (unicodedata.is_normalized("NFC", text) and not repair.legacy_suspect(text)
                          and not repair.PAIR.search(text)):
        return
    for offset, line in enumerate(text.split("\n")):
        if line.isascii():
            continue
        number_ = first + offset
        if not unicodedata.is_normalized("NFC", line):
            yield _problem(path, number_, "Chữ Việt không ở dạng Unicode dựng sẵn (NFC); "
                           "hãy chạy `baocao check --fix` để sửa tự động.", "text-not-nfc")
        found = repair.mojibake(line)
        if found is not None and found.certain:
            yield _problem(path, number_, f"Chữ bị lỗi mã (chữ Unicode bị đọc sai bảng mã): «{_shown(line)}» "
                           f"phải là «{_shown(found.text)}»; hãy chạy `baocao check --fix` để sửa tự động.",
                           "mojibake")
        elif found is not None:
            yield _problem(path, number_, _lost_message(line, found), "mojibake-lost")
        elif repair.legacy_suspect(line):
            how = ("hãy chạy `baocao check --fix` để chuyển tự động" if repair.legacy_fixed(line) is not None
                   else "hãy chuyển sang Unicode (Unikey: Công cụ chuyển mã) rồi dán lại")
            yield _problem(path, number_, f"Có chữ bị lỗi phông (bảng mã TCVN3/VNI cũ, ví dụ ®¶ng); {how}.",
                           "text-legacy-encoding")


def _lost_message(line: str, found: repair.Mojibake) -> str:
    """What to retype in a line of mojibake that lost letters (``--fix`` leaves it)."""
    words = "; ".join(f"«{word}»" + (f" (có thể là {', '.join(f'«{w}»' for w in options[:6])})" if options else "")
                      for word, options in found.retype[:5]) + ("; …" if len(found.retype) > 5 else "")
    return (f"Chữ bị lỗi mã (chữ Unicode bị đọc sai bảng mã) và bị mất chữ, không sửa tự động được: "
            f"«{_shown(line)}» phải là «{_shown(found.text)}», trong đó dấu `?` là chữ đã mất; hãy gõ lại "
            f"dòng này bằng Unikey, gõ đúng chữ {words}.")


_NUMERIC_ENTITY = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _entity_problems(path: str, body: str, first: int) -> Iterator[Problem]:
    """``&#11;``, ``&#x202e;``: a character the check refuses, written as a number (outside
    code, where it is shown as written)."""
    text = _without_code(body)
    for match in _NUMERIC_ENTITY.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        char = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\x00"
        if characters.REFUSED.match(char):
            kind, why = characters.reason(char)
            yield _problem(path, _line_at(text, match.start(), first),
                           f"Mã `{match.group(0)}` viết ra ký tự không được phép {characters.describe(char)}: {why}",
                           kind)


def _without_code(body: str) -> str:
    """``body`` with code blocks and code spans blanked (same lines): shown as text, never markup."""
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1) == fence:
                fence = None
            lines[index] = ""
        elif opening:
            fence = opening.group(1)
            lines[index] = ""
        elif "`" in line:
            lines[index] = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
    return "\n".join(lines)


def _line_at(text: str, index: int, first: int) -> int:
    return first + text.count("\n", 0, index)


def _url(value: str) -> str:
    """A URL as a browser reads it: entities decoded, tabs, newlines and controls dropped."""
    return _URL_JUNK.sub("", html.unescape(value))


def _link_problem(target: str, image: bool) -> str | None:
    url = _url(target)
    if image:
        if image_source_ok(url):
            return None
        return ("Ảnh chỉ được lấy từ tệp trong kho (đường dẫn tương đối, ví dụ `anh/so-do.png`), "
                "không lấy từ trang web khác hay dạng `data:`; hãy chép ảnh vào kho.")
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() in LINK_SCHEMES:
        return None
    return (f"Liên kết dạng `{scheme.group(1)}:` không được phép; chỉ dùng liên kết http, https, "
            "mailto hoặc đường dẫn trong trang.")


_TAG_START = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<!--|<!|<\?")
_ATTR_NAME = re.compile(r"[\s/]*([^\s\"'>/=][^\s\"'>/=]*)")
_ATTR_EQ = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>]*")
#: Markup problems reported per file at most (the first ones say enough).
MAX_MARKUP_PROBLEMS = 20


def _scan_block(block: str, line0: int, found: list[tuple[int, str]]) -> None:
    """Raw HTML of one Markdown block outside the allowlist, in one pass (each ``<`` is
    read once and an unclosed quote or comment ends the block: linear in its length)."""
    pos = 0
    while len(found) < MAX_MARKUP_PROBLEMS:
        match = _TAG_START.search(block, pos)
        if match is None:
            return
        start = match.start()
        token = match.group(0)
        if token == "<!--":
            close = block.find("-->", match.end())
            if close == -1:
                return  # unclosed comments are reported on their own
            pos = close + 3
            continue
        if token in ("<!", "<?"):
            found.append((line0 + block.count("\n", 0, start), f"Mã `{block[start:start + 20]}` không được phép; {_PLAIN}."))
            pos = match.end()
            continue
        closing, tag = match.group(1), match.group(2).lower()
        pos = match.end()
        if not closing and tag not in TAGS:
            lost = " cùng nội dung bên trong" if tag in DROP_WITH_CONTENT else ""
            found.append((line0 + block.count("\n", 0, start), f"Thẻ HTML `<{tag}>` không được phép và sẽ bị bỏ{lost}; {_PLAIN}."))
        allowed = ATTRIBUTES.get(tag, set()) if not closing else set()
        # attributes, as a browser reads them, up to the tag's `>`
        while True:
            name_match = _ATTR_NAME.match(block, pos)
            if name_match is None:
                break
            name = name_match.group(1).lower()
            at = name_match.start(1)
            pos = name_match.end()
            value: str | None = None
            equals = _ATTR_EQ.match(block, pos)
            if equals:
                pos = equals.end()
                quote = block[pos:pos + 1]
                if quote in ("\"", "'"):
                    end = block.find(quote, pos + 1)
                    if end == -1:
                        return  # the rest of the block is inside this value
                    value, pos = block[pos + 1:end], end + 1
                else:
                    unquoted = _UNQUOTED.match(block, pos)
                    value, pos = unquoted.group(0), unquoted.end()
            if closing or tag not in TAGS or len(found) >= MAX_MARKUP_PROBLEMS:
                continue
            if name not in allowed:
                found.append((line0 + block.count("\n", 0, at), f"Thuộc tính `{name}` trong thẻ `<{tag}>` không được phép và sẽ "
                                    f"bị bỏ (không dùng style, class, id, on...=); {_PLAIN}."))
            elif name in ("href", "src") and value is not None:
                message = _link_problem(value, tag == "img")
                if message:
                    found.append((line0 + block.count("\n", 0, at), message))


#: A backslash escape as Python-Markdown reads it: the character is text, never markup.
_ESCAPED = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!]")


def markup_problems(path: str, body: str, first: int) -> Iterator[Problem]:
    """Markup the sanitiser would remove, each at its line (escaped characters are text)."""
    text = _without_code(body)
    if "\\" in text:
        text = _ESCAPED.sub("  ", text)
    found: list[tuple[int, str]] = []
    if "<" in text:
        opened = text.rfind("<!--")
        if opened != -1 and text.find("-->", opened + 4) == -1:
            found.append((_line_at(text, opened, first), "Chú thích `<!--` chưa được đóng: mọi chữ sau nó sẽ "
                                                         "bị ẩn; hãy thêm `-->` hoặc xóa `<!--`."))
        blanked = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), text)
        line = first
        for block in blanked.split("\n\n"):
            if "<" in block and len(found) < MAX_MARKUP_PROBLEMS:
                _scan_block(block, line, found)
            line += block.count("\n") + 2
        for match in _AUTOLINK.finditer(text):
            if len(found) >= MAX_MARKUP_PROBLEMS:
                break
            message = _link_problem(match.group(1), False)
            if message:
                found.append((_line_at(text, match.start(), first), message))
    if "{" in text:
        for match in _ATTR_LIST.finditer(text):
            if len(found) >= MAX_MARKUP_PROBLEMS:
                break
            found.append((_line_at(text, match.start(), first),
                          f"Cú pháp thuộc tính `{match.group(0)[:40]}` không được dùng trong bài viết; "
                          "hãy xóa phần trong ngoặc `{ }`."))
    if "](" in text or "]:" in text:
        references = {m.group(0): m for m in _IMAGE_REF.finditer(text)}
        image_refs = {m.group(1).strip().lower() for m in references.values()}
        for match in _INLINE_LINK.finditer(text):
            if len(found) >= MAX_MARKUP_PROBLEMS:
                break
            message = _link_problem(match.group(2), bool(match.group(1)))
            if message:
                found.append((_line_at(text, match.start(), first), message))
        for match in _REF_DEF.finditer(text):
            if len(found) >= MAX_MARKUP_PROBLEMS:
                break
            label = match.group(0).split("]:", 1)[0].strip().lstrip("[").strip().lower()
            message = _link_problem(match.group(1), label in image_refs)
            if message:
                found.append((_line_at(text, match.start(), first), message))
    for line, message in sorted(set(found)):
        yield _problem(path, line, message)


def cost_problems(path: str, body: str, first: int) -> Iterator[Problem]:
    """Bodies that would take Markdown too long or too deep: refused, with the line."""
    lines = body.count("\n") + 1
    blocks = body.split("\n\n")
    if lines > MAX_LINES or len(blocks) > MAX_BLOCKS:
        yield _problem(path, first, f"Bài quá dài ({lines} dòng, {len(blocks)} đoạn; tối đa {MAX_LINES} dòng "
                       f"và {MAX_BLOCKS} đoạn); hãy tách thành nhiều phần hoặc bỏ dòng trống thừa.",
                       "text-too-complex")
        return
    cost = 0
    worst = (0, 0)  # (cost, offset of its block)
    offset = 0
    for block in blocks:
        count = block.count("[") + block.count("<") + block.count("&")
        # runs of emphasis markers cost too, about a hundred times less each
        emphasis = block.count("*") + block.count("_")
        if count or emphasis > 100:
            weight = count * count + emphasis * emphasis // 100
            cost += weight
            if weight > worst[0]:
                worst = (weight, offset + len(block) - len(block.lstrip("\n")))
        offset += len(block) + 2
    if cost > MAX_COST:
        yield _problem(path, _line_at(body, worst[1], first),
                       "Đoạn văn có quá nhiều ký tự đặc biệt (`[`, `<`, `&`, `*`, `_`), phần mềm không xử lý "
                       "nổi; hãy bỏ các ký tự thừa hoặc chia thành nhiều đoạn ngắn.", "text-too-complex")
    if ">" in body or "-" in body or "*" in body or "+" in body or ". " in body or "  " in body:
        for index, line in enumerate(body.split("\n")):
            match = _NESTING.match(line)
            if match is None:
                continue
            prefix = match.group(0)
            indent = len(prefix) - len(prefix.lstrip(" \t"))
            depth = prefix.count(">") + len(re.findall(r"(?:^|[ \t>])(?:[-*+]|\d{1,9}[.)])(?=[ \t])", prefix))
            if depth + indent // 4 > MAX_DEPTH:
                yield _problem(path, first + index, f"Danh sách hoặc trích dẫn lồng nhau quá sâu (tối đa "
                               f"{MAX_DEPTH} cấp); hãy viết phẳng hơn.", "text-too-deep")
                return
