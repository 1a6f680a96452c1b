"""What a built site must contain before it may be published: the home page, the 404
page, and a page for every report and every section in the repository's
``docs/reports/`` (and every report the site's own archive page links to), and every
download a page links to (PDF, Word...); and what it must not: a symlink, or an inline
script that is not one of the theme's (the committed list of ``csp``, which the served
site's policy allows)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from baocao.deploy import DeployError, csp
from baocao.periods import FOLDER

#: A report's folder: a period's (``2025-q3``) or a replacement report's (``2025-q3-2``).
REPORT_DIR = re.compile(rf"^{FOLDER}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ARCHIVE_LINK = re.compile(rf'href="(?:\./)?({FOLDER})/"')
#: Written by baocao's build step (the hook module) and by nothing else: the web form's
#: configuration. A site without it was built by an engine that ran no hooks (mkdocs.yml
#: without `hooks:`, or an engine such as Zensical that ignores them): its report pages
#: are the raw Markdown files, not the assembled reports, and it has no home page.
HOOKS_MARK = "admin/config.yml"
#: Files a page offers for download (the build writes them beside the report's page).
DOWNLOADS = ("pdf", "docx", "xlsx", "ods", "odt", "ics")
_DOWNLOAD_LINK = re.compile(r'href="([^":?#]+\.(?:' + "|".join(DOWNLOADS) + r'))"')


def expected_pages(repo: Path | None, site: Path) -> list[str]:
    """Relative paths of the pages the site must have, home first."""
    pages = ["index.html", "404.html"]
    folders: dict[str, list[str]] = {}
    reports = repo / "docs" / "reports" if repo else None
    if reports and reports.is_dir():
        for folder in sorted(reports.iterdir()):
            if folder.is_symlink() or not folder.is_dir() or not REPORT_DIR.fullmatch(folder.name):
                continue
            if not (folder / "index.md").is_file():
                continue
            folders[folder.name] = sorted(
                p.stem for p in folder.glob("*.md")
                if p.name != "index.md" and not p.is_symlink() and SLUG.fullmatch(p.stem))
    archive = site / "reports" / "index.html"
    if archive.is_file():
        for match in _ARCHIVE_LINK.finditer(archive.read_text(encoding="utf-8", errors="replace")):
            folders.setdefault(match.group(1), [])
    for name, slugs in sorted(folders.items()):
        pages.append(f"reports/{name}/index.html")
        pages.extend(f"reports/{name}/{slug}/index.html" for slug in slugs)
    return pages


def verify_site(site: Path, repo: Path | None) -> list[str]:
    """Check a built site; raise ``DeployError`` naming what is missing. Returns the pages
    checked."""
    if not site.is_dir():
        raise DeployError(f"Không thấy thư mục trang đã dựng `{site}`. Hãy chạy `baocao build` trước.")
    links = [p for p in site.rglob("*") if p.is_symlink()]
    if links:
        raise DeployError(f"Trang đã dựng có liên kết tượng trưng (symlink) `{links[0].relative_to(site)}`: "
                          "không phát hành. Hãy dựng lại bằng `baocao build`.")
    if not (site / HOOKS_MARK).is_file():
        raise DeployError(f"Trang `{site}` không được dựng qua bước dựng của baocao (thiếu `{HOOKS_MARK}`, tệp "
                          "chỉ bước đó ghi): các trang báo cáo chưa được ghép từ các phần và không có trang chủ. "
                          "Có lẽ mkdocs.yml đã mất dòng `hooks: - hooks/mkdocs_adapter.py`, hoặc trang được dựng "
                          "bằng công cụ không chạy hooks (như Zensical). Hãy dựng lại bằng `baocao build` với "
                          "mkdocs.yml của kho rồi phát hành.")
    pages = expected_pages(repo, site)
    missing = [p for p in pages if not (site / p).is_file() or (site / p).stat().st_size == 0]
    if missing:
        shown = ", ".join(missing[:5]) + (f" và {len(missing) - 5} trang khác" if len(missing) > 5 else "")
        what = "trang chủ" if "index.html" in missing else "trang báo cáo"
        raise DeployError(f"Trang đã dựng `{site}` thiếu {what}: {shown}. Bản dựng chưa xong hoặc "
                          "bị lỗi; hãy chạy lại `baocao build` rồi phát hành.")
    absent = missing_downloads(site)
    if absent:
        page, target = absent[0]
        raise DeployError(f"Trang `{page}` của bản dựng có nút tải `{target}` nhưng thiếu tệp đó"
                          + (f" (và {len(absent) - 1} tệp tải về khác)" if len(absent) > 1 else "")
                          + ". Hãy dựng lại trọn vẹn (`BAOCAO_PDF=1 BAOCAO_DOCX=1 baocao build --strict`) rồi phát hành.")
    unknown = csp.unknown_scripts(site)
    if unknown:
        shown = ", ".join(sorted(set(unknown.values()))[:5])
        raise DeployError(f"Trang đã dựng `{site}` có đoạn mã (script) không thuộc giao diện của kho, ở: {shown}. "
                          "Không phát hành: trình duyệt của người đọc sẽ chặn đoạn mã này, và nó có thể do "
                          "một tệp lạ đưa vào. Nếu vừa nâng cấp Material for MkDocs, người bảo trì phải duyệt "
                          "và cập nhật danh sách mã của giao diện (tools/csp/update-inline-scripts.py) rồi "
                          "tạo lại cấu hình nginx.")
    return pages


def missing_downloads(site: Path) -> list[tuple[str, str]]:
    """(page, link) of every download link of the site's pages whose file is missing."""
    missing = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        rel = page.relative_to(site).as_posix()
        for target in _DOWNLOAD_LINK.findall(text):
            resolved = posixpath.normpath(posixpath.join("/", posixpath.dirname(rel), target)).lstrip("/")
            if not (site / resolved).is_file():
                missing.append((rel, target))
    return missing
