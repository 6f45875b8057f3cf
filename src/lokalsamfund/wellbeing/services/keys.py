"""Key rotation for encrypted personal fields (``lokalsamfund keys rotate``).

Every model field whose name ends in ``_encrypted`` (referrals, their steps, the residents'
contact details) holds a ``core.crypto`` token. To rotate: put a new key first in
``LOKALSAMFUND_FIELD_KEYS`` (old keys after it), run ``keys rotate`` (re-encrypts every token
with the first key and recomputes the referrals' blind indexes with the current blind-index
key), run ``keys check`` (counts tokens the newest key alone cannot open: must be 0), then
remove the old keys. docs/deployment.md has the steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _

from lokalsamfund.core import crypto
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Forbidden
from lokalsamfund.core.permissions import SYSTEM, Actor, SystemActor

from .. import crypto as rights_crypto
from ..models import Referral

BATCH = 500


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """(model, names of its encrypted fields) for every installed model that has some."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if f.name.endswith("_encrypted")]
        if names:
            found.append((model, names))
    return sorted(found, key=lambda item: item[0]._meta.label)


@dataclass
class KeyReport:
    """Counts per model ("wellbeing.Referral": tokens)."""

    tokens: dict[str, int] = field(default_factory=dict)
    reindexed: int = 0

    @property
    def total(self) -> int:
        return sum(self.tokens.values())


def _require_system(actor: Actor) -> None:
    # Keys are the platform operator's business: only the command (SYSTEM) rotates.
    if actor is not SYSTEM or not isinstance(actor, SystemActor):
        raise Forbidden(_("Only the platform operator rotates keys (lokalsamfund keys)."))


def _reindex(referral: Referral) -> bool:
    name = rights_crypto.unseal(referral.resident_name_encrypted)
    address = rights_crypto.unseal(referral.resident_address_encrypted)
    name_index = rights_crypto.blind_index(rights_crypto.normalise_name(name))
    address_index = rights_crypto.blind_index(rights_crypto.normalise_address(address))
    changed = (name_index, address_index) != (referral.name_index, referral.address_index)
    referral.name_index, referral.address_index = name_index, address_index
    return changed


def keys_rotate(*, actor: Actor) -> KeyReport:
    """Re-encrypt every encrypted field with the newest key; recompute blind indexes. One
    transaction: either every token moves to the newest key or none does."""
    _require_system(actor)
    report = KeyReport()
    with transaction.atomic():
        for model, names in encrypted_fields():
            count = 0
            rows = model._default_manager.order_by("pk")
            batch: list[models.Model] = []
            for row in rows.iterator(chunk_size=BATCH):
                for name in names:
                    token = getattr(row, name)
                    if token:
                        setattr(row, name, crypto.rotate(token))
                        count += 1
                if isinstance(row, Referral) and _reindex(row):
                    report.reindexed += 1
                batch.append(row)
                if len(batch) >= BATCH:
                    _save(model, batch, names)
                    batch = []
            _save(model, batch, names)
            report.tokens[model._meta.label] = count
        log_action(
            actor=actor,
            action="wellbeing.keys_rotated",
            organisation=None,
            data={"tokens": report.total, "reindexed": report.reindexed},
        )
    return report


def _save(model: type[models.Model], batch: list[models.Model], names: list[str]) -> None:
    if not batch:
        return
    fields = list(names)
    if model is Referral:
        fields += ["name_index", "address_index"]
    model._default_manager.bulk_update(batch, fields)


def keys_check() -> KeyReport:
    """Count, per model, the tokens that the newest key alone cannot decrypt (0 everywhere
    before old keys are removed)."""
    keys = settings.LOKALSAMFUND_FIELD_KEYS
    crypto.encrypt("")  # the configured keys are valid (ImproperlyConfigured otherwise)
    newest = Fernet(keys[0].encode())
    report = KeyReport()
    for model, names in encrypted_fields():
        old = 0
        for values in model._default_manager.values_list(*names).iterator(chunk_size=BATCH):
            for token in values:
                if not token:
                    continue
                try:
                    newest.decrypt(token.encode())
                except InvalidToken:
                    old += 1
        report.tokens[model._meta.label] = old
    return report


def new_key() -> str:
    """A new Fernet key to put first in ``LOKALSAMFUND_FIELD_KEYS``."""
    return Fernet.generate_key().decode()
