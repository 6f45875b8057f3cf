"""Activation letters: a one-time code per tenancy, and a resident's account with its home.

A letter's code is returned once (for the PDF); only its keyed hash is stored
(``core.codes``). ``activation_letters_create`` makes the codes and their letters as one unit
of work: the PDF is made first and the codes stored only when it exists, so a failing PDF
(or a worker that stops) leaves no code that no letter carries. A new letter voids the
tenancy's earlier unused codes. Activating uses the code up by a conditional update that only
one request can win, and gives the person a resident membership of the tenancy's department
with the home pre-set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import codes, ratelimit
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, NotFound
from lokalsamfund.core.models import Membership, Role, User
from lokalsamfund.core.permissions import Perm, require
from lokalsamfund.core.ratelimit import Purpose

from ..models import ActivationCode, Tenancy

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

MAX_LETTERS_PER_REQUEST = 500


def activation_letters_issue(
    *, actor: Actor, tenancies: Sequence[Tenancy], now: dt.datetime | None = None
) -> list[tuple[Tenancy, str]]:
    """New one-time codes for the tenancies' letters, returned once with their tenancies.
    Earlier unused codes of these tenancies are voided."""
    return _codes_issue(actor=actor, tenancies=tenancies, now=now, before=lambda issued: None)


def activation_letters_create(
    *,
    actor: Actor,
    tenancies: Sequence[Tenancy],
    render: Callable[[list[tuple[Tenancy, str]]], bytes],
    now: dt.datetime | None = None,
) -> bytes:
    """New codes and their letters (``render`` makes the PDF from the tenancies and codes) as
    one unit of work: the codes are stored, in one short transaction, only once the PDF
    exists. Returns the PDF."""
    made: list[bytes] = []

    def letters(issued: list[tuple[Tenancy, str]]) -> None:
        made[:] = [render(issued)]

    _codes_issue(actor=actor, tenancies=tenancies, now=now, before=letters)
    return made[0]


def activation_letters_check(*, actor: Actor, tenancies: Sequence[Tenancy]) -> None:
    """May ``actor`` make letters for these tenancies? (Before a background job starts, so
    that a refusal is said at once; making them checks again.)"""
    if not tenancies:
        raise DomainError(_("Choose at least one tenancy."))
    if len(tenancies) > MAX_LETTERS_PER_REQUEST:
        raise DomainError(
            _("At most %(max)s letters at a time; choose a department or fewer tenancies.")
            % {"max": MAX_LETTERS_PER_REQUEST}
        )
    for organisation in {t.organisation for t in tenancies}:
        require(actor, Perm.MANAGE_RESIDENTS, organisation)
    moved = [t.number for t in tenancies if t.moved_out is not None]
    if moved:
        raise DomainError(
            _("Tenancies that have moved out get no letter: %(numbers)s")
            % {"numbers": ", ".join(moved[:10])}
        )


def _codes_issue(
    *,
    actor: Actor,
    tenancies: Sequence[Tenancy],
    now: dt.datetime | None,
    before: Callable[[list[tuple[Tenancy, str]]], None],
) -> list[tuple[Tenancy, str]]:
    """Draw a code per tenancy, hand them to ``before`` (which may fail: then nothing is
    stored), then store their hashes and void the tenancies' earlier unused codes; a hash
    collision draws again."""
    tenancies = list(tenancies)
    activation_letters_check(actor=actor, tenancies=tenancies)
    now = now or timezone.now()
    key = settings.LOKALSAMFUND_HASH_KEY
    ids = [t.pk for t in tenancies]
    for _attempt in range(3):
        issued = [(t, codes.new_code()) for t in tenancies]
        before(issued)
        try:
            with transaction.atomic():
                ActivationCode.objects.filter(
                    tenancy_id__in=ids, used_at__isnull=True, voided_at__isnull=True
                ).update(voided_at=now)
                ActivationCode.objects.bulk_create(
                    ActivationCode(tenancy=t, code_hash=codes.code_hash(c, key), created_at=now)
                    for t, c in issued
                )
                Tenancy.objects.filter(pk__in=ids).update(letter_at=now)
                for organisation in {t.organisation for t in tenancies}:
                    log_action(
                        actor=actor,
                        action="residents.letters_issued",
                        organisation=organisation,
                        data={
                            "count": sum(t.organisation_id == organisation.pk for t in tenancies)
                        },
                    )
        except IntegrityError:
            continue  # a code's hash collided with a stored one: draw again
        for tenancy in tenancies:
            tenancy.letter_at = now
        return issued
    raise DomainError(_("Could not generate unique codes; try again."))


def activation_code_lookup(*, code: str, client: str) -> ActivationCode:
    """The usable code, or ``NotFound`` (never says whether it was used, voided or unknown).

    Wrong codes are limited per client address like survey answer codes (``core.ratelimit``,
    purpose ``activation_code``); a right code does not clear the count. Malformed input is
    not counted."""
    keys = ratelimit.keys_for(Purpose.ACTIVATION_CODE, client=client)
    if ratelimit.is_locked(Purpose.ACTIVATION_CODE, keys):
        limit = ratelimit.limit_for(Purpose.ACTIVATION_CODE)
        raise ratelimit.TooManyAttempts(
            _(
                "Too many wrong codes were typed from this connection. Wait %(minutes)s "
                "minutes and try again."
            )
            % {"minutes": limit.minutes}
        )
    not_found = NotFound(
        _("The code does not exist or can no longer be used. Check the letter and try again.")
    )
    if not codes.looks_valid(code):
        raise not_found
    found = (
        ActivationCode.objects.select_related("tenancy__organisation", "tenancy__department")
        .filter(
            code_hash=codes.code_hash(code, settings.LOKALSAMFUND_HASH_KEY),
            used_at__isnull=True,
            voided_at__isnull=True,
            tenancy__moved_out__isnull=True,
        )
        .first()
    )
    if found is None:
        ratelimit.record_failure(Purpose.ACTIVATION_CODE, keys)
        raise not_found
    return found


def activation_complete(
    *,
    code_id: int,
    user: User | None,
    full_name: str = "",
    email: str = "",
    password: str = "",
    now: dt.datetime | None = None,
) -> User:
    """Use the code up and make ``user`` (or a new account from name, e-mail and password)
    a resident of the tenancy's department with its home. A person who already is a resident
    in the organisation moves to this home."""
    now = now or timezone.now()
    with transaction.atomic():
        # Conditions on the code's own row only: PostgreSQL re-checks them after waiting for
        # a concurrent winner, whereas a join (e.g. to the tenancy) would be decided on the
        # old snapshot and let both through. A move out voids the codes, so ``voided_at``
        # covers the tenancy.
        used = ActivationCode.objects.filter(
            pk=code_id, used_at__isnull=True, voided_at__isnull=True
        ).update(used_at=now)
        if used != 1:
            raise Conflict(
                _("The code has just been used or can no longer be used. Type it again.")
            )
        code = ActivationCode.objects.select_related("tenancy__department").get(pk=code_id)
        tenancy = code.tenancy
        if user is None:
            email = User.objects.normalize_email(email.strip()).lower()
            if User.objects.filter(email__iexact=email).exists():
                raise Conflict(
                    _(
                        "An account with this e-mail address exists. Log in, then type the "
                        "code again to add the home to your account."
                    )
                )
            user = User.objects.create_user(
                email, password, full_name=full_name.strip()[:200], email_verified=False
            )
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation_id=tenancy.organisation_id, role=Role.RESIDENT
        )
        membership.home = tenancy.home
        membership.save()
        membership.departments.set([tenancy.department])
        ActivationCode.objects.filter(pk=code_id).update(used_by=user)
        Tenancy.objects.filter(pk=tenancy.pk).update(activated_at=now)
        log_action(
            actor=user,
            action="residents.activated",
            organisation=tenancy.organisation,
            obj=tenancy,
        )
    return user
