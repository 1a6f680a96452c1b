"""The ``baocao`` command: ``check``, ``schema``. Messages are in Vietnamese.

Run from the repository root (or pass ``--root``). Exit codes: 0 fine, 1 problems
found, 2 wrong use of the command.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from .check import run_check
from .problems import render
from .schemas import DATA_FILES, ReportMeta, SectionMeta

SCHEMA_DIR = Path("data") / "schemas"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="baocao", description="Công cụ kho báo cáo của Đảng ủy.")
    parser.add_argument("--root", default=".", help="thư mục gốc của kho (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung và dữ liệu")
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="dạng kết quả: text (mặc định), github (chú thích CI), json")
    check.add_argument("--fix", action="store_true", help="sửa tự động chữ không ở dạng Unicode NFC")
    sub.add_parser("schema", help="ghi JSON Schema của các tệp vào data/schemas/")
    return parser


def schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for every kind of file."""
    out = {"report.schema.json": ReportMeta.model_json_schema(),
           "section.schema.json": SectionMeta.model_json_schema()}
    for name, model in DATA_FILES.items():
        out[name.replace(".yml", ".schema.json")] = model.model_json_schema()
    return out


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def fix_nfc(root: Path) -> list[Path]:
    """Rewrite content and data files that are not NFC; return those changed."""
    changed = []
    candidates = list((root / "docs").rglob("*.md")) + list((root / "data").glob("*.yml"))
    for path in sorted(candidates):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        fixed = unicodedata.normalize("NFC", text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.command == "schema":
        for path in write_schemas(root):
            print(f"Đã ghi {path.relative_to(root).as_posix()}")
        return 0
    if args.command == "check":
        if args.fix:
            for path in fix_nfc(root):
                print(f"Đã chuyển sang Unicode NFC: {path.relative_to(root).as_posix()}")
        result = run_check(root)
        print(render(result.problems, args.format))
        return 0 if result.ok else 1
    parser.print_help(sys.stderr)
    return 2
