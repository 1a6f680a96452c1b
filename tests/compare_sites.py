"""Compare two built sites file by file, ignoring only the build dates.

Two builds of the same sources differ only where a date of the build is written: the
date the git-revision-date plugin shows for a page with no Git history (a generated page,
a file not committed: the build date, with the build's time in its ``title``), the
``<lastmod>`` of ``sitemap.xml`` (and its gzip copy, whose header holds a time too), and
the creation and modification times inside a Word file (and the times of its zip
entries). Those are masked when they are dates of the builds (today or yesterday, here
or in Asia/Ho_Chi_Minh); every other byte must be equal.

    python tests/compare_sites.py [--engines] SITE_A SITE_B

prints each difference and exits 1 when there is one. :func:`differences` is what the
tests use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import re
import sys
import zipfile
from pathlib import Path

_GIT_DATE = re.compile(rb'(<span class="git-revision-date-localized-plugin[^"]*"(?: title="[^"]*")?>)'
                       rb'([^<]*)(</span>)')
_TITLE = re.compile(rb' title="[^"]*"')
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
_OFFICE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def build_dates() -> set[bytes]:
    """``dd/mm/yyyy`` of today and yesterday, in UTC and in Vietnam (the site's time zone)."""
    now = dt.datetime.now(dt.UTC)
    days = {(now + dt.timedelta(hours=hours)).date() - dt.timedelta(days=back)
            for hours in (0, 7) for back in (0, 1)}
    return {d.strftime("%d/%m/%Y").encode() for d in days}


def _masked_text(data: bytes, dates: set[bytes]) -> bytes:
    def mask(match: re.Match) -> bytes:
        if match.group(2).strip() not in dates:
            return match.group(0)
        return _TITLE.sub(b"", match.group(1)) + b"(build date)" + match.group(3)

    data = _GIT_DATE.sub(mask, data)
    return _LASTMOD.sub(b"<lastmod>(build date)</lastmod>", data)


def _masked_zip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, _OFFICE_TIME.sub(rb"\1(build time)\2", archive.read(name)))
                for name in archive.namelist()]


def normalised(path: Path, dates: set[bytes], engines: bool = False) -> object:
    """What of ``path`` must be equal between two builds (with ``engines``, also between
    two engines: the generator's name and version they write are masked)."""
    data = path.read_bytes()
    if engines and path.suffix == ".html":
        data = _GENERATOR.sub(b'<meta name="generator" content="(engine)">', data)
    if path.suffix == ".gz":
        return _masked_text(gzip.decompress(data), dates)
    if path.suffix in (".docx", ".xlsx"):
        return _masked_zip(data)
    if path.suffix in (".html", ".xml"):
        return _masked_text(data, dates)
    return data


def differences(a: Path, b: Path, engines: bool = False) -> list[str]:
    """What differs between the sites in folders ``a`` and ``b`` (build dates aside; with
    ``engines``, the generator's name aside too)."""
    dates = build_dates()
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    found = [f"only in {a}: {name}" for name in sorted(files_a - files_b)]
    found += [f"only in {b}: {name}" for name in sorted(files_b - files_a)]
    for name in sorted(files_a & files_b):
        if normalised(a / name, dates, engines) != normalised(b / name, dates, engines):
            found.append(f"differs: {name}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="compare_sites.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("site_a", type=Path, metavar="SITE_A", help="a built site's folder")
    parser.add_argument("site_b", type=Path, metavar="SITE_B", help="the other built site's folder")
    parser.add_argument("--engines", action="store_true",
                        help="also ignore the generator's name and version (two engines' builds)")
    args = parser.parse_args(argv)
    for site in (args.site_a, args.site_b):
        if not site.is_dir():  # a mistyped name would read as an empty site
            parser.error(f"{site} is not a folder" if site.exists() else f"no folder {site}")
    found = differences(args.site_a, args.site_b, engines=args.engines)
    print("\n".join(found) if found else "same site (build dates aside)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
