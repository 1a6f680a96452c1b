"""nginx's own error pages in Vietnamese, for every error status nginx has a page of.

nginx answers some requests itself, before or instead of the site: 401 when the reader
has not logged in, 500 when it cannot read the logins or the site, 403, 405, 413, 414,
502, 503... Its built-in pages are in English. These pages replace them. They are drawn
by the autoescaped template ``error.html.j2`` and written into the configuration itself
(an nginx string per status, served with ``return``), so they need no file: they show
when nginx can read nothing else, and without a login (the 401 page above all). They
have no script and no outside file; their one inline style is allowed by its hash in
their own policy (``csp.error_page_policy``).

The site's own 404 page (``404.html``, with the site's look) stays the answer to a page
that does not exist; this module's 404 page is only the fallback when that file cannot
be served.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from baocao.deploy import csp

SITE = "Kho báo cáo tổ chức cơ sở đảng"
#: Whom a reader asks (the office that gives out the logins).
_OFFICE = "Văn phòng Đảng ủy"
_ADMIN = (f"Hãy báo {_OFFICE} hoặc người quản trị máy chủ. Người quản trị xem tệp error.log "
          "của nginx để biết nguyên nhân.")
_RETRY = "Hãy đợi vài phút rồi tải lại trang (phím F5)."
_BAD = "Hãy mở lại trang chủ rồi đi tới trang cần xem; nếu vẫn lỗi, hãy thử một trình duyệt khác."

#: status -> (title, explanation lines). Every 4xx and 5xx status nginx has a built-in
#: page of (ngx_http_special_response.c), so none of its English pages is ever shown.
PAGES: dict[int, tuple[str, tuple[str, ...]]] = {
    400: ("Yêu cầu không hợp lệ", ("Máy chủ không hiểu yêu cầu trình duyệt vừa gửi.", _BAD)),
    401: ("Cần đăng nhập", (
        "Kho báo cáo chỉ dành cho người đã được cấp tài khoản.",
        "Hãy tải lại trang (phím F5) rồi nhập tên đăng nhập và mật khẩu. Nếu chưa có tài khoản "
        f"hoặc quên mật khẩu, hãy liên hệ {_OFFICE}.")),
    402: ("Yêu cầu không được phục vụ", ("Máy chủ không phục vụ yêu cầu này.", _BAD)),
    403: ("Không được phép xem", ("Trang hoặc tệp này không mở cho người đọc.", _BAD)),
    404: ("Không tìm thấy trang", ("Địa chỉ này không có trang nào; có thể trang đã đổi chỗ.", _BAD)),
    405: ("Thao tác không được phép", ("Trang web chỉ để đọc: máy chủ không nhận dữ liệu gửi lên.", _BAD)),
    406: ("Không có dạng phù hợp", ("Máy chủ không có trang này ở dạng trình duyệt yêu cầu.", _BAD)),
    408: ("Hết thời gian chờ", ("Trình duyệt gửi yêu cầu quá chậm.", "Hãy kiểm tra mạng rồi tải lại trang.")),
    409: ("Yêu cầu bị xung đột", ("Máy chủ không thực hiện được yêu cầu này.", _BAD)),
    410: ("Trang đã bị gỡ", ("Trang này không còn trên kho báo cáo.", _BAD)),
    411: ("Yêu cầu thiếu thông tin", ("Trình duyệt gửi yêu cầu thiếu độ dài dữ liệu.", _BAD)),
    412: ("Điều kiện không thỏa", ("Máy chủ không thực hiện được yêu cầu với điều kiện đã gửi.", _BAD)),
    413: ("Dữ liệu gửi lên quá lớn", ("Máy chủ không nhận dữ liệu lớn như vậy.", _BAD)),
    414: ("Địa chỉ trang quá dài", ("Địa chỉ (URL) vừa mở dài hơn mức máy chủ nhận.", _BAD)),
    415: ("Dạng dữ liệu không được nhận", ("Máy chủ không nhận dạng dữ liệu này.", _BAD)),
    416: ("Phần tệp yêu cầu không có", ("Trình duyệt xin một đoạn nằm ngoài tệp.",
                                       "Hãy tải lại trang hoặc tải lại tệp từ đầu.")),
    421: ("Yêu cầu gửi nhầm máy chủ", ("Máy chủ này không phục vụ địa chỉ vừa mở.", _BAD)),
    429: ("Quá nhiều yêu cầu", ("Trình duyệt gửi quá nhiều yêu cầu trong thời gian ngắn.", _RETRY)),
    500: ("Máy chủ gặp lỗi", ("Máy chủ không mở được trang này (thường do thiếu quyền đọc tệp mật khẩu "
                              "hoặc thư mục trang web).", _ADMIN)),
    501: ("Chức năng không được hỗ trợ", ("Máy chủ không hỗ trợ yêu cầu này.", _BAD)),
    502: ("Máy chủ trung gian gặp lỗi", ("Máy chủ nhận câu trả lời lỗi từ một máy chủ khác.", _RETRY, _ADMIN)),
    503: ("Máy chủ tạm thời không phục vụ", ("Máy chủ đang bận hoặc đang bảo trì.", _RETRY)),
    504: ("Máy chủ trả lời quá chậm", ("Máy chủ chờ một máy chủ khác quá lâu.", _RETRY, _ADMIN)),
    505: ("Trình duyệt không được hỗ trợ", ("Máy chủ không dùng được phiên bản giao thức HTTP của "
                                           "trình duyệt này.", "Hãy thử một trình duyệt khác.")),
    507: ("Máy chủ hết chỗ lưu trữ", ("Máy chủ không còn chỗ trống để trả lời.", _ADMIN)),
}
#: The page of any other status (none is expected: PAGES has every one nginx answers).
OTHER = ("Không mở được trang", ("Máy chủ không trả lời được yêu cầu này.", _BAD))
#: nginx's own codes for a bad request, sent as 400 with the 400 page
#: (header too large, TLS certificate errors, plain HTTP to an HTTPS port).
AS_BAD_REQUEST = (494, 495, 496, 497)


def pages() -> dict[int | None, str]:
    """status (None: any other) -> the whole page (HTML) on one line (the template's
    lines are whole elements, joined without their indentation)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("error.html.j2")
    return {code: "".join(line.strip() for line in
                          template.render(code=code, title=title, lines=lines, site=SITE).splitlines())
            for code, (title, lines) in [*PAGES.items(), (None, OTHER)]}


def style_hashes(rendered: dict[int, str]) -> set[str]:
    """The hashes of the pages' inline styles (for their policy)."""
    return {csp.script_hash(style) for page in rendered.values() for style in csp.inline_styles(page)}
