"""``baocao sign``: a PAdES signature with pyHanko, from a PKCS#12 file or a PKCS#11 token.

- PAdES B-B (``ETSI.CAdES.detached``, SHA-256, the signing certificate as a signed
  attribute); B-T when a timestamp server is given (``--tsa``: RFC 3161 over HTTP).
- Into an empty signature field of the PDF (``--field``; by default the signer's field
  that ``baocao pdf --signature-fields`` made, else the first empty one), as an
  incremental update: the bytes signed before stay as they are.
- A visible stamp in Vietnamese in the field: the signer's name, position (or
  organisation) from the certificate, and the time of signing, in the bundled Liberation
  Serif (embedded, subset).
- The PIN or password is read without echo from the terminal, or from a file the user
  names (``--pin-file``); never from the command line, never printed or logged. The key
  stays in the PKCS#12 file or on the token: nothing of it is written anywhere.

Errors are :class:`SignError`, one Vietnamese sentence saying what to do.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from baocao.seal.fields import SEAL_FIELD, SIGNER_FIELD
from baocao.vnformat import os_error

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: The bundled Vietnamese font (also the print font), relative to the repository.
FONT = Path("overrides") / "assets" / "fonts" / "LiberationSerif-Regular.ttf"
STAMP = "Ký bởi: %(ten)s\n%(nhan_chuc_vu)s: %(chuc_vu)s\nThời gian ký: %(thoi_gian)s"
#: The seal's field is small (35 mm): the organisation and the time only.
SEAL_STAMP = "Ký bởi: %(ten)s\nThời gian ký: %(thoi_gian)s"


class SignError(Exception):
    """The PDF cannot be signed; the message is Vietnamese and says what to do."""


@dataclass(frozen=True)
class Key:
    """Where the key is: a PKCS#12 file, or a token through a PKCS#11 library."""

    pkcs12: Path | None = None
    pkcs11_lib: str | None = None
    token_label: str | None = None
    key_label: str | None = None


@dataclass(frozen=True)
class Signed:
    field: str
    signer: str
    time: dt.datetime
    timestamped: bool


def quiet() -> None:
    """pyHanko logs what it finds wrong (with tracebacks) as it validates: the verdict says it."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def time_text(moment: dt.datetime) -> str:
    """``14:05:09 ngày 30/9/2025`` in Vietnam's time."""
    local = moment.astimezone(VIETNAM)
    return f"{local:%H:%M:%S} ngày {local.day}/{local.month}/{local.year}"


def font_path(root: Path) -> Path:
    for base in (root, Path(__file__).resolve().parents[3]):
        if (base / FONT).is_file():
            return base / FONT
    raise SignError(f"Không tìm thấy phông chữ {FONT} để viết dấu chữ ký; hãy chạy lệnh trong thư mục kho báo cáo.")


def stamp_font(root: Path, text: str, folder: Path) -> Path:
    """The bundled font cut down to the stamp's letters, at 1000 units per em, in ``folder``.

    pyHanko writes glyph widths in the font's own units where PDF expects thousandths of
    an em: right only for fonts of 1000 units per em (Liberation Serif has 2048, and its
    letters would be drawn spread out), so the font is scaled first (fontTools)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(font_path(root)))
    cutter = subset.Subsetter(subset.Options(layout_features=["*"], notdef_outline=True))
    cutter.populate(text=text + " 0123456789:/")
    cutter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = folder / "stamp-font.ttf"
    font.save(str(out))
    return out


def _name_parts(cert) -> tuple[str, str, str]:
    """(name, label, value): the certificate's common name, and its title (chức vụ) or
    else its organisation."""
    from asn1crypto import x509  # noqa: F401  (pyHanko's certificate type)

    native = cert.subject.native
    name = native.get("common_name") or cert.subject.human_friendly
    if native.get("title"):
        return name, "Chức vụ", native["title"]
    return name, "Cơ quan", native.get("organization_name") or "(không ghi)"


def _pkcs12_signer(path: Path, secret: Callable[[str], str]):
    from pyhanko.sign import signers

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SignError(f"Không đọc được tệp khóa {path}: {os_error(exc, writing=False)}.") from exc
    password = secret("Mật khẩu của tệp khóa (PKCS#12): ")
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password.encode("utf-8")), None
    except (ValueError, TypeError) as exc:
        raise SignError(f"Không mở được tệp khóa {path}: sai mật khẩu, hoặc tệp không phải PKCS#12 (.p12/.pfx).") \
            from exc


def _pkcs11_signer(key: Key, secret: Callable[[str], str]):
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not key.token_label:
        raise SignError("Hãy cho biết nhãn của thiết bị ký (--token-label).")
    pin = secret(f"Mã PIN của thiết bị ký «{key.token_label}»: ")
    try:
        session = open_pkcs11_session(key.pkcs11_lib, token_criteria=TokenCriteria(label=key.token_label),
                                      user_pin=pin)
    except pkcs11.exceptions.PinIncorrect as exc:
        raise SignError("Sai mã PIN của thiết bị ký; không ký. (Nhập sai nhiều lần có thể khóa thiết bị.)") from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise SignError("Thiết bị ký đã bị khóa mã PIN; hãy liên hệ nơi cấp chứng thư số.") from exc
    except (pkcs11.exceptions.PKCS11Error, OSError, RuntimeError) as exc:
        raise SignError(f"Không mở được thiết bị ký «{key.token_label}» qua thư viện {key.pkcs11_lib}: hãy kiểm tra "
                        "thiết bị đã cắm, nhãn thiết bị (--token-label) và đường dẫn thư viện PKCS#11.") from exc
    try:
        query = {pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY}
        if key.key_label:
            query[pkcs11.Attribute.LABEL] = key.key_label
        keys = list(session.get_objects(query))
        if len(keys) != 1:
            labels = [k.label for k in session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY})]
            session.close()
            raise SignError("Thiết bị có " + (f"{len(labels)} khóa ({', '.join(map(str, labels))})" if labels
                            else "không có khóa nào") + (f", không có khóa «{key.key_label}»" if key.key_label
                                                         else "") + ": hãy chọn khóa bằng --key-label.")
        found = keys[0]
        # The certificate is the one with the key's id (tokens often label the two differently).
        key_id = found[pkcs11.Attribute.ID]
        if key_id:
            return PKCS11Signer(session, key_id=key_id, cert_id=key_id), session
        return PKCS11Signer(session, key_label=found.label, cert_label=found.label), session
    except pkcs11.exceptions.PKCS11Error as exc:
        session.close()
        raise SignError(f"Không dùng được khóa «{key.key_label or ''}» trên thiết bị ký.") from exc


def _field_name(data: bytes, wanted: str | None) -> tuple[str, bool]:
    """The field to sign into, and whether it exists already (else an invisible one is made)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    fields = {name: value for name, value, _ in enumerate_sig_fields(reader, filled_status=None)}
    empty = [name for name, value in fields.items() if value is None]
    if wanted:
        if wanted in fields and wanted not in empty:
            raise SignError(f"Ô ký «{wanted}» đã có chữ ký; hãy chọn ô khác (--field).")
        return wanted, wanted in fields
    for name in (SIGNER_FIELD, SEAL_FIELD, *empty):
        if name in empty:
            return name, True
    return "ChuKy", False


def sign(source: Path, out: Path, key: Key, secret: Callable[[str], str], *, root: Path,
         field: str | None = None, tsa: str | None = None) -> Signed:
    """Sign ``source`` into ``out`` (written whole, then renamed; never over an existing file)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
    from pyhanko.stamp import TextStampStyle

    quiet()
    if out.exists():
        raise SignError(f"Tệp {out} đã có; hãy chọn tên khác cho bản đã ký (-o), không ghi đè.")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SignError(f"Không đọc được tệp {source}: {os_error(exc, writing=False)}.") from exc
    try:
        name, exists = _field_name(data, field)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SignError(f"Tệp {source} không phải tệp PDF đọc được.") from exc
    signer, session = (_pkcs12_signer(key.pkcs12, secret) if key.pkcs12 else _pkcs11_signer(key, secret))
    try:
        who, label, value = _name_parts(signer.signing_cert)
        moment = dt.datetime.now(dt.UTC).replace(microsecond=0)
        params = {"ten": who, "nhan_chuc_vu": label, "chuc_vu": value, "thoi_gian": time_text(moment)}
        work = tempfile.TemporaryDirectory(prefix="baocao-ky-")
        text = SEAL_STAMP if name == SEAL_FIELD else STAMP
        font = stamp_font(root, text % params, Path(work.name))
        style = TextStampStyle(stamp_text=text, border_width=1, text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(font)), font_size=9, leading=12))
        meta = signers.PdfSignatureMetadata(field_name=name, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", location="Việt Nam")
        timestamper = RequestsHTTPTimeStamper(tsa, timeout=20) if tsa else None
        pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style,
                                       new_field_spec=None if exists else fields.SigFieldSpec(name))
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".ky-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as handle:
                import io

                writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
                pdf_signer.sign_pdf(writer, output=handle, appearance_text_params=params)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except SignError:
        raise
    except Exception as exc:  # pyHanko, the token, the timestamp server: one sentence, no traceback
        if tsa and "imestamp" in f"{type(exc).__name__} {exc}":
            raise SignError(f"Không lấy được dấu thời gian từ máy chủ {tsa}; hãy kiểm tra địa chỉ (--tsa) "
                            "hoặc ký không có dấu thời gian.") from exc
        raise SignError(f"Không ký được tệp {source}: {type(exc).__name__}.") from exc
    finally:
        if session is not None:
            session.close()
        if "work" in locals():
            work.cleanup()
    return Signed(name, who, moment, tsa is not None)
