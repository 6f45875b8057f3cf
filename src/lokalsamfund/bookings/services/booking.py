"""The one booking service: create a booking (series in ``series``; changes, cancellation
and approval in ``changes``).

Activities (later) reserve the house through ``booking_create(..., source="activity")``; the
policy and the no-overlap logic live here, not in views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Membership
from lokalsamfund.core.permissions import Perm

from ..choices import BookerCategory, BookingSource, BookingStatus, UseType
from ..letting import (
    COMPANY_MISSING,
    DECISION_MISSING,
    DOCUMENTATION_MISSING,
    MARKET_RENT_MISSING,
    NOT_IN_FORCE,
    PERIOD_MISSING,
    PERIOD_TOO_LONG,
)
from ..models import Booking, BookingSeries, Facility, LettingAgreement, Room
from ..policy import Policy, Rule
from ..pricing import PriceQuote, booked_hours, quote
from ..selectors import (
    CategoryOption,
    categories_for,
    costs_for,
    facility_with_rooms,
    policy_for,
)
from . import checks
from .notify import approver_mail, booking_mail

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


DEADLOCK_RETRIES = 3


def _is_deadlock(exc: BaseException) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def letting_problem_messages(agreement: LettingAgreement | None, on: date) -> list[str]:
    """The external-letting guard in words: what is missing before confirmation."""
    if agreement is None:
        return [_("an external letting agreement")]
    words = {
        DECISION_MISSING: _("the afdelingsmøde decision (date and reference)"),
        PERIOD_MISSING: _("the agreement period"),
        PERIOD_TOO_LONG: _("an agreement period of at most 4 years"),
        NOT_IN_FORCE: _("an agreement in force on the day of the booking"),
        COMPANY_MISSING: _("the taxable company the letting runs through"),
        MARKET_RENT_MISSING: _("the market rent"),
        DOCUMENTATION_MISSING: _("the documentation of the market rent"),
    }
    return [str(words[p]) for p in agreement.problems(on)]


@dataclass
class _Plan:
    facility: Facility
    person: User
    option: CategoryOption
    rule: Rule
    policy: Policy
    rooms: list[Room]
    status: str


def _rooms(facility: Facility, rooms: Sequence[Room], whole_house: bool) -> list[Room]:
    all_rooms = list(facility.rooms.all())
    if not all_rooms:
        raise DomainError(_("%(house)s has no rooms to book.") % {"house": facility.name})
    if whole_house:
        if rooms:
            raise DomainError(_("Choose either the whole house or some rooms, not both."))
        return sorted(all_rooms, key=lambda r: r.pk)  # one lock order for every booking
    if not rooms:
        raise DomainError(_("Choose the whole house or at least one room."))
    ids = {r.pk for r in all_rooms}
    for room in rooms:
        if room.pk not in ids:
            raise DomainError(
                _("%(room)s is not a room of %(house)s.")
                % {"room": room.name, "house": facility.name}
            )
    return sorted({r.pk: r for r in rooms}.values(), key=lambda r: r.pk)


def _person(facility: Facility, booker: User, on_behalf_of: User | None) -> User:
    if not facility.is_active:
        raise DomainError(_("%(house)s is not open for booking.") % {"house": facility.name})
    if on_behalf_of is None or on_behalf_of.pk == booker.pk:
        return booker
    if not permissions.has_perm(booker, Perm.BOOK_ON_BEHALF, facility):
        raise Forbidden(
            _("You may not book %(house)s on behalf of others.") % {"house": facility.name}
        )
    if not Membership.objects.filter(
        user=on_behalf_of, organisation_id=facility.organisation_id
    ).exists():
        raise DomainError(
            _("%(person)s has no role in %(org)s.")
            % {"person": on_behalf_of.email, "org": facility.organisation}
        )
    return on_behalf_of


def _option(person: User, facility: Facility, category: str | None) -> CategoryOption:
    options = categories_for(person, facility)
    if not options:
        raise Forbidden(
            _("%(person)s cannot book %(house)s.")
            % {"person": person.email, "house": facility.name}
        )
    if category is None:
        return options[0]
    for option in options:
        if option.category == category:
            return option
    if category not in BookerCategory.values:
        raise DomainError(_("Unknown booker category: %(value)s.") % {"value": category})
    raise Forbidden(
        _("%(person)s cannot book as %(category)s.")
        % {"person": person.email, "category": checks.category_label(category)}
    )


def _quote(
    plan: _Plan, start: datetime, end: datetime, agreement: LettingAgreement | None
) -> PriceQuote:
    hours = booked_hours(start, end)
    rule = plan.rule
    costs = None
    if rule.price_rule == "cost_recovery":
        year = checks.local(start).year
        entered = costs_for(plan.facility, year)
        if entered is None:
            raise DomainError(
                _(
                    "No annual costs are entered for %(house)s (%(year)d), so the cost-recovery "
                    "price cannot be computed. Ask the administration to enter them."
                )
                % {"house": plan.facility.name, "year": year}
            )
        costs = entered.as_annual_costs()
    return quote(
        rule=rule.price_rule,
        hours=hours,
        fixed_price=rule.fixed_price,
        costs=costs,
        market_rent_per_hour=agreement.market_rent_per_hour if agreement else None,
    )


def _use_type(value: str) -> str:
    if value not in UseType.values:
        raise DomainError(_("Unknown use type: %(value)s.") % {"value": value})
    return value


def _audit_data(booking: Booking, rooms: Sequence[Room]) -> dict[str, object]:
    return {
        "facility": booking.facility.slug,
        "rooms": [r.name for r in rooms],
        "whole_house": booking.whole_house,
        "start": booking.starts_at.isoformat(),
        "end": booking.ends_at.isoformat(),
        "category": booking.category,
        "use_type": booking.use_type,
        "status": booking.status,
        "price": str(booking.price),
        "source": booking.source,
        "on_behalf": booking.booker_id != booking.created_by_id,
    }


def booking_create(
    *,
    facility: Facility,
    booker: User,
    start: datetime,
    end: datetime,
    title: str,
    use_type: str,
    category: str | None = None,
    rooms: Sequence[Room] = (),
    whole_house: bool = False,
    on_behalf_of: User | None = None,
    agreement: LettingAgreement | None = None,
    charges_participants: bool = False,
    budget_sent_on: date | None = None,
    source: str = BookingSource.WEB,
    series: BookingSeries | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> Booking:
    """Book rooms (or the whole house) of ``facility``; ``booker`` acts, possibly for
    ``on_behalf_of``. Returns the booking (confirmed, or pending approval).

    Raises Forbidden when the person or category may not book this use, DomainError for
    invalid input or a broken rule (window, times, quota, costs), Conflict (with the clashing
    time in ``details["clash"]``) when a room is taken.
    """
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the booking a title."))
    if len(title) > 200:
        raise DomainError(_("The title is at most 200 characters."))
    use_type = _use_type(use_type)
    checks.check_aware_order(start, end)
    for attempt in range(DEADLOCK_RETRIES + 1):
        room_list: list[Room] = []
        try:
            return _create(
                facility=facility,
                booker=booker,
                start=start,
                end=end,
                title=title,
                use_type=use_type,
                category=category,
                rooms=rooms,
                whole_house=whole_house,
                on_behalf_of=on_behalf_of,
                agreement=agreement,
                charges_participants=charges_participants,
                budget_sent_on=budget_sent_on,
                source=source,
                series=series,
                notify=notify,
                now=now,
                room_list=room_list,
            )
        except IntegrityError:
            conflict = checks.conflict_after_rollback([(room_list, start, end)])
            if conflict is None:
                raise
            raise conflict from None
        except OperationalError as exc:
            # Two crossing inserts into the exclusion constraint: PostgreSQL aborts one as a
            # deadlock. Nothing was written; try again, which now meets the winner's claim.
            if not _is_deadlock(exc) or attempt == DEADLOCK_RETRIES:
                raise
        except checks.FacilityChanged:
            # The house (its rooms, slots or rules) changed after it was read, perhaps from
            # the process cache: nothing was written; check everything again against it now.
            if attempt == DEADLOCK_RETRIES:
                raise DomainError(
                    _("%(house)s was being changed. Try again.") % {"house": facility.name}
                ) from None
            facility = facility_with_rooms(facility.pk)
    raise AssertionError("unreachable")  # pragma: no cover


def _create(
    *,
    facility: Facility,
    booker: User,
    start: datetime,
    end: datetime,
    title: str,
    use_type: str,
    category: str | None,
    rooms: Sequence[Room],
    whole_house: bool,
    on_behalf_of: User | None,
    agreement: LettingAgreement | None,
    charges_participants: bool,
    budget_sent_on: date | None,
    source: str,
    series: BookingSeries | None,
    notify: bool,
    now: datetime,
    room_list: list[Room],
) -> Booking:
    """booking_create's checks, then its transaction; ``room_list`` is filled for the
    conflict answer.

    The checks only read, so they run before the transaction: a refused booking (most often
    a clash) costs no transaction. What must hold together with the write is checked again
    inside it, after the house's lock: the quota and (SQLite) the clash; on PostgreSQL the
    exclusion constraint decides clashes.
    """
    person = _person(facility, booker, on_behalf_of)
    option = _option(person, facility, category)
    policy = policy_for(facility)
    rule = policy.rule(option.category, use_type)
    if not rule.allowed:
        raise Forbidden(
            _(
                "The house's rules do not allow %(category)s to book for %(use)s "
                "(source: %(source)s)."
            )
            % {
                "category": checks.category_label(option.category),
                "use": UseType(use_type).label,
                "source": rule.source or policy.name,
            }
        )
    self_service = person.pk == booker.pk
    if (
        self_service
        and option.category in (BookerCategory.NEIGHBOUR, BookerCategory.ASSOCIATION)
        and not person.email_verified
    ):
        raise Forbidden(_("Confirm your e-mail address first: follow the link we sent you."))
    approver = permissions.has_perm(booker, Perm.APPROVE_BOOKINGS, facility)
    staff = approver or permissions.has_perm(booker, Perm.BOOK_ON_BEHALF, facility)
    if not staff:
        checks.check_window(terms=policy.terms_for(option.category), start=start, now=now)
    elif start < now:
        raise DomainError(_("The start (%(start)s) has passed.") % {"start": checks.fmt(start)})
    checks.check_times(facility=facility, use_type=use_type, start=start, end=end)
    checks.check_quota(
        facility=facility, person=person, category=option.category, start=start, exclude_id=None
    )
    if use_type == UseType.EXTERNAL_LETTING:
        if agreement is None:
            raise DomainError(_("An external letting needs its letting agreement."))
        if agreement.facility_id != facility.pk:
            raise DomainError(_("The letting agreement belongs to another house."))
        if not agreement.is_party(person_id=person.pk, association_id=option.association_id):
            raise Forbidden(
                _(
                    "The letting agreement with %(party)s may only be used by its own party; "
                    "%(person)s is not it."
                )
                % {"party": agreement.counterparty, "person": person.get_full_name()}
            )
    else:
        agreement = None
    room_list.extend(_rooms(facility, rooms, whole_house))
    # The friendly answer, early and cheap; the database still decides under concurrency
    # (see checks.claim_rooms).
    clash = checks.first_clash(room_list, start, end)
    if clash is not None:
        raise checks.conflict_for(clash)
    plan = _Plan(facility, person, option, rule, policy, room_list, BookingStatus.PENDING)
    price = _quote(plan, start, end, agreement)
    confirmed = approver or not rule.needs_approval
    if use_type == UseType.EXTERNAL_LETTING:
        confirmed = approver and not letting_problem_messages(agreement, checks.local(start).date())
    with transaction.atomic():
        # One writer per house from here to commit (see checks.lock_house); the quota again,
        # now that no other booking of this house can be written meanwhile.
        checks.lock_house(facility.pk, facility.revision)
        checks.check_quota(
            facility=facility, person=person, category=option.category, start=start, exclude_id=None
        )
        booking = Booking.objects.create(
            facility=facility,
            whole_house=whole_house,
            booker=person,
            created_by=booker,
            category=option.category,
            use_type=use_type,
            department=option.department,
            neighbour_housing_id=option.neighbour_housing_id,
            association_id=option.association_id,
            title=title,
            starts_at=start,
            ends_at=end,
            status=BookingStatus.CONFIRMED if confirmed else BookingStatus.PENDING,
            source=source,
            price_rule=price.rule,
            price=price.amount,
            price_basis=price.as_dict(),
            agreement=agreement,
            charges_participants=charges_participants,
            budget_sent_on=budget_sent_on,
            series=series,
            decided_by=booker if confirmed and rule.needs_approval else None,
            decided_at=now if confirmed and rule.needs_approval else None,
        )
        checks.claim_rooms(booking=booking, rooms=room_list, house_locked=True)
        log_action(
            actor=booker,
            action="bookings.create",
            organisation=facility.organisation,
            obj=booking,
            data=_audit_data(booking, room_list),
        )
        if notify:
            booking_mail("confirmed" if confirmed else "created", [booking])
            if not confirmed:
                approver_mail([booking])
    return booking


def resolve_on_behalf(*, actor: User, facility: Facility, email: str) -> User:
    """The person staff book for, by e-mail; only staff of the house may look people up."""
    if not permissions.has_perm(actor, Perm.BOOK_ON_BEHALF, facility):
        raise Forbidden(
            _("You may not book %(house)s on behalf of others.") % {"house": facility.name}
        )
    from lokalsamfund.core.models import User as UserModel

    person = UserModel.objects.filter(
        email__iexact=(email or "").strip(),
        is_active=True,
        memberships__organisation_id=facility.organisation_id,
    ).first()
    if person is None:
        raise DomainError(
            _("No one with the e-mail address %(email)s has a role in %(org)s.")
            % {"email": email, "org": facility.organisation}
        )
    return person
