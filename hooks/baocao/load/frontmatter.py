"""Splitting a Markdown file into its YAML front matter and its body, keeping lines.

A content file is UTF-8 text (a BOM and CRLF line ends are accepted) that starts with a
line ``---``, then YAML, then a closing ``---`` line, then Markdown. This module only
cuts; :mod:`baocao.load.yamlsafe` reads the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Largest content file we read, in bytes.
MAX_FILE_BYTES = 512 * 1024
#: Largest front matter, in characters.
MAX_FRONT_MATTER_CHARS = 32 * 1024


@dataclass(frozen=True)
class SplitFile:
    """The parts of one content file; ``yaml_line`` is the file line of the YAML's first line."""

    yaml_text: str
    yaml_line: int
    body: str
    body_line: int


@dataclass(frozen=True)
class SplitError:
    """Why a file could not be split: 1-based line, code and Vietnamese message."""

    line: int
    code: str
    message: str


def utf16(raw: bytes) -> bool:
    """Whether ``raw`` looks like UTF-16 text: a byte-order mark, or a zero byte in every
    other place (ASCII characters saved as UTF-16 without one)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:512]
    if len(sample) < 4 or len(sample) % 2:
        return False
    for zeros in (sample[1::2], sample[0::2]):
        if zeros.count(0) >= len(zeros) * 0.9 and sample.count(0) <= len(sample) // 2 + 1:
            return True
    return False


def decode(raw: bytes) -> str | SplitError:
    """Decode file bytes as UTF-8 (BOM allowed) with normalised line ends."""
    if len(raw) > MAX_FILE_BYTES:
        return SplitError(1, "file-too-big",
                          f"Tệp quá lớn ({len(raw) // 1024} KB, tối đa {MAX_FILE_BYTES // 1024} KB); "
                          "hãy tách nội dung hoặc bỏ hình ảnh nhúng.")
    if (raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in raw[:512]) and utf16(raw):
        return SplitError(1, "file-utf16",
                          "Tệp được lưu bằng mã UTF-16 (kiểu \"Unicode\" của Notepad), không phải UTF-8; "
                          "hãy chạy `baocao check --fix` để chuyển sang UTF-8, hoặc lưu lại với mã UTF-8.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return SplitError(line, "file-encoding",
                          "Tệp không phải mã UTF-8 (có thể lưu từ phần mềm cũ, bảng mã TCVN3/VNI); "
                          "hãy mở bằng trình soạn thảo và lưu lại với mã UTF-8.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str) -> SplitFile | SplitError:
    """Cut ``text`` into front matter and body."""
    if not text.strip():
        return SplitError(1, "file-empty",
                          "Tệp trống; hãy dùng tệp mẫu (baocao new-quarter) và điền nội dung.")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return SplitError(1, "front-matter-missing",
                          "Tệp phải bắt đầu bằng dòng `---`, rồi các trường thông tin, rồi một dòng `---` nữa.")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
                return SplitError(1, "front-matter-too-big",
                                  f"Phần thông tin đầu tệp quá dài (tối đa {MAX_FRONT_MATTER_CHARS // 1024} KB).")
            return SplitFile(yaml_text, 2, "\n".join(lines[index + 1:]), index + 2)
    return SplitError(1, "front-matter-unclosed",
                      "Phần thông tin đầu tệp chưa được đóng: thêm một dòng `---` sau trường cuối cùng.")
