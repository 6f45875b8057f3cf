"""Signed, versioned bundles of a shared round's aggregates between installations (no Django).

A bundle is JSON: ``{"format": FORMAT, "payload": {...}, "signature": base64}``. The signature
is Ed25519 (``cryptography``) over the payload's canonical JSON (sorted keys, no spaces, UTF-8).
The payload holds only what the network needs: the organisation's name and key id, the round's
short name and closing day, the bundle's ``sequence`` (each export of a round is newer), the
round's k, and per department its opaque label, master data bands, respondents and the shown
figures of ``pool.INDICATORS``. ``check_payload`` refuses anything else and any cell below k.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from lokalsamfund.surveys.disclosure import MIN_CELL_SIZE

from . import pool

FORMAT = "lokalsamfund-network-bundle/1"
FIGURE_KEYS = {"value", "ci_low", "ci_high", "denominator"}
DEPARTMENT_KEYS = {"label", "kind", "size_band", "region", "respondents", "figures"}
REGIONS = {"", "hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"}
PAYLOAD_KEYS = {
    "organisation",
    "key_id",
    "round",
    "closed_on",
    "sequence",
    "min_cell_size",
    "departments",
}


class BundleError(ValueError):
    """A bundle that must not be imported; ``code`` says why (for messages and tests)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError("key", "not an Ed25519 private key")
    return key


def public_key_text(key: Ed25519PublicKey) -> str:
    """The raw public key, base64 (what an organisation hands to the hub)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise BundleError("key", "not an Ed25519 public key (base64 of 32 bytes)") from exc


def key_id(public_text: str) -> str:
    """A short id of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = base64.b64decode(public_text.strip())
    return hashlib.sha256(raw).hexdigest()[:16]


def department_label(key: str, code: str) -> str:
    """An opaque, stable label of a department (no code or name leaves the organisation)."""
    return hashlib.sha256(f"{key}:{code}".encode()).hexdigest()[:16]


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(payload: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """The bundle file's bytes for ``payload``."""
    signature = key.sign(canonical(payload))
    bundle = {
        "format": FORMAT,
        "payload": payload,
        "signature": base64.b64encode(signature).decode(),
    }
    return json.dumps(bundle, sort_keys=True, ensure_ascii=False, indent=1).encode()


def parse(data: bytes) -> tuple[dict[str, Any], bytes]:
    """The payload and signature of a bundle file (not yet verified)."""
    try:
        bundle = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError("format", "not JSON") from exc
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError("format", f"not a {FORMAT} bundle")
    payload = bundle.get("payload")
    if not isinstance(payload, dict) or not isinstance(bundle.get("signature"), str):
        raise BundleError("format", "payload or signature missing")
    try:
        signature = base64.b64decode(bundle["signature"], validate=True)
    except ValueError as exc:
        raise BundleError("signature", "not base64") from exc
    return payload, signature


def verify(payload: dict[str, Any], signature: bytes, public_text: str) -> None:
    try:
        load_public_key(public_text).verify(signature, canonical(payload))
    except InvalidSignature as exc:
        raise BundleError("signature") from exc


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_payload(payload: dict[str, Any]) -> None:
    """Refuse a payload with unknown fields, wrong types, or any cell below k."""
    if set(payload) != PAYLOAD_KEYS:
        raise BundleError("format", "unexpected or missing fields")
    k = payload["min_cell_size"]
    sequence = payload["sequence"]
    if not isinstance(k, int) or k < MIN_CELL_SIZE:
        raise BundleError("below_k", f"k = {k}")
    if not isinstance(sequence, int) or sequence < 1:
        raise BundleError("format", "sequence")
    closed_on = payload["closed_on"]
    if closed_on is not None:
        try:
            dt.date.fromisoformat(closed_on)
        except (TypeError, ValueError) as exc:
            raise BundleError("format", "closed_on") from exc
    if not isinstance(payload["round"], str) or not 0 < len(payload["round"]) <= 60:
        raise BundleError("format", "round")
    if not isinstance(payload["organisation"], str):
        raise BundleError("format", "organisation")
    if not isinstance(payload["departments"], list):
        raise BundleError("format", "departments")
    for department in payload["departments"]:
        if not isinstance(department, dict) or set(department) != DEPARTMENT_KEYS:
            raise BundleError("format", "department fields")
        if department["kind"] not in {"family", "senior", "youth"}:
            raise BundleError("format", "kind")
        if not isinstance(department["label"], str) or not 0 < len(department["label"]) <= 32:
            raise BundleError("format", "label")
        if department["region"] not in REGIONS:
            raise BundleError("format", "region")
        if department["size_band"] not in {"", *(b[0] for b in pool.SIZE_BANDS)}:
            raise BundleError("format", "size band")
        respondents = department["respondents"]
        if not isinstance(respondents, int) or respondents < k:
            raise BundleError("below_k", f"{respondents} respondents")
        figures = department["figures"]
        if not isinstance(figures, dict):
            raise BundleError("format", "figures")
        for name, figure in figures.items():
            if name not in pool.INDICATORS or not isinstance(figure, dict):
                raise BundleError("format", f"indicator {name}")
            if set(figure) != FIGURE_KEYS or not all(_number(figure[f]) for f in FIGURE_KEYS):
                raise BundleError("format", f"figure {name}")
            if not isinstance(figure["denominator"], int) or figure["denominator"] < k:
                raise BundleError("below_k", f"{name}: {figure['denominator']}")
