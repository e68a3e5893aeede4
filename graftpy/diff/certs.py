"""Summaries of X.509 certificates, shown instead of their PEM text in a diff.

Needs the optional ``cryptography`` package; without it certificates are
compared as plain text.
"""

from __future__ import annotations

import base64
import binascii
import re

_PEM = re.compile(r"-----BEGIN ([^-\n]*)-----\r?\n(.*?)-----END \1-----", re.S)

_TEMPLATE = """Subject:
  Common Name: {cn}
  Organization: {o}
  Organization Unit: {ou}
  Locality: {l}
  State: {st}
  Country: {c}
Validity Period:
  NotBefore: {nb}
  NotAfter: {na}
Issuer: {icn}, {io}
Serial Number: {serial} ({serial:#x})
"""


def summary(text: str) -> str | None:
    """The YAML-like summary of the first PEM block of ``text`` if it is a certificate."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    match = _PEM.search(text)
    if match is None:
        return None
    body = "".join(line for line in match.group(2).splitlines() if ":" not in line)
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(body))
    except (binascii.Error, ValueError):
        return None

    def names(name: x509.Name, oid: object) -> list[str]:
        return [str(a.value) for a in name.get_attributes_for_oid(oid)]  # type: ignore[arg-type]

    def first(name: x509.Name, oid: object) -> str:
        found = names(name, oid)
        return found[0] if found else ""

    def when(moment: object) -> str:
        return f"{moment:%b} {moment.day} {moment:%H:%M:%S %Y} UTC"  # type: ignore[attr-defined]

    subject, issuer = cert.subject, cert.issuer
    return _TEMPLATE.format(
        cn=first(subject, NameOID.COMMON_NAME),
        o=" ".join(names(subject, NameOID.ORGANIZATION_NAME)),
        ou=" ".join(names(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)),
        l=" ".join(names(subject, NameOID.LOCALITY_NAME)),
        st=" ".join(names(subject, NameOID.STATE_OR_PROVINCE_NAME)),
        c=" ".join(names(subject, NameOID.COUNTRY_NAME)),
        nb=when(cert.not_valid_before_utc),
        na=when(cert.not_valid_after_utc),
        icn=first(issuer, NameOID.COMMON_NAME),
        io=" ".join(names(issuer, NameOID.ORGANIZATION_NAME)),
        serial=cert.serial_number,
    )
