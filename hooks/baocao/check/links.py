"""Links in contributor text: every relative link and anchor must lead somewhere.

Contributor text (a report's opening, each section) is converted by baocao itself, not by
MkDocs, so MkDocs never sees its links and never warns about them. This rule reports
each broken one at ``file:line``, the same way for every file:

- a link to another page is written to its Markdown file (``cong-an.md``,
  ``../2025-q2/index.md``); it must be a file of ``docs/`` or a page baocao generates
  (home, archive, statistics, organisations, documents, tracker, every report and section);
- a link to another file (an image, a PDF) must be a file inside ``docs/`` (a symbolic
  link pointing out of it does not count);
- a link may not start with ``/`` (it breaks when the site is served under a sub-path)
  nor climb out of ``docs/``;
- an anchor (``#2-5-to-chuc-co-so-dang-khac``) must be a heading id of the page it leads
  to: for a report page, the outline's headings (:func:`baocao.textfold.slugify` of the
  numbered heading, as :mod:`baocao.compile.document` makes them), the headings of the
  texts shown there and the page's own ids; for a section page, its title and the
  headings of its text. A bare ``#anchor`` in a section is read on the report page, where
  the section is read as part of the document. Anchors of the other generated pages are
  not checked.

Links with a scheme (``https:``, ``mailto:``) and ``//host`` links are not followed (the
text hygiene rule refuses ``javascript:``). Links inside code (`` `…` `` and fenced
blocks) and HTML comments are not links. Inline links, images, reference definitions,
``<…>`` autolinks and ``href``/``src`` attributes of raw HTML are all checked.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from baocao.compile import sitemap
from baocao.compile.document import assemble
from baocao.compile.sitemap import DOCS, docs_path
from baocao.load.messages import did_you_mean
from baocao.model import Archive, Report
from baocao.problems import Problem

_FENCE = re.compile(r"^ {0,3}(```+|~~~+).*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
# A code span ends at the next run of as many backticks, within its paragraph (a blank line
# ends it): an unmatched run never scans the rest of the text.
_CODE = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_INLINE = re.compile(r"!?\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
                     r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
# "[^<>]" keeps each try inside one tag: a run of unclosed tags is scanned once, not once per tag.
_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*?\s(?:href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", re.S)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def _blank(match: re.Match) -> str:
    """The matched text as spaces, its line ends kept (so positions and lines stay)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _without_code(text: str) -> str:
    return _CODE.sub(_blank, _FENCE.sub(_blank, _COMMENT.sub(_blank, text)))


def links_in(text: str) -> Iterator[tuple[int, str]]:
    """(0-based line, URL) of every link written in Markdown ``text``."""
    plain = _without_code(text)
    found: list[tuple[int, str]] = []
    for pattern in (_INLINE, _REFERENCE, _AUTOLINK):
        for match in pattern.finditer(plain):
            url = match.group(1).strip()
            if url.startswith("<") and url.endswith(">"):
                url = url[1:-1].strip()
            found.append((match.start(1), url))
    for match in _ATTRIBUTE.finditer(plain):
        index = next(i for i in (1, 2, 3) if match.group(i) is not None)
        found.append((match.start(index), match.group(index).strip()))
    for position, url in sorted(found):
        yield plain.count("\n", 0, position), url


def headings_in(text: str, prefix: str) -> set[str]:
    """Ids baocao gives the headings of a contributor text shown under ``prefix``."""
    seen: dict[str, int] = {}
    ids: set[str] = set()
    for match in _HEADING.finditer(_without_code(text)):
        words = re.sub(r"[*_`\[\]]", " ", match.group(2))
        ids.add(sitemap.heading_id(prefix, words, seen))
    return ids


class _Site:
    """What a link can lead to: files of ``docs/``, generated pages, and the ids of report
    and section pages (computed when first asked)."""

    def __init__(self, archive: Archive, root: Path) -> None:
        self.archive = archive
        self.docs = (root / DOCS).resolve()
        self.files = self._files()
        self.reports: dict[str, Report] = {}
        self.sections: dict[str, tuple[Report, object]] = {}
        for report in archive.reports:
            self.reports[docs_path(report.source.path)] = report
            for section in report.sections:
                self.sections[docs_path(section.source.path)] = (report, section)
        self.pages = {p for p in self.files if p.endswith(".md")} | sitemap.page_uris(archive)
        self._ids: dict[str, set[str] | None] = {}

    def _files(self) -> set[str]:
        """Docs-relative paths of the regular files under ``docs/`` (symbolic links that
        point out of it left out; folders reached through symbolic links not entered)."""
        found: set[str] = set()
        if not self.docs.is_dir():
            return found
        for folder, _, names in os.walk(self.docs):
            for name in names:
                path = Path(folder) / name
                if path.is_symlink():
                    try:
                        target = path.resolve()
                    except OSError:
                        continue
                    if not target.is_relative_to(self.docs) or not target.is_file():
                        continue
                found.add(path.relative_to(self.docs).as_posix())
        return found

    def ids(self, page: str) -> set[str] | None:
        """The ids of ``page`` (docs-relative), or None when they are not checked."""
        if page not in self._ids:
            self._ids[page] = self._compute(page)
        return self._ids[page]

    def _compute(self, page: str) -> set[str] | None:
        report = self.reports.get(page)
        if report is not None:
            ids = set(sitemap.REPORT_IDS) | headings_in(report.body, sitemap.OPENING_PREFIX)
            for part in assemble(self.archive, report).parts:
                ids.add(part.anchor)
                if part.section is not None:
                    ids |= headings_in(part.section.body, part.anchor)
            return ids
        if page in self.sections:
            _, section = self.sections[page]
            return set(sitemap.SECTION_IDS) | headings_in(section.body, sitemap.SECTION_TEXT_PREFIX)  # type: ignore[attr-defined]
        return None


def check_links(archive: Archive, root: Path) -> Iterator[Problem]:
    """Every broken relative link and anchor in the reports' and sections' text."""
    site: _Site | None = None
    for report in archive.reports:
        texts = [(report.source.path, report.body, report.body_line, docs_path(report.source.path))]
        texts += [(s.source.path, s.body, s.body_line, docs_path(report.source.path)) for s in report.sections]
        for path, body, first, reader_page in texts:
            if "](" not in body and "]:" not in body and "<" not in body:
                continue
            for line, url in links_in(body):
                if site is None:
                    site = _Site(archive, root)
                problem = _judge(site, docs_path(path), reader_page, url)
                if problem:
                    yield Problem(path, first + line, "", problem[1], problem[0])


def _judge(site: _Site, source: str, reader_page: str, url: str) -> tuple[str, str] | None:
    """(code, message) when ``url``, written in the file ``source`` (docs-relative) and read
    on ``reader_page``, leads nowhere."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "link-broken", f"Liên kết `{url}` viết sai; hãy kiểm tra lại."
    if parts.scheme or parts.netloc:
        return None
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        if not fragment:
            return None
        return _anchor(site, reader_page, fragment, url)
    if path.startswith("/"):
        return "link-absolute", (f"Liên kết `{url}` bắt đầu bằng `/` nên hỏng khi trang web đặt trong thư mục con; "
                                 "hãy viết đường dẫn tương đối tới tệp, ví dụ `cong-an.md`.")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if target == ".." or target.startswith("../"):
        return "link-outside", f"Liên kết `{url}` trỏ ra ngoài thư mục docs/; hãy liên kết tới tệp trong docs/."
    if target.endswith(".md"):
        if target not in site.pages:
            folder = posixpath.dirname(target)
            near = [posixpath.basename(p) for p in site.pages if posixpath.dirname(p) == folder]
            return "link-broken", (f"Liên kết `{url}` trỏ tới tệp `{DOCS}/{target}` không có."
                                   + did_you_mean(posixpath.basename(target), near)
                                   + " Hãy sửa tên tệp hoặc bỏ liên kết.")
        return _anchor(site, target, fragment, url) if fragment else None
    if target not in site.files:
        hint = " Hãy sửa tên tệp hoặc bỏ liên kết."
        for page in (posixpath.normpath(posixpath.join(target, "index.md")), target + ".md"):
            if page in site.pages:
                written = posixpath.relpath(page, posixpath.dirname(source) or ".")
                hint = f" Để liên kết tới một trang, hãy viết tên tệp của nó: `{written}`."
                break
        return "link-broken", f"Liên kết `{url}` trỏ tới `{DOCS}/{target}` không có.{hint}"
    return None


def _anchor(site: _Site, page: str, fragment: str, url: str) -> tuple[str, str] | None:
    ids = site.ids(page)
    if ids is None or fragment in ids:
        return None
    # A heading's id is long: a clerk often writes its beginning only.
    starting = sorted(i for i in ids if i.startswith(fragment[: max(len(fragment) - 2, 1)]))
    hint = f" Có phải ý bạn là `{starting[0]}`?" if len(starting) == 1 else did_you_mean(fragment, ids)
    return "link-anchor", (f"Liên kết `{url}`: trang `{DOCS}/{page}` không có đề mục `#{fragment}`."
                           + hint + " Hãy sửa phần sau dấu `#` hoặc bỏ nó.")
