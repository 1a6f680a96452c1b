"""The JSON Schemas of ``data/schemas/``: written by ``baocao schema`` from the models, and
checked by ``baocao check`` to be exactly what it writes.

Editors follow these files (VS Code's YAML extension reads the ``$schema`` modeline of each
data file): a pull request that replaced one could make an editor accept, suggest or
"fix" anything. The check compares each file, read as JSON, with what the models give,
and refuses a file that differs or that ``baocao schema`` does not write; a missing one
is not a problem (``baocao schema`` writes it). The answer for an unchanged file is kept
in the check's cache, which any code change empties.
"""

from __future__ import annotations

import json
from pathlib import Path

from baocao.load import layout
from baocao.load.cache import FileCache
from baocao.problems import Problem
from baocao.schemas import DATA_FILES, Errata, IssueManifest, ReportMeta, SectionMeta

SCHEMA_DIR = Path("data") / "schemas"
#: Largest schema file read, in bytes (the largest written is a few KB).
MAX_BYTES = 256 * 1024


def json_schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for every kind of file."""
    out = {"report.schema.json": ReportMeta.model_json_schema(),
           "section.schema.json": SectionMeta.model_json_schema(),
           "ban-hanh.schema.json": IssueManifest.model_json_schema(),
           "dinh-chinh.schema.json": Errata.model_json_schema()}
    for name, model in DATA_FILES.items():
        out[name.replace(".yml", ".schema.json")] = model.model_json_schema()
    return out


def text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write(root: Path) -> list[Path]:
    """Write every schema to ``data/schemas/``; the paths written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / name
        path.write_text(text(schema), encoding="utf-8")
        written.append(path)
    return written


_CHANGED = ("Tệp lược đồ này khác với bản do `baocao schema` tạo ra (trình soạn thảo dùng nó để gợi ý và "
            "kiểm tra các trường); không sửa tay tệp này: hãy chạy `baocao schema` để tạo lại.")
_UNKNOWN = ("Tệp lược đồ này không do `baocao schema` tạo ra; hãy xóa tệp (`baocao schema` tạo đủ các tệp "
            "cần thiết).")


def check(root: Path, tree: layout.Layout, cache: FileCache | None = None) -> list[Problem]:
    """A problem for each file of ``data/schemas/`` that is not what ``baocao schema`` writes."""
    rel_dir = SCHEMA_DIR.as_posix()
    names = tree.listing.get(rel_dir, ([], []))[1]
    problems: list[Problem] = []
    expected: dict[str, dict] | None = None
    for name in names:
        rel = f"{rel_dir}/{name}"
        if not tree.ok(rel):
            continue
        path = root / rel
        stamp = tree.stamps.get(rel)
        if cache is not None and cache.get(path, lambda ok: ok is True, stamp):
            continue
        if expected is None:
            expected = json_schemas()
        try:
            raw = layout.read_file(path, MAX_BYTES)
        except layout.ReadRefused as exc:
            problems.append(Problem(rel, 1, "", exc.message, exc.code))
            continue
        if name not in expected:
            problems.append(Problem(rel, 1, "", _UNKNOWN, "schema-unknown"))
            continue
        try:
            same = json.loads(raw) == expected[name]
        except (ValueError, RecursionError):
            same = False
        if not same:
            problems.append(Problem(rel, 1, "", _CHANGED, "schema-changed"))
        elif cache is not None:
            cache.put(path, True, stamp)
    return problems
