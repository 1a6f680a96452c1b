"""A test PKI made with ``cryptography``: a CA, signer certificates, PKCS#12 files, a CRL.

Nothing here is a real key: every test makes its own in a temporary folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass
class Identity:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())


def _name(common: str, org: str = "Đảng ủy xã Đại Sơn (thử nghiệm)", title: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
             x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name(attrs)


def make_ca(name: str = "CA thử nghiệm baocao") -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(name)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - dt.timedelta(days=3650))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(cert, key)


def make_signer(ca: Identity, name: str, title: str | None = "Phó Bí thư Thường trực",
                not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
                tsa: bool = False) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = (x509.CertificateBuilder().subject_name(_name(name, title=title)).issuer_name(ca.cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - dt.timedelta(days=30))
               .not_valid_after(not_after or NOW + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False))
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return Identity(builder.sign(ca.key, hashes.SHA256()), key)


def write_pkcs12(identity: Identity, ca: Identity, path: Path, password: str) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", identity.key, identity.cert, [ca.cert],
        serialization.BestAvailableEncryption(password.encode("utf-8"))))
    return path


def write_crl(ca: Identity, revoked: list[x509.Certificate], path: Path) -> Path:
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
               .last_update(NOW - dt.timedelta(hours=1)).next_update(NOW + dt.timedelta(days=7)))
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
            .revocation_date(NOW - dt.timedelta(minutes=30)).build())
    crl = builder.add_extension(x509.CRLNumber(1), critical=False).sign(ca.key, hashes.SHA256())
    path.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    return path
