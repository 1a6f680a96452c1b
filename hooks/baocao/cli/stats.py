"""``stats``: the Party's statistical forms of a period as an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from baocao.cli.common import command, report_file


def add_stats(sub) -> None:
    stats = command(sub, "stats", export_stats, help="điền các biểu mẫu thống kê của một kỳ vào tệp Excel (.xlsx)")
    stats.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    stats.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: bieu-thong-ke-<kỳ>.xlsx)")


def export_stats(root: Path, args) -> int:
    from baocao.export import xlsx

    return report_file(root, args.period, args.output, "điền biểu thống kê", xlsx.xlsx_name, xlsx.write)
