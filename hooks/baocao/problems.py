"""Problems found in content and data, and the ways they are printed.

A problem names the file (relative to the repository), the line, the field, a
Vietnamese message that says what to write instead, and a stable code. Printing is
``path:line: field: message [code]`` for people, ``::error`` lines for CI annotations,
or JSON for tools. (The error page of ``mkdocs serve`` lists them through a template,
``overrides/baocao/problems.html``.)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    code: str
    severity: Severity = Severity.ERROR

    def text(self) -> str:
        field = f" {self.field}:" if self.field else ""
        label = "" if self.severity is Severity.ERROR else " (cảnh báo)"
        return f"{self.path}:{self.line}:{field}{label} {self.message} [{self.code}]"

    def github(self) -> str:
        """A GitHub workflow command; the file name and the message are escaped by the
        runner's rules (a file name is contributor data: it must not end the command)."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        field = f"{self.field}: " if self.field else ""
        message = _escape_data(f"{field}{self.message} [{self.code}]")
        return f"::{kind} file={_escape_property(self.path)},line={int(self.line)}::{message}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.field, problem.code, problem.message)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def summary(problems: list[Problem]) -> str:
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    if not problems:
        return "Không có lỗi."
    parts = []
    if n_err:
        parts.append(f"{n_err} lỗi")
    if n_warn:
        parts.append(f"{n_warn} cảnh báo")
    return "Có " + ", ".join(parts) + "."


def render(problems: list[Problem], fmt: str = "text") -> str:
    """All problems in one format, sorted by file and line, ending with a count."""
    ordered = sorted(problems, key=sort_key)
    if fmt == "json":
        rows = [dict(asdict(p), severity=p.severity.value) for p in ordered]
        return json.dumps({"problems": rows, "errors": len(errors(ordered)),
                           "warnings": len(ordered) - len(errors(ordered))},
                          ensure_ascii=False, indent=2)
    lines = [p.github() if fmt == "github" else p.text() for p in ordered]
    lines.append(summary(ordered))
    return "\n".join(lines)

