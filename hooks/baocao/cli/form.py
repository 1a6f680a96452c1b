"""The web form: ``cms-config`` (its configuration) and ``edit`` (the form on this PC)."""

from __future__ import annotations

import sys
from pathlib import Path

from baocao.cli.common import clean_check, command, output


def add_cms_config(sub) -> None:
    cms_config = command(sub, "cms-config", write_cms_config,
                         help="in cấu hình biểu mẫu soạn báo cáo (admin/config.yml)")
    cms_config.add_argument("--write", metavar="TỆP", help="ghi vào tệp này thay vì in ra")
    for option, what in (("--repo", "kho trên máy chủ, ví dụ van-phong/baocao"),
                         ("--api-root", "địa chỉ API, ví dụ http://git.intranet/api/v1"),
                         ("--app-id", "Client ID của ứng dụng OAuth"), ("--branch", "nhánh chính")):
        cms_config.add_argument(option, metavar="GIÁ_TRỊ", help=f"{what} (mặc định: extra.cms trong mkdocs.yml)")


def add_edit(sub) -> None:
    edit = command(sub, "edit", edit_here, help="mở biểu mẫu soạn báo cáo trên máy này (không cần máy chủ)")
    edit.add_argument("--port", type=int, default=0, metavar="CỔNG", help="cổng của trang web (mặc định: một cổng còn trống)")


def write_cms_config(root: Path, args) -> int:
    from baocao.contribute import cms

    result = clean_check(root, "tạo cấu hình biểu mẫu")
    if result is None:
        return 1
    settings = cms.settings_from_mkdocs(root / "mkdocs.yml")
    given = {"repo": args.repo, "api_root": args.api_root, "app_id": args.app_id, "branch": args.branch}
    settings.update({k: v for k, v in given.items() if v is not None})
    try:
        text = cms.dump(cms.config(result.archive, settings))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return output(text, args.write)


def edit_here(root: Path, args) -> int:
    from baocao.contribute.edit import run

    return run(root, port=args.port)
