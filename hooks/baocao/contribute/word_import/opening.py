"""Opening a Word file safely, before python-docx reads it.

- A ``.doc`` is first converted by LibreOffice (``soffice --convert-to docx``) when it is
  installed, with no network (a network namespace of its own, and a profile that fetches
  no linked picture and updates no link); otherwise the error says how to save it as .docx.
- The file is checked before python-docx opens it: a zip whose directory announces too
  many entries or too many bytes once unpacked (a zip bomb) is refused, so are a
  password-protected file (an OLE container, not a zip), a corrupt one, a file that is not
  Word, a document of more paragraphs than any report has.

Every refusal is an :class:`ImportFailed` whose message is Vietnamese and says what to do.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from baocao.vnformat import os_error

#: Zip bomb limits, read from the zip directory before anything is unpacked.
MAX_ENTRIES = 2000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SOFFICE_SECONDS = 120
#: Most paragraphs imported (a quarterly report has a few hundred; 10,000 take a few
#: seconds: tests/benchmarks/bench_import.py).
MAX_PARAGRAPHS = 10_000


class ImportFailed(Exception):
    """The file cannot be imported; the message is Vietnamese and says what to do."""


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(f"{name}: tệp .docx bị hỏng, không mở được. Hãy mở lại bằng Word và lưu lại "
                           "thành tệp mới.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ImportFailed(f"{name}: tệp có {len(entries)} phần bên trong, quá nhiều cho một văn bản "
                               f"(tối đa {MAX_ENTRIES}); không mở, để an toàn.")
        total = sum(entry.file_size for entry in entries)
        packed = sum(entry.compress_size for entry in entries) or 1
        if total > MAX_UNPACKED or total / packed > MAX_RATIO and total > 10 * 1024 * 1024:
            raise ImportFailed(f"{name}: tệp giải nén ra tới {total // (1024 * 1024)} MB, bất thường với một "
                               "văn bản (có thể là tệp độc hại); không mở, để an toàn.")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names:
            raise ImportFailed(f"{name}: đây không phải tệp Word (.docx) — không có nội dung văn bản bên trong.")
        encrypted = {"EncryptionInfo", "EncryptedPackage"} & names
        if encrypted:
            raise ImportFailed(_password(name))


def _password(name: str) -> str:
    return (f"{name}: tệp Word có đặt mật khẩu. Hãy mở bằng Word, bỏ mật khẩu (Tệp > Thông tin > "
            "Bảo vệ tài liệu > Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nhập lại.")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


#: LibreOffice settings of the throw-away profile (Common.xcs, Writer.xcs, Calc.xcs): no
#: macro, no active content, no picture or file linked from the document fetched, no link
#: or field updated, and a proxy that answers nothing in case anything still asks.
OFFICE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop>
 <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop>
 <prop oor:name="DisableActiveContent" oor:op="fuse"><value>true</value></prop>
 <prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update">
 <prop oor:name="Link" oor:op="fuse"><value>0</value></prop>
 <prop oor:name="Field" oor:op="fuse"><value>false</value></prop>
 <prop oor:name="Chart" oor:op="fuse"><value>false</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update">
 <prop oor:name="Link" oor:op="fuse"><value>1</value></prop>
</item>
<item oor:path="/org.openoffice.Inet/Settings">
 <prop oor:name="ooInetProxyType" oor:op="fuse"><value>1</value></prop>
 <prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop>
 <prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop>
 <prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop>
 <prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop>
 <prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop>
</item>
</oor:items>
"""


@functools.cache
def _no_network() -> list[str]:
    """The command prefix that runs a program with no network: a network namespace of its
    own (``unshare``, as an unprivileged user through a user namespace), where the system
    allows it; else nothing (the profile's settings still keep LibreOffice from fetching)."""
    program = shutil.which("unshare")
    for prefix in ([program, "--net", "--map-root-user"], [program, "--net"]) if program else ():
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return prefix
    return []


def _convert_doc(path: Path) -> bytes:
    """A .doc converted to .docx by LibreOffice, with a profile of its own that fetches
    nothing, in a network namespace of its own where the system allows it: an untrusted
    .doc must not make this computer send requests to the addresses it names."""
    program = _soffice()
    if program is None:
        raise ImportFailed(
            f"{path.name}: tệp .doc (Word 97-2003) cần chuyển sang .docx trước. Mở tệp bằng Word, chọn "
            "Tệp > Lưu thành, chọn kiểu \"Word Document (*.docx)\", rồi nhập tệp .docx đó; hoặc cài "
            "LibreOffice (gói libreoffice-writer) để lệnh tự chuyển.")
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as work:
        folder = Path(work)
        source = folder / "in.doc"
        shutil.copyfile(path, source)
        (folder / "profile" / "user").mkdir(parents=True)
        (folder / "profile" / "user" / "registrymodifications.xcu").write_text(OFFICE_PROFILE, encoding="utf-8")
        profile = (folder / "profile").as_uri()
        environment = {key: value for key, value in os.environ.items()
                       if key in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SAL_USE_VCLPLUGIN")}
        environment.update(HOME=str(folder), no_proxy="", http_proxy="http://127.0.0.1:9",
                           https_proxy="http://127.0.0.1:9")
        try:
            subprocess.run([*_no_network(), program, f"-env:UserInstallation={profile}", "--headless",
                            "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", str(folder),
                            str(source)],
                           capture_output=True, timeout=SOFFICE_SECONDS, check=False, env=environment)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportFailed(f"{path.name}: LibreOffice không chuyển được tệp .doc ({exc}). Hãy mở bằng "
                               "Word và lưu thành .docx.") from exc
        out = folder / "in.docx"
        if not out.exists():
            raise ImportFailed(f"{path.name}: LibreOffice không chuyển được tệp .doc (tệp hỏng hoặc có mật "
                               "khẩu?). Hãy mở bằng Word và lưu thành .docx.")
        return out.read_bytes()


def read_bytes(path: Path) -> bytes:
    """The .docx bytes of ``path`` (a .doc converted), checked; ImportFailed otherwise."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: không có tệp này.") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: không đọc được tệp: {os_error(exc, writing=False)}.") from exc
    suffix = path.suffix.lower()
    if data.startswith(OLE_MAGIC):
        # An encrypted .docx is an OLE container holding an "EncryptedPackage" stream.
        if suffix == ".docx" or "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFailed(_password(name))
        data = _convert_doc(path)
    elif suffix == ".doc" and not data.startswith(ZIP_MAGIC):
        raise ImportFailed(f"{name}: đây không phải tệp Word.")
    elif suffix not in (".docx", ".doc") and not data.startswith(ZIP_MAGIC):
        raise ImportFailed(f"{name}: đây không phải tệp Word; chỉ nhập được tệp .docx hoặc .doc.")
    if not data.startswith(ZIP_MAGIC):
        raise ImportFailed(f"{name}: đây không phải tệp Word (.docx) hoặc tệp đã hỏng.")
    _check_zip(data, name)
    return data


def open_document(path: Path):
    """The python-docx document of ``path``, once the file has passed every check above."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    data = read_bytes(path)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as exc:
        raise ImportFailed(f"{path.name}: tệp .docx bị hỏng, không đọc được nội dung. Hãy mở lại bằng Word và "
                           "lưu thành tệp mới.") from exc
    except Exception as exc:  # lxml XMLSyntaxError and the like: a broken part
        raise ImportFailed(f"{path.name}: tệp .docx bị hỏng ({type(exc).__name__}). Hãy mở lại bằng Word và "
                           "lưu thành tệp mới.") from exc
    paragraphs = sum(1 for _ in document.element.body.iter(qn("w:p")))
    if paragraphs > MAX_PARAGRAPHS:
        raise ImportFailed(f"{path.name}: văn bản có {paragraphs} đoạn, quá dài cho một báo cáo (tối đa "
                           f"{MAX_PARAGRAPHS} đoạn); không nhập. Hãy kiểm tra lại có đúng tệp báo cáo không, "
                           "hoặc tách thành nhiều tệp.")
    return document
