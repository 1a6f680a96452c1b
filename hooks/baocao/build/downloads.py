"""The files offered for download beside each report page (PDF, Word, ...).

Each kind is one :class:`Download`: the setting that asks for it
(:class:`~baocao.load.siteconfig.Settings`), the suffix of its file name (the name itself
comes from :func:`baocao.compile.sitemap.download_name`), and the writer that makes the
files once the site is built. A new kind is one more entry in :data:`DOWNLOADS`, one
field of :class:`baocao.render.pages.Downloads` and its button in
``overrides/baocao/partials/toolbar.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from baocao.compile.sitemap import download_name, report_uri
from baocao.load.siteconfig import Settings
from baocao.model import Archive, Report
from baocao.render.links import Links
from baocao.render.pages import Downloads
from baocao.seal.manifest import state as seal_state

#: What a writer says of each file it made (a Vietnamese line for the console).
Say = Callable[[str], None]


class DownloadError(Exception):
    """A download could not be made (the message is Vietnamese)."""


@dataclass(frozen=True)
class Download:
    #: the switch of :class:`~baocao.load.siteconfig.Settings` that asks for it.
    setting: str
    suffix: str
    #: writes the files of every report into the built site.
    write: Callable[[Archive, Links, Path, Say], None]

    def wanted(self, settings: Settings) -> bool:
        return bool(getattr(settings, self.setting))


def _write_docx(archive: Archive, links: Links, site: Path, say: Say) -> None:
    from baocao.export.docx import write

    for report in _made_by_build(archive, "docx"):
        out = write(archive, report, site / report.folder / download_name(report, "docx"))
        say(f"Đã ghi tệp Word {out.relative_to(site).as_posix()}")


def _write_pdf(archive: Archive, links: Links, site: Path, say: Say) -> None:
    from baocao.export.pdf import PdfError, print_pages

    jobs = [(links.url(report_uri(r)), site / r.folder / download_name(r, "pdf"))
            for r in _made_by_build(archive, "pdf")]

    def progress(url: str, out: Path, seconds: float) -> None:
        say(f"Đã in PDF {out.relative_to(site).as_posix()} ({seconds:.1f} giây)")

    try:
        print_pages(site, jobs, progress)
    except PdfError as exc:
        raise DownloadError(str(exc)) from exc


def _write_xlsx(archive: Archive, links: Links, site: Path, say: Say) -> None:
    from baocao.export.xlsx import write  # openpyxl only when the workbooks are made

    for report in archive.reports:
        out = write(archive, report, site / report.folder / download_name(report, "xlsx"))
        say(f"Đã ghi biểu thống kê {out.relative_to(site).as_posix()}")


#: Every kind, in the order they are made (the PDF prints pages that link to the others).
DOWNLOADS = (Download("docx", "docx", _write_docx), Download("xlsx", "xlsx", _write_xlsx),
             Download("pdf", "pdf", _write_pdf))


def _made_by_build(archive: Archive, suffix: str) -> list[Report]:
    """The reports whose ``suffix`` file the build makes: a sealed report keeps the one made
    at issue (published from its folder, never made again)."""
    return [r for r in archive.reports if seal_state(r).output(suffix) is None]


def _offered(report: Report, suffix: str, made: bool) -> str | None:
    kept = seal_state(report).output(suffix)
    return kept.name if kept is not None else (download_name(report, suffix) if made else None)


def offered(archive: Archive, settings: Settings) -> dict[str, Downloads]:
    """Each report page's downloads (by its address), as its toolbar offers them: the files
    kept at issue for a sealed report, else those the build is asked to make, which it
    makes for the report of each period only (the writers above): a report replaced offers
    its kept files, if any, and nothing else."""
    return {report_uri(r): Downloads(**{d.suffix: _offered(r, d.suffix, d.wanted(settings) and archive.is_current(r))
                                        for d in DOWNLOADS})
            for r in [*archive.reports, *archive.replaced]}


def write_all(archive: Archive, settings: Settings, links: Links, site: Path, say: Say) -> None:
    for download in DOWNLOADS:
        if download.wanted(settings):
            download.write(archive, links, site, say)
