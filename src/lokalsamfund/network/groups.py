"""Project groups: who may see and run them (rules), and the services (write) and selectors
(read) of groups, their members and documents.

- Everyone who takes part in the network (``network.take_part``: administrators and
  coordinators of every organisation, network-only members) sees the list of groups (title,
  aim, hosting organisation, how many members) and joins an open group.
- A group's page with members, meetings and documents is for its members (and the platform's
  operators); to anyone else who takes part it shows the summary only. A document is served to
  members only; to anyone else it does not exist (404, whatever its number).
- Contacts run the group: they invite people (from their own organisation's side, through
  ``core.invitations``: a new account gets the network-only role), name other contacts and
  schedule meetings. A group always has a contact: the last one cannot leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.core import invitations, permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Organisation, Role, User
from lokalsamfund.core.permissions import Actor, Perm

from .group_models import GroupDocument, GroupMember, ProjectGroup
from .models import Idea

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Documents: at most this size, of these kinds (by extension and by the file's first bytes).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "txt": ("text/plain; charset=utf-8", ()),
}


# --- rules -----------------------------------------------------------------------------------


def takes_part(user: User | AnonymousUser) -> bool:
    """Does ``user`` take part in the network (its groups, ideas and development days)?"""
    return permissions.has_any(user, Perm.NETWORK_TAKE_PART)


def _member_q(user: User) -> Q:
    return Q(user=user) | Q(user__isnull=True, invitation__accepted_by=user)


def membership_of(user: User | AnonymousUser, group: ProjectGroup) -> GroupMember | None:
    if not user.is_authenticated:
        return None
    return group.members.filter(_member_q(user)).first()


def is_member(user: User | AnonymousUser, group: ProjectGroup) -> bool:
    return membership_of(user, group) is not None


def may_see_inside(user: User | AnonymousUser, group: ProjectGroup) -> bool:
    """Members, meetings and documents: the group's members and the platform's operators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or is_member(user, group)


def is_contact(user: User | AnonymousUser, group: ProjectGroup) -> bool:
    found = membership_of(user, group)
    return found is not None and found.is_contact


def may_run(user: User | AnonymousUser, group: ProjectGroup) -> bool:
    """May ``user`` run the group (invite, name contacts, schedule meetings)? Its contacts,
    and the network's administrators (the platform's operators)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or is_contact(user, group)


def may_delete_document(user: User | AnonymousUser, document: GroupDocument) -> bool:
    """Whoever added it, while a member, or the group's contacts."""
    group = document.group
    return may_run(user, group) or (
        user.is_authenticated and document.uploaded_by_id == user.pk and may_see_inside(user, group)
    )


def _require_takes_part(actor: Actor) -> User:
    if not isinstance(actor, User) or not takes_part(actor):
        raise Forbidden(_("You do not take part in the network."))
    return actor


# --- selectors -------------------------------------------------------------------------------


def groups_for(user: User | AnonymousUser) -> QuerySet[ProjectGroup]:
    """Every group (summary), for those who take part; with ``member_count``."""
    if not takes_part(user):
        raise Forbidden(_("You do not take part in the network."))
    return ProjectGroup.objects.select_related("host_organisation").annotate(
        member_count=Count("members", distinct=True)
    )


def my_groups(user: User | AnonymousUser) -> QuerySet[ProjectGroup]:
    """The groups ``user`` belongs to."""
    if not user.is_authenticated:
        return ProjectGroup.objects.none()
    ids = GroupMember.objects.filter(_member_q(user)).values("group_id")
    return groups_for(user).filter(pk__in=ids)


def group_for(user: User | AnonymousUser, pk: int) -> ProjectGroup | None:
    return groups_for(user).filter(pk=pk).first()


@dataclass(frozen=True)
class MemberView:
    name: str
    affiliation: str
    role_in_group: str
    is_contact: bool
    invited: bool  # an invitation not yet accepted
    member_id: int


def members_of(user: User | AnonymousUser, group: ProjectGroup) -> list[MemberView]:
    """The group's members as its members see them: name, organisation or sector, role in the
    group, contact or not. Open invitations are shown to those who run the group only."""
    if not may_see_inside(user, group):
        raise Forbidden(_("Only the group's members see who is in it."))
    show_invited = may_run(user, group)
    rows = []
    for m in group.members.select_related("user", "invitation__accepted_by"):
        person = m.user or (m.invitation.accepted_by if m.invitation else None)
        if person is None:
            if not show_invited or m.invitation is None or not m.invitation.is_open():
                continue
            name = m.invitation.email
        else:
            name = person.get_full_name()
        rows.append(
            MemberView(name, m.affiliation, m.role_in_group, m.is_contact, person is None, m.pk)
        )
    return rows


def documents_of(user: User | AnonymousUser, group: ProjectGroup) -> QuerySet[GroupDocument]:
    if not may_see_inside(user, group):
        raise Forbidden(_("Only the group's members see its documents."))
    return group.documents.defer("data").select_related("uploaded_by")


def document_for(user: User | AnonymousUser, pk: int) -> GroupDocument | None:
    """The document ``pk`` with its content, if ``user`` is a member of its group; else None
    (whether it exists or not)."""
    document = GroupDocument.objects.select_related("group").filter(pk=pk).first()
    if document is None or not may_see_inside(user, document.group):
        return None
    return document


# --- services --------------------------------------------------------------------------------


def _affiliation_of(user: User) -> str:
    """The organisation the person comes from, by their staff role (else empty)."""
    for m in user.memberships.select_related("organisation").exclude(
        role__in=permissions.NETWORK_ROLES
    ):
        return m.organisation.name
    return ""


def group_create(
    *,
    actor: Actor,
    host_organisation: Organisation,
    title: str,
    aim: str,
    ideas: list[Idea] | None = None,
    activity_types: list[str] | None = None,
    is_open: bool = True,
    affiliation: str = "",
) -> ProjectGroup:
    """Start a project group hosted by ``host_organisation``; the actor becomes its contact."""
    permissions.require(actor, Perm.NETWORK_ORGANISE, host_organisation)
    title = " ".join((title or "").split())
    aim = (aim or "").strip()
    if not title or len(title) > 200:
        raise DomainError(_("Title: write a title of at most 200 characters."))
    if not aim:
        raise DomainError(_("Problem and aim: say what the group works on."))
    types = list(dict.fromkeys(activity_types or []))
    known = _catalogue_slugs()
    unknown = [t for t in types if t not in known]
    if unknown:
        raise DomainError(
            _("Activity type: %(value)s is not in the catalogue.") % {"value": ", ".join(unknown)}
        )
    with transaction.atomic():
        group = ProjectGroup.objects.create(
            title=title,
            aim=aim,
            host_organisation=host_organisation,
            activity_types=types,
            is_open=is_open,
            created_by=actor if isinstance(actor, User) else None,
        )
        group.ideas.set(ideas or [])
        if isinstance(actor, User):
            GroupMember.objects.create(
                group=group,
                user=actor,
                affiliation=affiliation or _affiliation_of(actor) or host_organisation.name,
                role_in_group=_("contact"),
                is_contact=True,
            )
        log_action(
            actor=actor, action="network.group_created", organisation=host_organisation, obj=group
        )
    return group


def _catalogue_slugs() -> set[str]:
    from lokalsamfund.decisions.catalogue import shipped_activities

    return {a["slug"] for a in shipped_activities()}


def _locked(group: ProjectGroup) -> ProjectGroup:
    return ProjectGroup.objects.select_for_update().get(pk=group.pk)


def group_join(
    *, actor: Actor, group: ProjectGroup, affiliation: str = "", role_in_group: str = ""
) -> GroupMember:
    """``actor`` joins an open group (anyone who takes part in the network)."""
    user = _require_takes_part(actor)
    affiliation = " ".join((affiliation or "").split())[:200] or _affiliation_of(user)
    if not affiliation:
        raise DomainError(_("Organisation or sector: say where you come from."))
    with transaction.atomic():
        group = _locked(group)
        if is_member(user, group):
            raise Conflict(_("You are already a member of this group."))
        if not group.is_open and not user.is_superuser:
            raise Forbidden(_("This group is not open: ask one of its contacts to invite you."))
        member = GroupMember.objects.create(
            group=group,
            user=user,
            affiliation=affiliation,
            role_in_group=" ".join((role_in_group or "").split())[:100],
        )
        log_action(
            actor=user,
            action="network.group_joined",
            organisation=group.host_organisation,
            obj=group,
        )
    return member


def group_leave(*, actor: Actor, group: ProjectGroup) -> None:
    """``actor`` leaves the group; the last contact cannot (a group always has one)."""
    if not isinstance(actor, User):
        raise Forbidden(_("You are not a member of this group."))
    with transaction.atomic():
        group = _locked(group)
        member = membership_of(actor, group)
        if member is None:
            raise DomainError(_("You are not a member of this group."))
        if member.is_contact and group.members.filter(is_contact=True).count() == 1:
            raise Conflict(
                _("You are the group's only contact: name another contact before you leave.")
            )
        member.delete()
        log_action(
            actor=actor,
            action="network.group_left",
            organisation=group.host_organisation,
            obj=group,
        )


def contact_set(*, actor: Actor, member: GroupMember, is_contact: bool) -> GroupMember:
    """Name a member a contact, or no longer (not the last contact)."""
    group = member.group
    if actor is not permissions.SYSTEM and not (isinstance(actor, User) and may_run(actor, group)):
        raise Forbidden(_("Only the group's contacts name its contacts."))
    with transaction.atomic():
        _locked(group)
        member = GroupMember.objects.get(pk=member.pk)
        if (
            not is_contact
            and member.is_contact
            and group.members.filter(is_contact=True).count() == 1
        ):
            raise Conflict(_("A group needs a contact: name another contact first."))
        member.is_contact = is_contact
        member.save(update_fields=["is_contact"])
        log_action(
            actor=actor,
            action="network.group_contact_set",
            organisation=group.host_organisation,
            obj=group,
            data={"member": member.pk, "contact": is_contact},
        )
    return member


def group_invite(
    *,
    actor: Actor,
    group: ProjectGroup,
    email: str,
    affiliation: str,
    role_in_group: str = "",
    base_url: str = "",
) -> GroupMember:
    """Invite someone to the group. Someone who takes part in the network already is added
    at once; anyone else gets an e-mail invitation (``core.invitations``) to the network-only
    role, in the organisation of the contact who invites (the hosting organisation when the
    network's administrator does), and is a member once they accept."""
    if not isinstance(actor, User) or not may_run(actor, group):
        raise Forbidden(_("Only the group's contacts invite people to it."))
    email = (email or "").strip().lower()
    affiliation = " ".join((affiliation or "").split())
    role_in_group = " ".join((role_in_group or "").split())
    if not affiliation or len(affiliation) > 200:
        raise DomainError(_("Organisation or sector: say where the person comes from."))
    if len(role_in_group) > 100:
        raise DomainError(_("Role in the group: at most 100 characters."))
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    with transaction.atomic():
        _locked(group)
        if existing is not None and takes_part(existing):
            if is_member(existing, group):
                raise Conflict(_("This person is already a member of the group."))
            member = GroupMember.objects.create(
                group=group, user=existing, affiliation=affiliation, role_in_group=role_in_group
            )
        else:
            sponsor = _sponsor(actor, group)
            invitation, _token = invitations.invitation_create(
                actor=actor,
                organisation=sponsor,
                email=email,
                role=Role.NETWORK_MEMBER,
                base_url=base_url,
            )
            member = GroupMember.objects.create(
                group=group,
                invitation=invitation,
                affiliation=affiliation,
                role_in_group=role_in_group,
            )
        log_action(
            actor=actor,
            action="network.group_invited",
            organisation=group.host_organisation,
            obj=group,
            data={"member": member.pk, "account": existing is not None},
        )
    return member


def _sponsor(actor: User, group: ProjectGroup) -> Organisation:
    """The organisation whose invitation it is: the inviting contact's own (where they may
    invite people to the network), else the hosting organisation (the network's
    administrators)."""
    mine = permissions.organisations_for(actor, Perm.NETWORK_ORGANISE).order_by("pk")
    if not actor.is_superuser:
        found = mine.first()
        if found is None:
            raise Forbidden(
                _(
                    "Only contacts who may invite people to the network (administrators and "
                    "coordinators) invite someone new."
                )
            )
        return found
    return group.host_organisation


def document_add(
    *, actor: Actor, group: ProjectGroup, title: str, filename: str, data: bytes
) -> GroupDocument:
    """A member adds a document (at most ``MAX_DOCUMENT_BYTES``, of ``DOCUMENT_TYPES``)."""
    if not isinstance(actor, User) or not may_see_inside(actor, group):
        raise Forbidden(_("Only the group's members add documents."))
    title = " ".join((title or "").split()) or (filename or "").strip()
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if not title or len(title) > 200:
        raise DomainError(_("Title: at most 200 characters."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in DOCUMENT_TYPES:
        raise DomainError(
            _("File: only %(kinds)s files can be added.")
            % {"kinds": ", ".join(sorted(DOCUMENT_TYPES))}
        )
    if not data:
        raise DomainError(_("File: the file is empty."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("File: at most %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}
        )
    content_type, signatures = DOCUMENT_TYPES[extension]
    if signatures and not any(data.startswith(s) for s in signatures):
        raise DomainError(
            _("File: the content is not a %(kind)s file.") % {"kind": extension.upper()}
        )
    if not signatures:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(_("File: a text file must be UTF-8.")) from None
    with transaction.atomic():
        document = GroupDocument.objects.create(
            group=group,
            title=title,
            filename=filename,
            content_type=content_type,
            size=len(data),
            data=data,
            uploaded_by=actor,
        )
        log_action(
            actor=actor,
            action="network.document_added",
            organisation=group.host_organisation,
            obj=document,
            data={"group": group.pk, "size": len(data)},
        )
    return document


def document_delete(*, actor: Actor, document: GroupDocument) -> None:
    """Whoever added it, or the group's contacts, delete a document."""
    group = document.group
    if not isinstance(actor, User) or not may_delete_document(actor, document):
        raise Forbidden(_("Only who added it or the group's contacts delete a document."))
    with transaction.atomic():
        log_action(
            actor=actor,
            action="network.document_deleted",
            organisation=group.host_organisation,
            obj=document,
        )
        document.delete()
