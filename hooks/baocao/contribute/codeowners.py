"""CODEOWNERS from the registries: who reviews which section files.

Each party organisation's reviewers (``reviewers`` in ``data/organisations.yml``) own the
section files of the outline slots they write, in every quarter (a file keeps its name
from quarter to quarter); the office's reviewers (``reviewers`` in
``data/committee.yml``) own everything. The seal's files of every report folder (the
manifest, the errata, the PDF and Word files kept at issue) are the office's alone, on the
last lines, since the last matching line wins: a pull request that seals a report with a
manifest of its own, or changes what the site publishes as the official files, needs the
office's approval, not an organisation's. GitHub, Gitea and Forgejo read the same format.
"""

from __future__ import annotations

from baocao.load import sealfiles
from baocao.model import Archive

#: The seal's files in a report folder (:mod:`baocao.load.sealfiles`), as CODEOWNERS patterns.
SEAL_FILES = (sealfiles.MANIFEST, sealfiles.ERRATA, "*.pdf", "*.docx")

HEADER = ("# Tạo tự động bằng `baocao codeowners` từ data/organisations.yml và data/committee.yml.\n"
          "# Đừng sửa tay: sửa danh sách reviewers trong data/ rồi chạy lại lệnh.\n")


def owned_slugs(archive: Archive, org_id: str) -> set[str]:
    """File names (without .md) of the sections an organisation writes."""
    org = archive.organisations[org_id]
    alone = org.category and [o.id for o in archive.organisations.values() if o.category == org.category] == [org_id]
    slugs = set()
    for report in archive.reports:
        for section in report.sections:
            if section.meta.contributor == org_id or (alone and section.meta.category == org.category):
                slugs.add(section.slug)
    return slugs


def codeowners(archive: Archive) -> str:
    office = list(archive.committee.reviewers) if archive.committee else []
    lines = [HEADER]
    if office:
        lines.append(f"* {' '.join(office)}")
    for org in archive.organisations.values():
        if not org.reviewers:
            continue
        owners = " ".join(dict.fromkeys([*org.reviewers, *office]))
        for slug in sorted(owned_slugs(archive, org.id)):
            lines.append(f"/docs/reports/*/{slug}.md {owners}")
    if office:
        lines.extend(f"/docs/reports/*/{name} {' '.join(office)}" for name in SEAL_FILES)
    return "\n".join(lines) + "\n"
