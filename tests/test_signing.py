"""The PDF ready to sign, signing and verifying (issue 20), with real parts: a test CA and
certificates made here (``cryptography``), a PKCS#12 file, Debian's SoftHSM as a PKCS#11
token, a timestamp server on 127.0.0.1, and poppler's ``pdfsig`` as an independent judge.

Tamper cases: a byte changed inside the signed range; incremental updates after signing
(a page added, a figure drawn over); a signature copied onto another PDF; an expired and a
revoked certificate (a CRL written here). Each gets a Vietnamese verdict, never a traceback."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from conftest import ROOT, run_cli
from pki import NOW, make_ca, make_signer, write_crl, write_pkcs12

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
MM = 72 / 25.4


def need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed: tests/install.sh must install {package}")
        pytest.skip(f"{tool} not installed (run tests/install.sh)")


def pdfsig(path: Path) -> str:
    need("pdfsig", "poppler-utils")
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout


def verdicts(text: str) -> list[str]:
    return re.findall(r"Signature Validation: (.+)", text)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca()
    signer = make_signer(ca, "Trương Thị Toan")
    seal = make_signer(ca, "Đảng ủy xã Đại Sơn", title=None)
    expired = make_signer(ca, "Người Hết Hạn", not_before=NOW - dt.timedelta(days=400),
                          not_after=NOW - dt.timedelta(days=1))
    revoked = make_signer(ca, "Người Bị Thu Hồi")
    (folder / "ca.pem").write_bytes(ca.pem())
    (folder / "mat-khau.txt").write_text("mật khẩu thử 1\n", encoding="utf-8")
    files = {"ca": folder / "ca.pem", "password": folder / "mat-khau.txt", "folder": folder,
             "crl": write_crl(ca, [revoked.cert], folder / "ca.crl"), "ca_identity": ca, "signer": signer}
    for name, identity in (("signer", signer), ("seal", seal), ("expired", expired), ("revoked", revoked)):
        files[f"{name}.p12"] = write_pkcs12(identity, ca, folder / f"{name}.p12", "mật khẩu thử 1")
    other_ca = make_ca("CA lạ")
    files["stranger.p12"] = write_pkcs12(make_signer(other_ca, "Người Lạ"), other_ca, folder / "stranger.p12",
                                         "mật khẩu thử 1")
    return files


@pytest.fixture(scope="module")
def ready(tmp_path_factory) -> Path:
    """``baocao pdf 2025-Q3 --signature-fields`` of the shipped repository."""
    out = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    done = run_cli(ROOT, "pdf", "2025-Q3", "--signature-fields", "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def sign(pki, source: Path, out: Path, key: str = "signer", *extra: str) -> subprocess.CompletedProcess:
    return run_cli(ROOT, "sign", str(source), "-o", str(out), "--pkcs12", str(pki[f"{key}.p12"]),
                   "--pin-file", str(pki["password"]), *extra)


def verify(pki, path: Path, *extra: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    done = run_cli(root, "verify", str(path), "--trust", str(pki["ca"]), *extra)
    assert "Traceback" not in done.stderr + done.stdout
    return done


@pytest.fixture(scope="module")
def signed(pki, ready, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("signed") / "da-ky.pdf"
    done = sign(pki, ready, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã ký vào ô ChuKyNguoiKy: Trương Thị Toan" in done.stdout
    return out


# --- the PDF ready to sign -------------------------------------------------------------------


def test_pdf_has_the_two_empty_fields_where_decree_30_places_them(ready):
    from baocao.seal.fields import SEAL_SIZE, SIGNER_WIDTH

    reader = PdfReader(str(ready))
    last = reader.pages[-1]
    fields = {str(a["/T"]): [float(v) for v in a["/Rect"]] for a in (x.get_object() for x in last["/Annots"])
              if a.get("/FT") == "/Sig"}
    assert set(fields) == {"ChuKyNguoiKy", "ChuKyCoQuan"}
    assert not [a for a in (x.get_object() for x in last["/Annots"]) if a.get("/Subtype") == "/Link"]
    signer, seal = fields["ChuKyNguoiKy"], fields["ChuKyCoQuan"]
    # the signer's field lies between the position and the name, centred under them
    lines = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            lines.setdefault(text.strip(), tm[5] * cm[3] + cm[5])

    last.extract_text(visitor_text=visit)
    position = next(y for t, y in lines.items() if "THƯỜNG TRỰC" in t)
    name = next(y for t, y in lines.items() if "Trương Thị Toan" in t)
    assert name < signer[1] < signer[3] < position
    assert abs((signer[2] - signer[0]) - SIGNER_WIDTH) < 1
    assert (signer[0] + signer[2]) / 2 > 105 * MM  # the right column
    # the seal: its real size, over the left third of the signer's field
    assert abs((seal[2] - seal[0]) - SEAL_SIZE) < 1 and abs((seal[3] - seal[1]) - SEAL_SIZE) < 1
    assert abs(seal[2] - (signer[0] + SIGNER_WIDTH / 3)) < 1 and seal[0] < signer[0]
    assert abs((seal[1] + seal[3]) / 2 - (signer[1] + signer[3]) / 2) < 1


def test_pdf_metadata_in_vietnamese_and_fonts_embedded(ready):
    reader = PdfReader(str(ready))
    meta = reader.metadata
    assert meta.title == "Báo cáo tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025"
    assert meta.author == "Đảng ủy xã Đại Sơn"
    assert "chưa vào số" in meta.subject and "Tình hình hoạt động" in meta.subject
    need("pdffonts", "poppler-utils")
    fonts = subprocess.run(["pdffonts", str(ready)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column


def test_pdf_without_fields_and_in_vietnamese_errors(tmp_path):
    out = tmp_path / "a.pdf"
    done = run_cli(ROOT, "pdf", "2025-Q3", "-o", str(out))
    assert done.returncode == 0
    assert not [a for p in PdfReader(str(out)).pages for a in (p.get("/Annots") or [])
                if a.get_object().get("/FT") == "/Sig"]
    assert "Chưa có báo cáo quý I/2030" in run_cli(ROOT, "pdf", "2030-Q1").stderr


# --- signing with a PKCS#12 file ---------------------------------------------------------------


def test_pkcs12_signature_is_valid_for_pdfsig_and_baocao(pki, signed, tmp_path):
    report = pdfsig(signed)
    assert verdicts(report) == ["Signature is Valid."], report
    assert "Signature Field Name: ChuKyNguoiKy" in report and "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    said = verify(pki, signed)
    assert said.returncode == 0, said.stdout
    assert "Chữ ký 1 (ô ChuKyNguoiKy): Trương Thị Toan" in said.stdout
    assert "Nội dung đã ký: nguyên vẹn" in said.stdout and "Phạm vi: toàn bộ tệp" in said.stdout
    assert "KẾT LUẬN: mọi chữ ký nguyên vẹn và được tin cậy." in said.stdout
    # then the organisation's seal into its field: both stay valid
    both = tmp_path / "hai-chu-ky.pdf"
    assert sign(pki, signed, both, "seal", "--field", "ChuKyCoQuan").returncode == 0
    assert verdicts(pdfsig(both)) == ["Signature is Valid.", "Signature is Valid."]
    said = verify(pki, both)
    assert said.returncode == 0, said.stdout
    assert "sau chữ ký này tệp chỉ có thêm chữ ký khác" in said.stdout


def test_the_stamp_says_who_and_when_in_vietnamese(signed):
    reader = PdfReader(str(signed))
    field = next(a.get_object() for a in reader.pages[-1]["/Annots"] if a.get_object().get("/T") == "ChuKyNguoiKy")
    stream = field["/AP"]["/N"].get_object()
    fonts = [f.get_object() for xo in stream["/Resources"]["/XObject"].values()
             for f in xo.get_object()["/Resources"]["/Font"].values()] if "/XObject" in stream["/Resources"] else \
        [f.get_object() for f in stream["/Resources"]["/Font"].values()]
    assert all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)
    text = " ".join(reader.pages[-1].extract_text().split())
    shown = subprocess.run(["pdftotext", "-f", str(len(reader.pages)), str(signed), "-"], capture_output=True,
                           text=True).stdout
    assert "Ký bởi: Trương Thị Toan" in shown and "Chức vụ: Phó Bí thư Thường trực" in shown, shown
    assert re.search(r"Thời gian ký: \d\d:\d\d:\d\d ngày \d+/\d+/\d{4}", shown)
    assert "Trương Thị Toan" in text


def test_password_never_on_the_command_line_nor_in_output(pki, ready, tmp_path):
    out = tmp_path / "x.pdf"
    refused = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs12", str(pki["signer.p12"]),
                      "--password", "mật khẩu thử 1")
    assert refused.returncode == 2 and "không hiểu `--password" in refused.stderr
    wrong = tmp_path / "sai.txt"
    wrong.write_text("sai mật khẩu bí mật\n", encoding="utf-8")
    done = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs12", str(pki["signer.p12"]),
                   "--pin-file", str(wrong))
    assert done.returncode == 1 and "sai mật khẩu, hoặc tệp không phải PKCS#12" in done.stderr
    assert "bí mật" not in done.stdout + done.stderr and "Traceback" not in done.stderr and not out.exists()
    # without a file and without a terminal: refused, nothing read from the pipe
    no_tty = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs12", str(pki["signer.p12"]))
    assert no_tty.returncode == 1 and "--pin-file" in no_tty.stderr
    assert sign(pki, ready, ready).returncode == 1  # never over an existing file


# --- signing with a PKCS#11 token (SoftHSM) ---------------------------------------------------------


@pytest.fixture(scope="module")
def token(pki, tmp_path_factory):
    """A SoftHSM token initialised here, holding the signer's key and certificate."""
    need("softhsm2-util", "softhsm2")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    run = functools.partial(subprocess.run, check=True, capture_output=True, text=True)
    run(["softhsm2-util", "--init-token", "--free", "--label", "baocao-thu", "--pin", "246810", "--so-pin", "13579"])
    key = folder / "key.pem"
    key.write_bytes(pki["signer"].key_pem())
    run(["softhsm2-util", "--import", str(key), "--token", "baocao-thu", "--label", "nguoi-ky", "--id", "01",
         "--pin", "246810"])
    key.unlink()
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    cert = pki["signer"].cert
    with pkcs11.lib(str(SOFTHSM)).get_token(token_label="baocao-thu").open(rw=True, user_pin="246810") as session:
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                               Attribute.TOKEN: True, Attribute.LABEL: "nguoi-ky", Attribute.ID: b"\x01",
                               Attribute.SUBJECT: cert.subject.public_bytes(),
                               Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
    pin = folder / "pin.txt"
    pin.write_text("246810\n")
    yield {"pin": pin}
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


def test_signing_on_a_pkcs11_token(pki, ready, token, tmp_path):
    out = tmp_path / "token.pdf"
    done = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs11-lib", str(SOFTHSM), "--token-label",
                   "baocao-thu", "--pin-file", str(token["pin"]))  # one key on the token: no --key-label needed
    assert done.returncode == 0, done.stdout + done.stderr
    assert verdicts(pdfsig(out)) == ["Signature is Valid."]
    said = verify(pki, out)
    assert said.returncode == 0 and "Trương Thị Toan" in said.stdout
    assert "246810" not in done.stdout + done.stderr


def test_wrong_pin_or_token_is_one_vietnamese_sentence(ready, token, tmp_path):
    wrong = tmp_path / "pin.txt"
    wrong.write_text("111111\n")
    out = tmp_path / "x.pdf"
    done = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs11-lib", str(SOFTHSM), "--token-label",
                   "baocao-thu", "--pin-file", str(wrong))
    assert done.returncode == 1 and "Sai mã PIN" in done.stderr and "111111" not in done.stderr
    done = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs11-lib", str(SOFTHSM), "--token-label",
                   "khong-co", "--pin-file", str(token["pin"]))
    assert done.returncode == 1 and "Không mở được thiết bị ký «khong-co»" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    done = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs11-lib", str(SOFTHSM), "--token-label",
                   "baocao-thu", "--key-label", "khong-co", "--pin-file", str(token["pin"]))
    assert done.returncode == 1 and "không có khóa «khong-co»" in done.stderr and "(nguoi-ky)" in done.stderr
    done = run_cli(ROOT, "sign", str(ready), "-o", str(out), "--pkcs11-lib", str(SOFTHSM), "--token-label",
                   "baocao-thu", "--key-label", "nguoi-ky", "--pin-file", str(token["pin"]))
    assert done.returncode == 0, done.stderr


# --- B-T: a timestamp server on 127.0.0.1 --------------------------------------------------------


@pytest.fixture(scope="module")
def tsa(pki):
    from asn1crypto import keys, tsp, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    ca = pki["ca_identity"]
    identity = make_signer(ca, "Máy chủ dấu thời gian thử", title=None, tsa=True)
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(identity.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(identity.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_b_t_signature_with_a_timestamp(pki, ready, tsa, tmp_path):
    out = tmp_path / "bt.pdf"
    done = sign(pki, ready, out, "signer", "--tsa", tsa)
    assert done.returncode == 0, done.stderr
    assert "(có dấu thời gian)" in done.stdout
    assert verdicts(pdfsig(out)) == ["Signature is Valid."]
    said = verify(pki, out)
    assert said.returncode == 0 and "Dấu thời gian:" in said.stdout
    down = sign(pki, ready, tmp_path / "x.pdf", "signer", "--tsa", "http://127.0.0.1:9/")
    assert down.returncode == 1 and "Không lấy được dấu thời gian" in down.stderr


# --- tamper cases ----------------------------------------------------------------------------------


def test_a_byte_changed_inside_the_signed_range(pki, signed, tmp_path):
    data = bytearray(signed.read_bytes())
    index = data.index(b"/Title")
    data[index + 10] ^= 0x01
    tampered = tmp_path / "byte.pdf"
    tampered.write_bytes(bytes(data))
    said = verify(pki, tampered)
    assert said.returncode == 1 and "Nội dung đã ký: ĐÃ BỊ THAY ĐỔI" in said.stdout
    assert "KẾT LUẬN: KHÔNG đạt" in said.stdout
    assert verdicts(pdfsig(tampered)) == ["Digest Mismatch."]


def _incremental(signed: Path, change) -> bytes:
    writer = PdfWriter(io.BytesIO(signed.read_bytes()), incremental=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_update_adding_a_page(pki, signed, tmp_path):
    tampered = tmp_path / "page.pdf"
    tampered.write_bytes(_incremental(signed, lambda w: w.add_blank_page(595, 842)))
    assert tampered.read_bytes().startswith(signed.read_bytes())
    said = verify(pki, tampered)
    assert said.returncode == 1 and "đã bị sửa hoặc thêm nội dung" in said.stdout
    assert "Phạm vi: bản đến lần ký này" in said.stdout
    report = pdfsig(tampered)
    assert "Not total document signed" in report or "not total document signed" in report.lower(), report


def test_an_incremental_update_changing_a_figure(pki, signed, tmp_path):
    def draw_over(writer):
        writer.pages[0].merge_page(PdfReader(io.BytesIO(_page_with(b"1.174"))).pages[0])

    tampered = tmp_path / "figure.pdf"
    tampered.write_bytes(_incremental(signed, draw_over))
    said = verify(pki, tampered)
    assert said.returncode == 1 and "đã bị sửa hoặc thêm nội dung" in said.stdout
    assert "not total document signed" in pdfsig(tampered).lower()


def _page_with(text: bytes) -> bytes:
    """A one-page PDF drawing ``text`` over a white box (as a forger would cover a figure)."""
    from pypdf.generic import DictionaryObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                                NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    stream.set_data(b"q 1 1 1 rg 300 500 60 14 re f Q BT /F1 12 Tf 300 503 Td (" + text + b") Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signature_copied_onto_another_pdf(pki, ready, signed, tmp_path):
    # another PDF: the same report with another title, signed by the same key; then the
    # first signature's value put in place of its own
    other = tmp_path / "khac.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(ready)))
    writer.add_metadata({"/Title": "Một báo cáo khác"})
    writer.write(str(other))
    other_signed = tmp_path / "khac-da-ky.pdf"
    assert sign(pki, other, other_signed).returncode == 0
    original = signed.read_bytes()
    value = re.search(rb"/Contents <([0-9a-fA-F]+)>", original).group(1)
    target = other_signed.read_bytes()
    slot = re.search(rb"/Contents <([0-9a-fA-F]+)>", target)
    assert len(slot.group(1)) == len(value)
    copied = tmp_path / "chep-chu-ky.pdf"
    copied.write_bytes(target[:slot.start(1)] + value + target[slot.end(1):])
    said = verify(pki, copied)
    assert said.returncode == 1 and "ĐÃ BỊ THAY ĐỔI" in said.stdout
    assert verdicts(pdfsig(copied)) == ["Digest Mismatch."]


def test_an_expired_certificate(pki, ready, tmp_path):
    out = tmp_path / "het-han.pdf"
    assert sign(pki, ready, out, "expired").returncode == 0
    said = verify(pki, out)
    assert said.returncode == 1 and "đã hết hạn" in said.stdout and "Nội dung đã ký: nguyên vẹn" in said.stdout
    report = pdfsig(out)
    assert verdicts(report) == ["Signature is Valid."] and "Expired" in report  # the bytes are intact; the cert is not


def test_a_revoked_certificate_with_a_crl(pki, ready, tmp_path):
    out = tmp_path / "thu-hoi.pdf"
    assert sign(pki, ready, out, "revoked").returncode == 0
    assert verify(pki, out).returncode == 0  # without the list, nothing says it is revoked
    said = verify(pki, out, "--crl", str(pki["crl"]))
    assert said.returncode == 1 and "đã bị thu hồi" in said.stdout


def test_an_untrusted_issuer_and_broken_files(pki, ready, tmp_path):
    out = tmp_path / "la.pdf"
    assert sign(pki, ready, out, "stranger").returncode == 0
    said = verify(pki, out)
    assert said.returncode == 1 and "KHÔNG được tin cậy" in said.stdout
    unsigned = verify(pki, ready)
    assert unsigned.returncode == 1 and "không có chữ ký số nào" in unsigned.stdout
    junk = tmp_path / "rac.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    said = verify(pki, junk)
    assert said.returncode == 1 and "KẾT LUẬN: KHÔNG đạt" in said.stdout
    bad_ca = tmp_path / "ca.pem"
    bad_ca.write_text("không phải chứng thư")
    done = run_cli(ROOT, "verify", str(out), "--trust", str(bad_ca))
    assert done.returncode == 2 and "không phải chứng thư số" in done.stderr and "Traceback" not in done.stderr
