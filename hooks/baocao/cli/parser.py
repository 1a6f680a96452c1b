"""argparse with its own words in Vietnamese: usage, headings and error messages."""

from __future__ import annotations

import argparse
import re
import sys


class Parser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="xem hướng dẫn này")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Cách dùng:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "Cách dùng:", 1)
        return text.replace("positional arguments:", "Tham số:").replace("options:", "Tùy chọn:")

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, text in _ERRORS:
            match = re.search(pattern, message)
            if match:
                message = text(*match.groups()) if callable(text) else text.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"Lệnh chưa đúng: {message}. Xem `{self.prog} --help`.\n")


_ERRORS = (
    (r"invalid choice: '([^']*)' \(choose from (.*)\)", "không có `{0}`; hãy chọn một trong: {1}"),
    (r"the following arguments are required: (.*)", "còn thiếu {0}"),
    (r"unrecognized arguments: (.*)", "không hiểu `{0}`"),
    (r"argument (\S+): expected one argument", "sau {0} phải có một giá trị"),
    (r"argument (\S+): invalid int value: '([^']*)'", "sau {0} phải là một số nguyên (chỉ chữ số), không phải `{1}`"),
    (r"one of the arguments (.*) is required", lambda named: f"cần một trong các tùy chọn {' hoặc '.join(named.split())}"),
    (r"argument (\S+): not allowed with argument (\S+)", "không dùng {0} cùng với {1}: chỉ chọn một"),
    (r"argument (\S+): ignored explicit argument '([^']*)'", "{0} không nhận giá trị (bỏ `={1}`)"),
    (r"ambiguous option: (\S+) could match (.*)", "`{0}` có thể là {1}: hãy viết đủ tên tùy chọn"),
)
