"""``pr-content``: a pull request's ``docs/`` and ``data/`` taken onto the main branch's code, for CI."""

from __future__ import annotations

import sys
from pathlib import Path

from baocao.cli.common import command
from baocao.problems import Problem, Severity


def add_pr_content(sub) -> None:
    pr = command(sub, "pr-content", pr_content, help="lấy docs/ và data/ của một yêu cầu hợp nhất vào đây, giữ "
                                                     "nguyên mã của nhánh chính (CI kiểm tra mà không chạy mã "
                                                     "của yêu cầu)")
    pr.add_argument("base", metavar="GỐC", help="mã lần gửi (commit) gốc của yêu cầu hợp nhất")
    pr.add_argument("head", metavar="ĐẦU", help="mã lần gửi (commit) mới nhất của yêu cầu hợp nhất")
    pr.add_argument("--format", choices=("text", "github"), default="text", metavar="DẠNG",
                    help="github: các tệp ngoài docs/ và data/ hiện thành cảnh báo trên yêu cầu hợp nhất")


_OUTSIDE = ("tệp này nằm ngoài docs/ và data/: lần kiểm tra này dùng mã của nhánh chính và không dùng "
            "tệp này; người quản trị cần xem xét riêng trước khi hợp nhất.")


def pr_content(root: Path, args) -> int:
    from baocao.contribute.pull_request import PullRequestError, take_content

    try:
        taken = take_content(root, args.base, args.head)
    except PullRequestError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    print(f"Đã lấy docs/ và data/ của yêu cầu hợp nhất ({len(taken.content)} tệp thay đổi); "
          "mã (hooks/, overrides/, mkdocs.yml...) vẫn là của nhánh chính.")
    if taken.outside:
        print(f"Yêu cầu hợp nhất còn sửa {len(taken.outside)} tệp ngoài docs/ và data/, không được dùng ở đây:")
        for path in taken.outside:
            if args.format == "github":  # the name is the pull request's: escaped by the runner's rules
                print(Problem(path, 1, "", _OUTSIDE, "outside-content", Severity.WARNING).github())
            else:  # a name with control characters is shown as Python writes it, never raw
                print(f"  {path if path.isprintable() else ascii(path)}")
    return 0
