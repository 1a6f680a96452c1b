"""The site shown under ``mkdocs serve`` while the check fails.

An aborted build would leave the preview server waiting for a good build, every request
hanging. Instead every page (content files, the nav's pages, every page of the last good
build, the home page) becomes one Vietnamese page listing the problems, drawn by the
autoescaped template ``problems.html``; the theme's assets stay. The next save that
fixes the files brings the site back.
"""

from __future__ import annotations

from collections.abc import Iterable

from baocao.compile import sitemap
from baocao.problems import Problem, sort_key, summary
from baocao.render.templates import Templates

#: What the console says when the check fails under serve.
SERVE_FAILED = ("Kiểm tra nội dung: {} Trang xem thử hiện danh sách lỗi thay cho các trang; hãy sửa "
                "các lỗi trên rồi lưu tệp, trang sẽ tự tải lại.")


def content(templates: Templates, problems: list[Problem]) -> str:
    """The error page's Markdown: a heading, then the problems drawn by the template."""
    return ("# Nội dung đang có lỗi\n\n"
            + templates.render("problems.html", summary=summary(problems), problems=sorted(problems, key=sort_key))
            + "\n")


def nav_uris(nav) -> list[str]:
    """The Markdown pages a ``nav:`` setting names (a list of titles and pages, nested)."""
    found: list[str] = []
    for item in nav if isinstance(nav, list) else [nav]:
        if isinstance(item, dict):
            for value in item.values():
                found.extend(nav_uris(value))
        elif isinstance(item, str) and item.endswith(".md") and "://" not in item:
            found.append(item)
    return found


def untitled_nav_uris(nav) -> list[str] | None:
    """The pages the nav names without a title of its own (the engine then takes the
    page's title, so it reads them at every build); None when there is no nav (the engine
    makes one of every page, with their titles)."""
    if not isinstance(nav, list):
        return None
    found: list[str] = []
    for item in nav:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found.extend(untitled_nav_uris(value) or [])
    return found


def uris(known: Iterable[str], documentation: Iterable[str], nav) -> list[str]:
    """Every page the error site replaces, sorted."""
    found = set(known) | {sitemap.HOME}
    found.update(documentation)
    found.update(nav_uris(nav or []))
    return sorted(found)
