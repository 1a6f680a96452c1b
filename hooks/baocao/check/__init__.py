"""The whole check: load the repository, run every rule, return the archive and problems.

This is what ``baocao check`` prints and what the MkDocs hook runs before a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from baocao.check import copied, deadlines
from baocao.check.links import check_links
from baocao.check.rules import RULES
from baocao.load.cache import FileCache
from baocao.load.loader import load_archive
from baocao.model import Archive
from baocao.problems import Problem, errors, sort_key


@dataclass
class CheckResult:
    archive: Archive
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def run_check(root: Path | str, use_cache: bool = True) -> CheckResult:
    """Load everything under ``root`` and apply every rule; never raises for bad content.

    With ``use_cache``, content files unchanged since the last run are taken from the
    cache in the user's cache folder (see :mod:`baocao.load.cache`); the rules always run on
    everything."""
    root = Path(root)
    cache = FileCache(root) if use_cache else None
    archive, problems = load_archive(root, cache)
    if cache is not None:
        cache.save()
    for rule in (*RULES, *deadlines.RULES):
        problems.extend(rule(archive))
    for rule in copied.RULES:  # with the results of earlier runs, as the content itself
        problems.extend(rule(archive, root if use_cache else None))
    problems.extend(check_links(archive, root))
    unique = sorted(set(problems), key=sort_key)
    return CheckResult(archive, unique)
