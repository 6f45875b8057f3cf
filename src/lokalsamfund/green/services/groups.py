"""Green groups' services: groups, their members, plots, the site plan and linked activities.

Every service names its actor, checks it once (``permissions.require`` or the group's rules in
``rules``), runs in one transaction and writes an audit entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lokalsamfund.activities.models import Activity
from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM, Actor, Perm

from .. import images, rules
from ..models import (
    AllocationRule,
    DeclineRule,
    GreenGroup,
    GroupMember,
    Plot,
    SitePlan,
)


def _require_manage(actor: Actor, group: GreenGroup) -> None:
    if actor is SYSTEM:
        return
    if not isinstance(actor, User) or not rules.may_manage(actor, group):
        raise Forbidden(_("You may not run the green group %(group)s.") % {"group": group})


def _locked(group: GreenGroup) -> GreenGroup:
    return GreenGroup.objects.select_for_update().get(pk=group.pk)


def group_create(
    *,
    actor: Actor,
    organisation: Organisation,
    departments: list[Department],
    name: str,
    kind: str,
    open_to_neighbours: bool = False,
    plan: str = "",
    caretaker_contact: User | None = None,
    resident_contacts: list[User] | None = None,
    allocation_rule: str = AllocationRule.WAITLIST,
    decline_rule: str = DeclineRule.BOTTOM,
    residents_first: bool = True,
    no_garden_first: bool = True,
    reserved_percent: int = 0,
    slug: str = "",
) -> GreenGroup:
    """Create a green group of ``departments`` (``green.manage`` on each of them). Its short
    name (``slug``) is made from the name when not given, unique in the organisation."""
    if not departments:
        raise DomainError(_("A green group belongs to at least one department."))
    for department in departments:
        if department.organisation_id != organisation.pk:
            raise DomainError(_("The departments must belong to the organisation."))
        permissions.require(actor, Perm.MANAGE_GREEN, department)
    if not 0 <= reserved_percent <= 100:
        raise DomainError(_("The reserved share must be between 0 and 100 per cent."))
    with transaction.atomic():
        group = GreenGroup.objects.create(
            organisation=organisation,
            name=name,
            slug=_unique_slug(organisation, slug or name, explicit=bool(slug)),
            kind=kind,
            open_to_neighbours=open_to_neighbours,
            plan=plan,
            caretaker_contact=caretaker_contact,
            allocation_rule=allocation_rule,
            decline_rule=decline_rule,
            residents_first=residents_first,
            no_garden_first=no_garden_first,
            reserved_percent=reserved_percent,
        )
        group.departments.set(departments)
        group.resident_contacts.set(resident_contacts or [])
        log_action(
            actor=actor,
            action="green.group_create",
            organisation=organisation,
            obj=group,
            data={"kind": kind, "departments": [d.code for d in departments]},
        )
    return group


def _unique_slug(
    organisation: Organisation, text: str, *, explicit: bool, exclude: int | None = None
) -> str:
    base = slugify(text)[:50]
    if not base:
        raise DomainError(_("The short name must have letters or digits."))
    others = GreenGroup.objects.filter(organisation=organisation)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("slug", flat=True))
    if base not in taken:
        return base
    if explicit:
        raise Conflict(
            _("Another group of the organisation has the short name %(slug)s.") % {"slug": base}
        )
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


GROUP_FIELDS = (
    "name",
    "kind",
    "open_to_neighbours",
    "plan",
    "allocation_rule",
    "decline_rule",
    "residents_first",
    "no_garden_first",
    "reserved_percent",
)


def group_update(
    *,
    actor: Actor,
    group: GreenGroup,
    departments: list[Department] | None = None,
    caretaker_contact: User | object | None = ...,
    resident_contacts: list[User] | None = None,
    slug: str | None = None,
    **fields: Any,
) -> GreenGroup:
    """Change the group's settings (its contacts and ``green.manage``). Departments added or
    taken away need ``green.manage`` on each of them; resident contacts must be members."""
    _require_manage(actor, group)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if not 0 <= int(fields.get("reserved_percent", group.reserved_percent)) <= 100:
        raise DomainError(_("The reserved share must be between 0 and 100 per cent."))
    with transaction.atomic():
        group = _locked(group)
        changed = sorted(k for k, v in fields.items() if getattr(group, k) != v)
        for key, value in fields.items():
            setattr(group, key, value)
        if slug is not None and slug != group.slug:
            group.slug = _unique_slug(group.organisation, slug, explicit=True, exclude=group.pk)
            changed.append("slug")
        if caretaker_contact is not ...:
            if caretaker_contact is not None and not isinstance(caretaker_contact, User):
                raise DomainError(_("The caretaker contact must be a user."))
            if (
                caretaker_contact is not None
                and not permissions.departments_for(
                    caretaker_contact, Perm.MANAGE_GREEN, group.organisation
                ).exists()
            ):
                raise DomainError(
                    _("The caretaker contact must be one of the organisation's staff (driften).")
                )
            if group.caretaker_contact_id != getattr(caretaker_contact, "pk", None):
                changed.append("caretaker_contact")
            group.caretaker_contact = caretaker_contact
        group.save()
        if departments is not None:
            if not departments:
                raise DomainError(_("A green group belongs to at least one department."))
            before = {d.pk: d for d in group.departments.all()}
            after = {d.pk: d for d in departments}
            for department in [d for k, d in after.items() if k not in before] + [
                d for k, d in before.items() if k not in after
            ]:
                if department.organisation_id != group.organisation_id:
                    raise DomainError(_("The departments must belong to the organisation."))
                permissions.require(actor, Perm.MANAGE_GREEN, department)
            if set(before) != set(after):
                group.departments.set(departments)
                changed.append("departments")
        if resident_contacts is not None:
            member_ids = set(group.members.values_list("user_id", flat=True))
            if any(u.pk not in member_ids for u in resident_contacts):
                raise DomainError(_("Resident contacts must be members of the group."))
            if {u.pk for u in group.resident_contacts.all()} != {u.pk for u in resident_contacts}:
                group.resident_contacts.set(resident_contacts)
                changed.append("resident_contacts")
        log_action(
            actor=actor,
            action="green.group_update",
            organisation=group.organisation,
            obj=group,
            data={"changed": changed},
        )
    return group


def _check_position(map_x: Decimal | None, map_y: Decimal | None) -> None:
    if (map_x is None) != (map_y is None):
        raise DomainError(_("Give the plot's position both across and down, or neither."))
    for value in (map_x, map_y):
        if value is not None and not 0 <= value <= 100:
            raise DomainError(_("A position on the site plan is between 0 and 100 per cent."))


def plot_create(
    *,
    actor: Actor,
    group: GreenGroup,
    label: str,
    size_m2: Decimal,
    location: str = "",
    map_x: Decimal | None = None,
    map_y: Decimal | None = None,
) -> Plot:
    _require_manage(actor, group)
    _check_position(map_x, map_y)
    if size_m2 < 0:
        raise DomainError(_("A plot's size cannot be negative."))
    try:
        with transaction.atomic():
            plot = Plot.objects.create(
                group=group,
                label=label,
                size_m2=size_m2,
                location=location,
                map_x=map_x,
                map_y=map_y,
            )
            log_action(
                actor=actor,
                action="green.plot_create",
                organisation=group.organisation,
                obj=plot,
                data={"group": group.pk},
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The group already has a plot called %(label)s.") % {"label": label}
        ) from exc
    return plot


def plot_update(
    *,
    actor: Actor,
    plot: Plot,
    label: str,
    size_m2: Decimal,
    location: str = "",
    map_x: Decimal | None = None,
    map_y: Decimal | None = None,
) -> Plot:
    """Change a plot's label, size, location and place on the site plan."""
    group = plot.group
    _require_manage(actor, group)
    _check_position(map_x, map_y)
    if size_m2 < 0:
        raise DomainError(_("A plot's size cannot be negative."))
    try:
        with transaction.atomic():
            plot = Plot.objects.select_for_update().get(pk=plot.pk)
            plot.label, plot.size_m2, plot.location = label, size_m2, location
            plot.map_x, plot.map_y = map_x, map_y
            plot.save()
            log_action(
                actor=actor,
                action="green.plot_update",
                organisation=group.organisation,
                obj=plot,
                data={"group": group.pk},
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The group already has a plot called %(label)s.") % {"label": label}
        ) from exc
    return plot


def site_plan_set(*, actor: Actor, group: GreenGroup, data: bytes, name: str = "") -> SitePlan:
    """Upload the group's site plan image (checked, re-encoded without metadata)."""
    _require_manage(actor, group)
    image = images.clean_image(data, name=name)
    with transaction.atomic():
        plan, _created = SitePlan.objects.update_or_create(
            group=group,
            defaults={
                "image": image.data,
                "content_type": image.content_type,
                "width": image.width,
                "height": image.height,
                "uploaded_at": timezone.now(),
            },
        )
        log_action(
            actor=actor,
            action="green.site_plan",
            organisation=group.organisation,
            obj=group,
            data={"width": image.width, "height": image.height},
        )
    return plan


def activity_link(*, actor: Actor, group: GreenGroup, activity: Activity) -> None:
    """Show ``activity`` (of the same organisation) on the group's page."""
    _require_manage(actor, group)
    if activity.organisation_id != group.organisation_id:
        raise DomainError(_("The activity belongs to another organisation."))
    with transaction.atomic():
        group.activities.add(activity)
        log_action(
            actor=actor,
            action="green.link_activity",
            organisation=group.organisation,
            obj=group,
            data={"activity": activity.pk},
        )


def member_join(*, actor: Actor, group: GreenGroup) -> GroupMember:
    """``actor`` joins the group (who may: ``rules.may_join``)."""
    if not isinstance(actor, User) or not rules.may_join(actor, group):
        raise Forbidden(_("You may not join the green group %(group)s.") % {"group": group})
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(group=group, user=actor)
        if created:
            log_action(actor=actor, action="green.join", organisation=group.organisation, obj=group)
    return member


def member_leave(*, actor: Actor, group: GreenGroup) -> None:
    """``actor`` leaves the group; a plot they hold this season is kept until given back."""
    if not isinstance(actor, User):
        raise Forbidden(_("You may not leave for someone else."))
    with transaction.atomic():
        deleted, _rows = GroupMember.objects.filter(group=group, user=actor).delete()
        if not deleted:
            raise DomainError(_("You are not a member of %(group)s.") % {"group": group})
        log_action(actor=actor, action="green.leave", organisation=group.organisation, obj=group)
