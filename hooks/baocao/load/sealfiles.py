"""The names of the files an issued report keeps beside its Markdown files.

- ``ban-hanh.yml``: the manifest written by ``baocao issue`` (digests at issue);
- ``dinh-chinh.yml``: the errata (one entry per công văn đính chính);
- ``bao-cao-<kỳ>.pdf`` / ``.docx``: the PDF and Word files made at issue, kept as they were.

The layout check (:mod:`.layout`) accepts these names in a report folder and nothing else
besides the Markdown files, before anything is read: hence their place in ``load``. The
seal's rule (:mod:`baocao.check.seal`) refuses an output file that no manifest covers.
"""

from __future__ import annotations

import re

from baocao.periods import YEAR

MANIFEST = "ban-hanh.yml"
ERRATA = "dinh-chinh.yml"
_OUTPUT = re.compile(rf"^bao-cao-{YEAR}-q[1-4]\.(pdf|docx)$")


def is_output(name: str) -> bool:
    return bool(_OUTPUT.fullmatch(name))


def known(name: str) -> bool:
    """Whether ``name`` is one of the seal's files in a report folder."""
    return name in (MANIFEST, ERRATA) or is_output(name)
