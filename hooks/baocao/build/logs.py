"""What the build leaves out of the console.

The git-revision-date plugin says, in English and once per page, that a page has no Git
history ("has no git logs, using current timestamp", "Falling back to build date"): a
new file not committed yet, or a copy outside Git. That is expected
(``fallback_to_build_date: true``: the page shows the build date) and says nothing a user
must act on: :class:`GitDateNotes` drops those notes. The plugin's warnings and errors
pass. (It logs them from its worker processes too, which inherit the filter, so they can
be dropped but not counted.)
"""

from __future__ import annotations

import logging

#: The loggers the filter is put on.
GIT_DATE_LOGGERS = tuple(f"mkdocs.plugins.mkdocs_git_revision_date_localized_plugin.{name}"
                         for name in ("util", "plugin"))


class GitDateNotes(logging.Filter):
    NOTES = ("has no git logs", "Falling back to build date")

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not any(n in str(record.msg) for n in self.NOTES)


class DirtyBuildNote(logging.Filter):
    """MkDocs warns, in English and at every build of ``mkdocs serve --dirty``, that a
    dirty build "will likely lead to inaccurate navigation and other links". Under
    ``baocao serve`` the engine answers MkDocs' "did this page change?" itself
    (:mod:`baocao.build.incremental`): the warning is wrong there, and it would fail a
    ``--strict`` preview."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def quiet_dirty_builds() -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(DirtyBuildNote())


def quiet_git_dates() -> None:
    for name in GIT_DATE_LOGGERS:
        logging.getLogger(name).addFilter(GitDateNotes())
