"""Tenancy (organisation, department, neighbours, associations), users, roles and the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .revisions import OwnedRowsQuerySet, renew_revision

cvr_validator = RegexValidator(r"^\d{8}$", _("A CVR number has exactly 8 digits."))
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$",
    _("A department code is 1-20 letters, digits, '-' or '_'."),
)


class Organisation(models.Model):
    """Almen boligorganisation: the tenant. Nothing of one organisation is shown to another."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, validators=[cvr_validator])
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """Boligafdeling: the unit of economy and resident democracy."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    homes = models.PositiveIntegerField(_("number of homes"), default=0)
    adult_residents = models.PositiveIntegerField(_("number of adult residents"), default=0)

    class Meta:
        ordering: ClassVar = ["organisation", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="department_code_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OwnershipForm(models.TextChoices):
    ANDEL = "andel", _("cooperative housing (andel)")
    EJER = "ejer", _("owner-occupied (ejer)")
    PRIVAT = "privat_udlejning", _("private rental")


class NeighbourHousing(models.Model):
    """Housing of another ownership form near a department (andel, ejer, privat udlejning)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="neighbour_housings",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="neighbour_housings",
        verbose_name=_("department"),
        help_text=_("The department it lies near."),
    )
    name = models.CharField(_("name"), max_length=200)
    ownership_form = models.CharField(
        _("ownership form"), max_length=20, choices=OwnershipForm.choices
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    homes = models.PositiveIntegerField(_("number of homes"), default=0)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("neighbouring housing")
        verbose_name_plural = _("neighbouring housing")

    def __str__(self) -> str:
        return self.name


class Association(models.Model):
    """A local association, social-economy enterprise or public actor that uses the houses."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="associations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True, validators=[cvr_validator])
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("back-office access"),
        default=False,
        help_text=_("May log in to the back office (Django admin), scoped to own organisations."),
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    # A new value whenever the user's memberships (or their departments) change: the key of
    # the per-process cache of memberships in the permission module. It comes with the user
    # row every request loads anyway, so trusting the cache costs no query.
    access_revision = models.UUIDField(_("access revision"), default=uuid.uuid4, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering: ClassVar = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new access revision on every save: an object read before a membership changed
        # must not write the old revision back (its cached memberships would count again).
        renew_revision(self, "access_revision", kwargs)
        super().save(*args, **kwargs)

    @staticmethod
    def touch_access(user_ids: Any) -> None:
        """Give these users a new access revision: their cached memberships are not used
        again (the permission module calls this when memberships change)."""
        User.objects.filter(pk__in=set(user_ids)).update(access_revision=uuid.uuid4())

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("organisation administrator")
    COORDINATOR = "coordinator", _("community coordinator")
    CARETAKER = "caretaker", _("caretaker")
    BOARD_MEMBER = "board_member", _("department board member")
    RESIDENT = "resident", _("resident")
    NEIGHBOUR = "neighbour", _("neighbour")
    ASSOCIATION = "association", _("association contact")
    SOCIAL_WORKER = "social_worker", _("social worker")
    DATA_PROTECTION = "data_protection", _("data protection contact")
    # From outside the organisation (architects, associations, developers, municipal staff):
    # takes part in the network's project groups and development days, sees nothing of the
    # organisation that invited them (docs/network.md).
    NETWORK_MEMBER = "network_member", _("network member (outside the organisation)")


class MembershipQuerySet(OwnedRowsQuerySet):
    """Bulk writes renew the users' access revisions like ``save()`` and ``delete()`` do
    (through the permission module's signal handlers, which bulk writes bypass), and keep
    ``home_key`` with ``home``."""

    owner_field = "user_id"

    def touch_owners(self, owner_ids: Iterable[int]) -> None:
        User.touch_access(owner_ids)

    def update(self, **kwargs: Any) -> int:
        if isinstance(kwargs.get("home"), str):  # (bulk_update sends an expression)
            kwargs["home"] = normalise_home(kwargs["home"])
            kwargs["home_key"] = home_key(kwargs["home"])
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = [_with_home_key(m) for m in objs]
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[Any], fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = [_with_home_key(m) for m in objs]
        if "home" in fields:
            fields = [*fields, "home_key"]
        return super().bulk_update(objs, fields, *args, **kwargs)


def _with_home_key(membership: Membership) -> Membership:
    membership.home = normalise_home(membership.home)
    membership.home_key = home_key(membership.home)
    return membership


class Membership(models.Model):
    """A role for a user in an organisation, optionally limited to some departments.

    Residents and board members belong to departments; neighbours to a neighbouring housing;
    association contacts to an association. An empty department list means the whole
    organisation (for staff roles).
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="memberships",
        verbose_name=_("departments"),
        help_text=_(
            "Required for residents and board members. Empty for staff: the whole organisation."
        ),
    )
    neighbour_housing = models.ForeignKey(
        NeighbourHousing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("neighbouring housing"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("association"),
    )
    home = models.CharField(
        _("home"),
        max_length=200,
        blank=True,
        help_text=_(
            "Address or tenancy number of the home. People with the same home in the "
            "organisation are one household and share its limits, such as the monthly "
            "bookings of a common house."
        ),
    )
    # ``home`` as it is compared (spaces normalised, case folded in Python: SQLite folds the
    # case of ASCII letters only, so "Ærtebjerg" and "ærtebjerg" must be folded here).
    home_key = models.CharField(
        _("home (for comparison)"), max_length=200, blank=True, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _with_home_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "home" in update_fields:
            kwargs["update_fields"] = {*update_fields, "home_key"}
        # The row and the user's new access revision (post_save) commit together (deletion
        # sends post_delete inside its own transaction).
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    @staticmethod
    def check_departments(role: str, departments: Iterable[Any]) -> None:
        """Residents and board members belong to departments: an empty list would mean the
        whole organisation. (A database constraint cannot see a many-to-many list; the
        permission module treats such a membership as covering nothing.) Used by the back
        office's form and the services; ``clean()`` cannot see a form's new departments."""
        if role in (Role.RESIDENT, Role.BOARD_MEMBER) and not list(departments):
            raise ValidationError(
                {"departments": _("Residents and board members need at least one department.")}
            )


def normalise_home(text: str) -> str:
    """A home as it is written: single spaces, no space before a comma or full stop."""
    words = " ".join((text or "").split())
    return words.replace(" ,", ",").replace(" .", ".")


def home_key(text: str) -> str:
    """A home as it is compared: normalised and case-folded ("Ærtebjerg 3 , st." and
    "ærtebjerg 3, ST." are one home)."""
    return normalise_home(text).casefold()


class AuditEntry(models.Model):
    """One domain action: who did what, when, to which object, in which organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="audit_entries",
        null=True,
        verbose_name=_("organisation"),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 hash of the token is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


def _invitation_expiry() -> Any:
    return timezone.now() + INVITATION_VALIDITY


INVITATION_VALIDITY = timedelta(days=14)


class Invitation(models.Model):
    """An invitation by e-mail to take a role in an organisation (invitation).

    Only a keyed hash of the token is stored (``token_hash``); the token itself is in the
    e-mail's link and nowhere else. An invitation is open until it is accepted, revoked or
    expires (``expires_at``, 14 days by default).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="invitations",
        verbose_name=_("departments"),
        help_text=_("Required for residents and board members; empty: the whole organisation."),
    )
    home = models.CharField(_("home"), max_length=200, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class LoginFailure(models.Model):
    """A failed login, kept briefly for rate limiting across all server processes."""

    key = models.CharField(_("key"), max_length=128, db_index=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.key[:12]} {self.at:%Y-%m-%d %H:%M}"


from .job_models import Job, JobStatus  # noqa: E402, F401 - the Job model lives in core
