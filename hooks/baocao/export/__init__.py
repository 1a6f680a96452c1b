"""The report in other formats: PDF, Word, the statistical forms' workbook."""

from __future__ import annotations

from pathlib import Path


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed over it: a
    failure leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return path
