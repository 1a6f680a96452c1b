"""Problems found in content and data, and the ways they are printed.

A problem names the file (relative to the repository), the line, the field, a
Vietnamese message that says what to write instead, and a stable code. Printing is
``path:line: field: message [code]`` for people, ``::error`` lines for CI annotations,
or JSON for tools. (The error page of ``mkdocs serve`` lists them through a template,
``overrides/baocao/problems.html``.)
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    #: milder than a warning: worth a look, never a reason to stop (not even ``--strict``).
    NOTE = "note"


_LABELS = {Severity.ERROR: "", Severity.WARNING: " (cảnh báo)", Severity.NOTE: " (lưu ý)"}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    code: str
    severity: Severity = Severity.ERROR
    #: a warning about how a text is written, not whether it is valid (a section copied
    #: from last quarter): it never fails a build, not even under ``--strict``.
    advisory: bool = False

    @property
    def fails_strict(self) -> bool:
        """Whether it stops ``mkdocs build --strict`` (an error stops every build)."""
        return self.severity is Severity.ERROR or (self.severity is Severity.WARNING and not self.advisory)

    def text(self) -> str:
        field = f" {self.field}:" if self.field else ""
        label = _LABELS[self.severity]
        return f"{self.path}:{self.line}:{field}{label} {self.message} [{self.code}]"

    def github(self) -> str:
        """A GitHub workflow command; the file name and the message are escaped by the
        runner's rules (a file name is contributor data: it must not end the command)."""
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}[self.severity]
        field = f"{self.field}: " if self.field else ""
        message = _escape_data(f"{field}{self.message} [{self.code}]")
        return f"::{kind} file={_escape_property(self.path)},line={int(self.line)}::{message}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.field, problem.code, problem.message)


def within(problems: list[Problem], folder: str) -> list[Problem]:
    """The problems of ``folder`` (a repository path, ``docs/reports/2025-q4``) and its files."""
    return [p for p in problems if p.path == folder or p.path.startswith(folder + "/")]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def failing(problems: list[Problem], strict: bool) -> list[Problem]:
    """The problems that stop a build: errors, and under ``--strict`` warnings that are not
    advisory. Notes and advisory warnings never stop one."""
    return [p for p in problems if p.severity is Severity.ERROR or (strict and p.fails_strict)]


def log_level(problem: Problem) -> int:
    """The logging level a build reports a problem at: MkDocs counts every warning it logs
    against ``--strict``, so what never fails a build is logged as information."""
    if problem.severity is Severity.ERROR:
        return logging.ERROR
    return logging.WARNING if problem.fails_strict else logging.INFO


def summary(problems: list[Problem]) -> str:
    n_err = len(errors(problems))
    n_note = sum(1 for p in problems if p.severity is Severity.NOTE)
    n_warn = len(problems) - n_err - n_note
    if not problems:
        return "Không có lỗi."
    parts = []
    if n_err:
        parts.append(f"{n_err} lỗi")
    if n_warn:
        parts.append(f"{n_warn} cảnh báo")
    if n_note:
        parts.append(f"{n_note} lưu ý")
    return "Có " + ", ".join(parts) + "."


def render(problems: list[Problem], fmt: str = "text") -> str:
    """All problems in one format, sorted by file and line, ending with a count."""
    ordered = sorted(problems, key=sort_key)
    if fmt == "json":
        # keys that only some problems have are written only for them
        rows = [{k: v for k, v in asdict(p).items() if k != "advisory" or v} | {"severity": p.severity.value}
                for p in ordered]
        notes = sum(1 for p in ordered if p.severity is Severity.NOTE)
        counts = {"errors": len(errors(ordered)), "warnings": len(ordered) - len(errors(ordered)) - notes}
        return json.dumps({"problems": rows, **counts, **({"notes": notes} if notes else {})},
                          ensure_ascii=False, indent=2)
    lines = [p.github() if fmt == "github" else p.text() for p in ordered]
    lines.append(summary(ordered))
    return "\n".join(lines)

