"""The whole check: load the repository, run every rule, return the archive and problems.

This is what ``baocao check`` prints and what the MkDocs hook runs before a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from baocao.check import copied, deadlines
from baocao.check.forms import check_forms
from baocao.check.links import check_links
from baocao.check.rules import RULES
from baocao.check.seal import check_seal
from baocao.load import siteconfig
from baocao.load.cache import FileCache
from baocao.load.loader import load_archive
from baocao.model import Archive
from baocao.problems import Problem, errors, sort_key
from baocao.seal import manifest as seal_manifest


@dataclass
class CheckResult:
    archive: Archive
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def run_check(root: Path | str, use_cache: bool = True, cache: FileCache | None = None) -> CheckResult:
    """Load everything under ``root`` and apply every rule; never raises for bad content.

    With ``use_cache``, content files unchanged since the last run are taken from the
    cache in the user's cache folder (see :mod:`baocao.load.cache`); the rules always run on
    everything. A ``cache`` given by the caller (a preview server's, kept between its
    rebuilds) is used as it is and saved by the caller."""
    root = Path(root)
    own = cache is None and use_cache
    if own:
        cache = FileCache(root)
    elif cache is not None:
        cache.begin()
    archive, problems = load_archive(root, cache)
    if own:
        cache.save()
    seal_manifest.attach(root, archive, problems)
    for rule in (*RULES, *deadlines.RULES):
        problems.extend(rule(archive))
    for rule in copied.RULES:  # with the results of earlier runs, as the content itself
        problems.extend(rule(archive, root if use_cache else None))
    problems.extend(check_links(archive, root))
    problems.extend(check_seal(archive, root))
    problems.extend(check_forms(archive))
    problems.extend(siteconfig.problems(root / "mkdocs.yml"))
    unique = sorted(set(problems), key=sort_key)
    return CheckResult(archive, unique)
