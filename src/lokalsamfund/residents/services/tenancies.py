"""The tenancy list: reconciling an imported list with what is stored, and moves out.

``tenancy_import_plan`` compares validated rows with the stored tenancies and writes nothing;
``tenancy_import_apply`` makes the same comparison again under a lock and writes it in one
transaction. A moved-out tenancy listed again is let anew (a new tenant: counted as added).
With ``full_list`` the file is the whole list of the departments it names: their active
tenancies that are missing move out (departments the file does not name are not touched).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.bookings.services.moves import bookings_cancel_for_move_out
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import (
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    home_key,
)
from lokalsamfund.core.permissions import Perm, require

from ..importing import TenancyRow
from ..models import ActivationCode, Tenancy, home_of

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor


@dataclass
class ImportPlan:
    """What an import would do (or did): the counts are shown before anything is written."""

    added: list[TenancyRow] = field(default_factory=list)
    relet: list[tuple[Tenancy, TenancyRow]] = field(default_factory=list)
    changed: list[tuple[Tenancy, TenancyRow]] = field(default_factory=list)
    moving_out: list[Tenancy] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added) + len(self.relet),
            "changed": len(self.changed),
            "moving_out": len(self.moving_out),
            "unchanged": self.unchanged,
        }


def _differs(tenancy: Tenancy, row: TenancyRow, department: Department) -> bool:
    if tenancy.department_id != department.pk or tenancy.address != row.address:
        return True
    if row.moved_in is not None and tenancy.moved_in != row.moved_in:
        return True
    if row.email is not None and tenancy.email != row.email:
        return True
    return row.phone is not None and tenancy.phone != row.phone


def _departments(organisation: Organisation) -> dict[str, Department]:
    return {d.code.lower(): d for d in Department.objects.filter(organisation=organisation)}


def _plan(
    organisation: Organisation,
    rows: Sequence[TenancyRow],
    *,
    full_list: bool,
    lock: bool = False,
) -> ImportPlan:
    departments = _departments(organisation)
    stored = Tenancy.objects.filter(organisation=organisation)
    if lock:
        stored = stored.select_for_update()
    by_number = {t.number: t for t in stored}
    plan = ImportPlan()
    listed: set[str] = set()
    for row in rows:
        department = departments.get(row.department.lower())
        if department is None:  # deleted since the file was read
            raise DomainError(
                _("The department %(code)s no longer exists; read the file again.")
                % {"code": row.department}
            )
        listed.add(row.number)
        existing = by_number.get(row.number)
        if existing is None:
            plan.added.append(row)
        elif existing.moved_out is not None:
            plan.relet.append((existing, row))
        elif _differs(existing, row, department):
            plan.changed.append((existing, row))
        else:
            plan.unchanged += 1
    if full_list:
        named = {departments[row.department.lower()].pk for row in rows}
        plan.moving_out = [
            t
            for t in by_number.values()
            if t.moved_out is None and t.number not in listed and t.department_id in named
        ]
    return plan


def _needs_keys(rows: Iterable[TenancyRow]) -> None:
    if not settings.LOKALSAMFUND_FIELD_KEYS and any(r.email or r.phone for r in rows):
        raise DomainError(
            _(
                "E-mail addresses and phone numbers are stored encrypted, and no key is set "
                "(LOKALSAMFUND_FIELD_KEYS, see the deployment guide). Nothing was stored."
            )
        )


def tenancy_import_plan(
    *, actor: Actor, organisation: Organisation, rows: Sequence[TenancyRow], full_list: bool
) -> ImportPlan:
    """What importing ``rows`` would do; writes nothing."""
    require(actor, Perm.MANAGE_RESIDENTS, organisation)
    _needs_keys(rows)
    return _plan(organisation, rows, full_list=full_list)


def tenancy_import_apply(
    *,
    actor: Actor,
    organisation: Organisation,
    rows: Sequence[TenancyRow],
    full_list: bool,
    now: dt.datetime | None = None,
) -> ImportPlan:
    """Add, update and (with ``full_list``) move out, all in one transaction."""
    require(actor, Perm.MANAGE_RESIDENTS, organisation)
    _needs_keys(rows)
    now = now or timezone.now()
    with transaction.atomic():
        plan = _plan(organisation, rows, full_list=full_list, lock=True)
        departments = _departments(organisation)
        new = []
        for row in plan.added:
            tenancy = Tenancy(
                organisation=organisation,
                department=departments[row.department.lower()],
                number=row.number,
                address=row.address,
                moved_in=row.moved_in,
                created_at=now,
                updated_at=now,
            )
            tenancy.set_contact(email=row.email or "", phone=row.phone or "")
            tenancy.home_key = home_key(tenancy.home)
            new.append(tenancy)
        Tenancy.objects.bulk_create(new, batch_size=1000)
        for tenancy, row in plan.relet:
            _relet(tenancy, row, departments[row.department.lower()], now=now)
        for tenancy, row in plan.changed:
            _update(tenancy, row, departments[row.department.lower()], now=now)
        _move_out(actor, organisation, plan.moving_out, on=timezone.localdate(now), now=now)
        log_action(
            actor=actor,
            action="residents.tenancies_imported",
            organisation=organisation,
            data={**plan.counts(), "full_list": full_list},
        )
    return plan


def _relet(tenancy: Tenancy, row: TenancyRow, department: Department, *, now: dt.datetime) -> None:
    """A new tenant in a tenancy that had moved out: a fresh start."""
    tenancy.department = department
    tenancy.address = row.address
    tenancy.moved_in, tenancy.moved_out = row.moved_in, None
    tenancy.invited_at = tenancy.letter_at = tenancy.activated_at = None
    tenancy.set_contact(email=row.email or "", phone=row.phone or "")
    tenancy.updated_at = now
    tenancy.save()


def _update(tenancy: Tenancy, row: TenancyRow, department: Department, *, now: dt.datetime) -> None:
    """New details of a tenancy; its residents' memberships follow its home and department
    (they are the household whose quota they share)."""
    old_home = tenancy.home
    memberships = Membership.objects.filter(
        organisation_id=tenancy.organisation_id, role=Role.RESIDENT, home_key=home_key(old_home)
    )
    if department.pk != tenancy.department_id:
        for membership in memberships:
            membership.departments.set([department])
    new_home = home_of(row.address, row.number)
    if home_key(new_home) != home_key(old_home):
        memberships.update(home=new_home)
    tenancy.department = department
    tenancy.address = row.address
    if row.moved_in is not None:
        tenancy.moved_in = row.moved_in
    tenancy.set_contact(
        email=tenancy.email if row.email is None else row.email,
        phone=tenancy.phone if row.phone is None else row.phone,
    )
    tenancy.updated_at = now
    tenancy.save()


def tenancy_move_out(
    *,
    actor: Actor,
    tenancy: Tenancy,
    moved_out: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Mark a tenancy moved out by hand; returns how many memberships ended."""
    require(actor, Perm.MANAGE_RESIDENTS, tenancy.organisation)
    now = now or timezone.now()
    on = moved_out or timezone.localdate(now)
    if tenancy.moved_out is not None:
        raise DomainError(_("The tenancy has already moved out."))
    if on > timezone.localdate(now):
        raise DomainError(
            _("The moving-out date is in the future; mark the tenancy when the tenant has left.")
        )
    if tenancy.moved_in is not None and on < tenancy.moved_in:
        raise DomainError(
            _("The moving-out date cannot be before the moving-in date (%(date)s).")
            % {"date": tenancy.moved_in.strftime("%d-%m-%Y")}
        )
    with transaction.atomic():
        ended = _move_out(actor, tenancy.organisation, [tenancy], on=on, now=now)
        log_action(
            actor=actor,
            action="residents.tenancy_moved_out",
            organisation=tenancy.organisation,
            obj=tenancy,
            data={"memberships_ended": ended},
        )
    return ended


def _move_out(
    actor: Actor,
    organisation: Organisation,
    tenancies: Sequence[Tenancy],
    *,
    on: dt.date,
    now: dt.datetime,
) -> int:
    """Tenancies move out: the resident memberships with their homes end (deleted), unused
    activation codes are voided, open e-mail invitations to the homes revoked, and the
    leavers' future resident bookings cancelled. Returns how many memberships ended."""
    if not tenancies:
        return 0
    ids = [t.pk for t in tenancies]
    Tenancy.objects.filter(pk__in=ids).update(moved_out=on, updated_at=now)
    for tenancy in tenancies:
        tenancy.moved_out = on
    ActivationCode.objects.filter(
        tenancy_id__in=ids, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)
    Invitation.objects.filter(
        organisation=organisation,
        role=Role.RESIDENT,
        home__in=[t.home for t in tenancies],
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    ending = Membership.objects.filter(
        organisation=organisation,
        role=Role.RESIDENT,
        home_key__in=[home_key(t.home) for t in tenancies],
    )
    leavers = set(ending.values_list("user_id", flat=True))
    ending.delete()
    bookings_cancel_for_move_out(
        actor=actor, organisation=organisation, booker_ids=leavers, now=now
    )
    return len(leavers)
