"""A throw-away certificate authority with server and client certificates for 127.0.0.1.

    ca = TestCA(folder)                      # ca.path: the CA certificate (PEM)
    cert, key = ca.issue("server")           # for the NATS server's --tls
    cert, key = ca.issue("client")           # a client certificate (--tlsverify)

For TLS tests; made with ``cryptography``, which the test extra brings in (moto
needs it).
"""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path


class TestCA:
    __test__ = False  # not a test class, whatever its name

    def __init__(self, folder: Path) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "graftpy test CA")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.path = str(self._write("ca.pem", cert, None))

    def issue(self, who: str) -> tuple[str, str]:
        """A certificate for 127.0.0.1 (``who`` is "server" or "client") and its key."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        usage = ExtendedKeyUsageOID.SERVER_AUTH if who == "server" else ExtendedKeyUsageOID.CLIENT_AUTH
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, who)]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        cert_path = self._write(f"{who}.pem", cert, None)
        key_path = self._write(f"{who}-key.pem", None, key)
        return str(cert_path), str(key_path)

    def _write(self, name: str, cert, key) -> Path:
        from cryptography.hazmat.primitives import serialization

        pem = serialization.Encoding.PEM
        path = self.folder / name
        if cert is not None:
            path.write_bytes(cert.public_bytes(pem))
        else:
            path.write_bytes(
                key.private_bytes(
                    pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
        return path
