"""``baocao verify``: is this copy the one that was signed, and by whom; is a period as issued.

:func:`verify_pdf` validates every signature of a PDF with pyHanko, offline: the
certificates the user trusts (``--trust CA.pem``, nothing else: no system store, no
network) and the revocation lists the user gives (``--crl``). For each signature it tells
the signer, the time (the signer's clock, and the timestamp's when there is one), whether
the bytes signed are intact, whether the whole file is covered or what was added after
(a later signature or form filling is allowed; new pages, changed text or figures are
not: pyHanko's difference analysis), and the chain's trust (expired, revoked, unknown
issuer). :func:`issued_copy` then says whether the PDF, before its signatures, is exactly
the PDF sealed at issue by a manifest of this repository.

:func:`verify_period` compares a period's files (its sources, the PDF and Word files kept
at issue, and the copies in the built site) with its manifest.

Verdicts are Vietnamese sentences; a broken or hostile file is a verdict, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from baocao.seal.sign import quiet, time_text
from baocao.vnformat import os_error


class VerifyError(Exception):
    """The files to verify cannot be read; the message is Vietnamese."""


@dataclass
class SignatureVerdict:
    field: str
    signer: str
    #: the signer's own clock (signingTime), and the timestamp's time when there is one.
    claimed_time: dt.datetime | None
    timestamp: dt.datetime | None
    intact: bool
    trusted: bool
    whole_file: bool
    #: whether what was added after this signature is only allowed (later signatures, form filling).
    unchanged: bool
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.unchanged


@dataclass
class PdfVerdict:
    signatures: list[SignatureVerdict]
    #: a Vietnamese sentence when the PDF before its signatures is a sealed issued PDF.
    issued_copy: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures) and not self.problems


def load_certificates(paths: list[Path]) -> list:
    """Certificates (asn1crypto) from PEM or DER files."""
    from asn1crypto import pem, x509

    out = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise VerifyError(f"Không đọc được tệp chứng thư {path}: {os_error(exc, writing=False)}.") from exc
        try:
            blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            out.extend(x509.Certificate.load(der) for der in blobs)
            _ = [cert.native for cert in out]  # parsed now: a bad file is refused here
        except (ValueError, TypeError) as exc:
            raise VerifyError(f"Tệp {path} không phải chứng thư số (PEM hoặc DER).") from exc
    return out


def load_crls(paths: list[Path]) -> list:
    from asn1crypto import crl, pem

    out = []
    for path in paths:
        try:
            data = path.read_bytes()
            blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            for der in blobs:
                item = crl.CertificateList.load(der)
                _ = item.native  # parsed now: a bad file is refused here
                out.append(item)
        except OSError as exc:
            raise VerifyError(f"Không đọc được danh sách thu hồi {path}: {os_error(exc, writing=False)}.") from exc
        except (ValueError, TypeError) as exc:
            raise VerifyError(f"Tệp {path} không phải danh sách chứng thư bị thu hồi (CRL).") from exc
    return out


def _trust_note(status) -> str | None:
    if status.revoked:
        when = status.revocation_details.revocation_date
        return f"chứng thư số của người ký đã bị thu hồi (từ {time_text(when)})"
    indic = status.trust_problem_indic
    if indic is None:
        return None
    name = getattr(indic, "name", str(indic))
    if "REVOKED" in name:
        return "chứng thư số của người ký đã bị thu hồi"
    if "OUT_OF_BOUNDS" in name or "EXPIRED" in name:
        return "chứng thư số của người ký đã hết hạn (hoặc chưa có hiệu lực) vào thời điểm kiểm tra"
    if "NO_CERTIFICATE_CHAIN" in name or "CHAIN_CONSTRAINTS" in name:
        return "chứng thư số không do cơ quan chứng thực được tin cậy cấp (thêm --trust CA.pem của nơi cấp)"
    if "REVOCATION" in name or "TRY_LATER" in name:
        return "chưa kiểm tra được tình trạng thu hồi của chứng thư số (thêm --crl của nơi cấp)"
    return f"chứng thư số không được tin cậy ({name})"


def _changes_note(status) -> tuple[bool, str | None]:
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    if level is None or level > ModificationLevel.FORM_FILLING:
        return False, ("sau khi ký, tệp đã bị sửa hoặc thêm nội dung (ví dụ thêm trang, sửa chữ, số liệu): "
                       "bản này KHÔNG còn là bản đã ký")
    if level == ModificationLevel.FORM_FILLING:
        return True, "sau chữ ký này tệp chỉ có thêm chữ ký khác (hoặc điền ô ký)"
    return True, None


def verify_pdf(data: bytes, trust: list, crls: list) -> PdfVerdict:
    """Every signature of the PDF ``data``, validated offline against ``trust`` and ``crls``."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    quiet()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # a broken or hostile file is a verdict
        return PdfVerdict([], problems=["Tệp không phải PDF đọc được (hỏng hoặc đã bị sửa)."])
    verdict = PdfVerdict([])
    if not signatures:
        verdict.problems.append("Tệp PDF không có chữ ký số nào.")
    for sig in signatures:
        name = sig.field_name or "(không tên)"
        # With revocation lists given, every certificate of the chain must be checked
        # against one ("require"); pyHanko's softer modes only look for lists a
        # certificate points to, which an offline check never fetches.
        context = ValidationContext(trust_roots=trust, crls=crls, allow_fetching=False,
                                    revocation_mode="require" if crls else "soft-fail")
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context)
        except (SignatureValidationError, ValueError, KeyError, TypeError, AttributeError) as exc:
            verdict.signatures.append(SignatureVerdict(name, "(không đọc được)", None, None, False, False, False,
                                                       False, [f"chữ ký không đọc được ({type(exc).__name__})"]))
            continue
        except Exception as exc:  # pyHanko on hostile input: still a verdict
            verdict.signatures.append(SignatureVerdict(name, "(không đọc được)", None, None, False, False, False,
                                                       False, [f"không kiểm tra được chữ ký ({type(exc).__name__})"]))
            continue
        cert = status.signing_cert
        signer = cert.subject.native.get("common_name") or cert.subject.human_friendly
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        unchanged, change = _changes_note(status)
        notes = []
        if not status.intact:
            notes.append("nội dung đã ký bị thay đổi (mã băm không khớp): chữ ký không thuộc bản này")
        elif not status.valid:
            notes.append("chữ ký không hợp lệ về mật mã")
        if change:
            notes.append(change)
        trust_note = _trust_note(status) if status.intact and status.valid else None
        if trust_note:
            notes.append(trust_note)
        elif not crls and status.trusted:
            notes.append("chưa đối chiếu danh sách chứng thư bị thu hồi (thêm --crl của nơi cấp để kiểm tra)")
        stamp = status.timestamp_validity.timestamp if status.timestamp_validity is not None else None
        verdict.signatures.append(SignatureVerdict(
            name, signer, status.signer_reported_dt, stamp, status.intact and status.valid,
            bool(status.trusted) and not status.revoked, whole, unchanged, notes))
    return verdict


def revisions(data: bytes) -> list[bytes]:
    """The file as it was at the end of each revision (each ``%%EOF`` and its line end)."""
    out, start = [], 0
    while True:
        index = data.find(b"%%EOF", start)
        if index < 0:
            return out
        end = index + 5
        while end < len(data) and data[end:end + 1] in (b"\r", b"\n"):
            end += 1
        out.append(data[:end])
        out.extend(data[:index + 5 + k] for k in range(0, end - index - 5))
        start = index + 5


def issued_copy(data: bytes, sealed: dict[str, str]) -> str | None:
    """``sealed``: SHA-256 of an issued PDF -> what it is. The first revision of ``data``
    that is one of them, said in Vietnamese."""
    import hashlib

    for revision in revisions(data):
        what = sealed.get(hashlib.sha256(revision).hexdigest())
        if what:
            return what
    return None


def sealed_pdfs(archive) -> dict[str, str]:
    """The SHA-256 of every PDF a manifest of ``archive`` sealed -> the report it is, said in
    Vietnamese (``báo cáo quý III/2025 số 45-BC/ĐU``), for :func:`issued_copy`."""
    from baocao.seal.manifest import state

    sealed = {}
    for report in [*archive.reports, *archive.replaced]:
        output = state(report).output("pdf")
        if output is not None:
            sealed[output.sha256] = (f"báo cáo {report.period.label}"
                                     + (f" số {report.meta.number}" if report.meta.number else ""))
    return sealed


# --- a period against its manifest --------------------------------------------------------


@dataclass
class FileVerdict:
    path: str
    ok: bool
    note: str


def verify_period(root: Path, report, site: Path | None, faulted: set[str] = frozenset()) -> list[FileVerdict]:
    """Each file of ``report`` compared with its manifest (sources, outputs, published copies).
    ``faulted``: the files the check's seal rule finds fault with; a Markdown file that differs
    and is not one of them differs by the errata recorded."""
    from baocao.load import layout
    from baocao.seal.manifest import sha256, state

    seal = state(report)
    if seal.manifest is None:
        raise VerifyError(f"Báo cáo {report.period.label} chưa được niêm phong (không có tệp ban-hanh.yml): không "
                          "có gì để đối chiếu. Báo cáo ban hành trước khi có chức năng niêm phong được niêm phong "
                          f"nguyên trạng bằng `baocao issue {report.period.key} --seal-existing`.")
    out = []
    folder = f"docs/{report.folder}"
    for sealed in seal.manifest.files:
        places = [(f"{folder}/{sealed.name}", root / folder / sealed.name)]
        if site is not None and not sealed.name.endswith(".md"):
            places.append((f"{site}/{report.folder}/{sealed.name}", site / report.folder / sealed.name))
        for shown, path in places:
            try:
                data = layout.read_file(path, 64 * 1024 * 1024)
            except layout.ReadRefused:
                out.append(FileVerdict(shown, False, "không có hoặc không đọc được"))
                continue
            if sha256(data) == sealed.sha256:
                out.append(FileVerdict(shown, True, "khớp bản ban hành"))
            elif sealed.name.endswith(".md") and shown not in faulted:
                out.append(FileVerdict(shown, True, "khớp bản ban hành, với các đính chính đã ghi"))
            else:
                out.append(FileVerdict(shown, False, "KHÁC bản ban hành"))
    return out


def describe(verdict: PdfVerdict) -> list[str]:
    """The verdict as lines for the user, in Vietnamese, ending with the conclusion."""
    lines = list(verdict.problems)
    for number, sig in enumerate(verdict.signatures, start=1):
        lines.append(f"Chữ ký {number} (ô {sig.field}): {sig.signer}")
        if sig.claimed_time:
            lines.append(f"  Thời gian ký (theo máy người ký): {time_text(sig.claimed_time)}")
        if sig.timestamp:
            lines.append(f"  Dấu thời gian: {time_text(sig.timestamp)}")
        lines.append("  Nội dung đã ký: " + ("nguyên vẹn" if sig.intact else "ĐÃ BỊ THAY ĐỔI"))
        lines.append("  Phạm vi: " + ("toàn bộ tệp" if sig.whole_file else "bản đến lần ký này"))
        lines.append("  Chứng thư số: " + ("được tin cậy" if sig.trusted else "KHÔNG được tin cậy"))
        lines.extend(f"  - {note}" for note in sig.notes)
    if verdict.issued_copy:
        lines.append(f"Nội dung trước các chữ ký đúng là bản PDF ban hành của {verdict.issued_copy}.")
    lines.append("KẾT LUẬN: " + ("mọi chữ ký nguyên vẹn và được tin cậy." if verdict.ok else
                                 "KHÔNG đạt: bản này không được xác nhận (xem các dòng trên)."))
    return lines
