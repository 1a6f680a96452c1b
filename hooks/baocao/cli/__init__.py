"""The ``baocao`` command, one module per area, each adding its sub-commands with
:func:`~baocao.cli.common.command` (the function that does it, as ``run``):

- :mod:`.content`: ``check``, ``schema``, ``new-quarter``, ``status``, ``codeowners``;
- :mod:`.pull_request`: ``pr-content``;
- :mod:`.site`: ``serve`` / ``build`` (MkDocs, run without Material's English end-of-life
  banner), and serving on an intranet: ``publish``, ``nginx``, ``user``;
- :mod:`.form`: the web form: ``cms-config``, ``edit``;
- :mod:`.word`: Word files: ``docx``, ``import``;
- :mod:`.stats`: the statistical forms: ``stats``;
- :mod:`.issued`: the issued report: ``issue``, ``pdf``, ``sign``, ``verify``.

Nothing here but arguments and what is printed: the work is the package's. Messages are
in Vietnamese (:mod:`.parser`: argparse's own words too). Run from the repository root
(or pass ``--root``). Exit codes: 0 fine, 1 problems found, 2 wrong use of the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from baocao.cli import content, form, issued, pull_request, site, stats, word
from baocao.cli.common import not_a_repository
from baocao.cli.parser import Parser

#: The sub-commands, in the order ``baocao --help`` lists them.
COMMANDS = (
    content.add_check, content.add_schema, pull_request.add_pr_content, content.add_new_quarter,
    content.add_status, site.add_serve, site.add_build, content.add_codeowners, form.add_cms_config,
    form.add_edit, word.add_docx, stats.add_stats, word.add_import, site.add_publish, site.add_nginx,
    site.add_user, issued.add_issue, issued.add_pdf, issued.add_sign, issued.add_verify,
)


def parser() -> argparse.ArgumentParser:
    """The ``baocao`` command's arguments, every sub-command's included."""
    top = Parser(prog="baocao", description="Công cụ kho báo cáo của Đảng ủy.")
    top.add_argument("--root", default=".", metavar="THƯ_MỤC", help="thư mục gốc của kho (mặc định: thư mục hiện tại)")
    sub = top.add_subparsers(dest="command", metavar="LỆNH", parser_class=Parser)
    for add in COMMANDS:
        add(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    args, extra = arguments.parse_known_args(argv)
    if extra and not getattr(args, "passes_on", False):
        arguments.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        arguments.print_help(sys.stderr)
        return 2
    root = Path(args.root)
    if not args.anywhere and not_a_repository(root):
        return 2
    args.passed_on = extra
    return args.run(root, args)
