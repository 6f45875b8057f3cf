"""Fællesskabsmålingen: instrument (items, options, texts, languages), rounds, answer codes,
open links, responses, free-text comments, national benchmarks and stored results.

Privacy by construction (docs/surveys.md, privacy.md): a response holds its round, department,
channel, the day it came in and the answers; nothing about who answered, from where or when
in the day. Free text lives in ``SurveyComment`` with no link to a response. An answer code is
only a keyed hash and a used flag, with no link to a home or a response.
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation

from . import instrument

MIN_CELL_SIZE = 5  # privacy.md rule 1: k = 5; an organisation may raise it, never lower it
RANDOM_ID_MAX = 2**62  # random primary keys: 1 .. 2^62 - 1


def random_id() -> int:
    """A random primary key: responses and comments get no id that follows their arrival
    (a sequential id would order them in time, and so towards the person)."""
    return secrets.randbelow(RANDOM_ID_MAX - 1) + 1


class TextDirection(models.TextChoices):
    LTR = "ltr", _("left to right")
    RTL = "rtl", _("right to left")


class SurveyLanguage(models.Model):
    """A language the questionnaire can be answered in. Danish and English are canonical
    (``organisation`` empty); an organisation adds others by entering translations."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("language code"), max_length=12, help_text=_("E.g. ar, so, tr."))
    name = models.CharField(_("name in the language itself"), max_length=60)
    direction = models.CharField(
        _("writing direction"), max_length=3, choices=TextDirection.choices, default="ltr"
    )

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("survey language")
        verbose_name_plural = _("survey languages")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="survey_language_unique_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="survey_language_unique_canonical",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ItemKind(models.TextChoices):
    SINGLE = "single", _("one answer")
    FLAG = "flag", _("tick box")
    TEXT = "text", _("free text")


class SurveyItem(models.Model):
    """A question. Canonical items (``organisation`` empty) are seeded from instrument.json;
    an organisation's own extra questions are stored in ``SurveyResponse.extra``, apart from
    the canonical columns, so they can never change the canonical indicators."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    code = models.SlugField(_("code"), max_length=40)
    section = models.CharField(_("section"), max_length=20)
    kind = models.CharField(_("kind"), max_length=6, choices=ItemKind.choices)
    optional = models.BooleanField(_("optional"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="survey_item_unique_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="survey_item_unique_canonical",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def canonical(self) -> bool:
        return self.organisation_id is None


class SurveyOption(models.Model):
    item = models.ForeignKey(
        SurveyItem,
        on_delete=models.CASCADE,
        related_name="options",
        verbose_name=_("survey question"),
    )
    code = models.PositiveSmallIntegerField(_("stored code"))
    value = models.CharField(_("value"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["item", "code"], name="survey_option_code_unique"),
            models.UniqueConstraint(fields=["item", "value"], name="survey_option_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}={self.value}"


class SurveyText(models.Model):
    """One translatable text of the questionnaire in one language, by key (``item.<code>``,
    ``option.<code>.<value>``, ``section.<name>.title|intro``, ``ui.<name>``). Canonical texts
    have no organisation; an organisation's texts add languages and its own questions."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    language = models.CharField(_("language code"), max_length=12)
    key = models.CharField(_("key"), max_length=120)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("survey text")
        verbose_name_plural = _("survey texts")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "language", "key"], name="survey_text_unique"
            ),
            models.UniqueConstraint(
                fields=["language", "key"],
                condition=Q(organisation__isnull=True),
                name="survey_text_unique_canonical",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.key}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class SurveyRound(models.Model):
    """A survey round of one organisation over chosen departments: draft → open → closed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_rounds"
    )
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=6, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    departments = models.ManyToManyField(
        Department, related_name="survey_rounds", verbose_name=_("departments")
    )
    extra_items = models.ManyToManyField(
        SurveyItem, blank=True, related_name="+", verbose_name=_("extra questions")
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=MIN_CELL_SIZE,
        validators=[MinValueValidator(MIN_CELL_SIZE)],
        help_text=_("Groups smaller than this show no figures. Never below 5."),
    )
    summary_published = models.BooleanField(_("summary published to residents"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(min_cell_size__gte=MIN_CELL_SIZE), name="survey_round_min_cell_size"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="survey_round_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


class SurveyLink(models.Model):
    """The open link of a round for one department (answering without a code)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="links")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("open link")
        verbose_name_plural = _("open links")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "department"], name="survey_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round.slug}/{self.department.code}"


class AnswerCode(models.Model):
    """A one-time answer code: only its keyed hash (HMAC-SHA256) and whether it was used.
    Which home got which code is never recorded; the database allows one use."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="codes")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer code")
        verbose_name_plural = _("answer codes")
        indexes: ClassVar = [models.Index(fields=["round", "department", "used"])]

    def __str__(self) -> str:
        return f"{self.code_hash[:8]}…"


class SubmittedDraft(models.Model):
    """A form draft that was submitted: only a keyed hash of the draft's random nonce, so
    that one draft (a signed cookie a resident could keep and send again) stores at most one
    response. The database holds it: the hash is the primary key. No time, no response."""

    nonce_hash = models.CharField(max_length=64, primary_key=True, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("submitted draft")
        verbose_name_plural = _("submitted drafts")

    def __str__(self) -> str:
        return f"{self.nonce_hash[:8]}…"


class SurveySettings(models.Model):
    """An organisation's own details for its surveys: the contact person the letters and the
    form's thank-you page name."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="survey_settings",
        verbose_name=_("organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_note = models.CharField(
        _("when to call"),
        max_length=200,
        blank=True,
        help_text=_("E.g. weekdays 9-12. Shown with the contact on the letters and the form."),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(self.organisation)


class Channel(models.TextChoices):
    CODE = "code", _("answer code")
    LINK = "link", _("open link")
    PAPER = "paper", _("paper, typed in by staff")
    IMPORT = "import", _("file import")


class SurveyResponse(models.Model):
    """One anonymous response: one small-integer column per canonical item (empty when not
    answered; see instrument.py for the codes), the organisation's extra questions in
    ``extra``, the channel and the day. Nothing else; its id is random (``random_id``)."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    submitted_on = models.DateField(_("submitted on"))
    extra = models.JSONField(_("extra questions"), default=dict, blank=True)

    for _code in instrument.column_codes():
        locals()[_code] = models.PositiveSmallIntegerField(null=True, blank=True)
    del _code

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes: ClassVar = [models.Index(fields=["round", "department"])]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.department_id}#{self.pk}"


class SurveyComment(models.Model):
    """Free text ("Er der andet, du vil sige?"), kept apart from the answers with no link to
    its response, so it can never flow into analysis, exports or reports. Coordinators only.
    Its id is random (``random_id``): the redaction form sends it."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="comments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    redacted = models.BooleanField(_("redacted"), default=False)

    class Meta:
        verbose_name = _("free-text comment")
        verbose_name_plural = _("free-text comments")

    def __str__(self) -> str:
        return f"{self.round_id}/{self.department_id}#{self.pk}"


class NationalBenchmark(models.Model):
    """A national figure to compare with, with its source and year. Canonical figures have no
    organisation; an organisation can add newer ones (the newest year is used)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    indicator = models.CharField(_("indicator"), max_length=60)
    breakdown = models.CharField(_("breakdown"), max_length=20, blank=True)
    cell = models.CharField(_("cell"), max_length=40, blank=True)
    population = models.CharField(_("population"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering: ClassVar = ["indicator", "breakdown", "cell", "-year"]
        verbose_name = _("national benchmark")
        verbose_name_plural = _("national benchmarks")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "breakdown", "cell", "year"],
                name="benchmark_unique",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=1), name="benchmark_share_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.population} {self.year}: {self.value:.3f}"


class RoundResults(models.Model):
    """The disclosure-controlled results of a closed round, computed once on close.

    ``overview_json`` is the JSON list of the organisation's group and every department's
    whole-department group (contract format of survey-instrument.md); each department's
    breakdown groups are in ``DepartmentResults``. Stored as text so the API can join them
    without parsing.
    """

    round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, related_name="results")
    computed_at = models.DateTimeField(default=timezone.now)
    min_cell_size = models.PositiveSmallIntegerField()
    respondents = models.PositiveIntegerField()
    overview_json = models.TextField()

    class Meta:
        verbose_name = _("round results")
        verbose_name_plural = _("round results")

    def __str__(self) -> str:
        return f"{self.round.slug} ({self.computed_at:%Y-%m-%d})"


class DepartmentResults(models.Model):
    """A shown department's breakdown groups (JSON list, contract format) and the evidence the
    decision tool may use (the UCLA-3 score distribution; never shown cell by cell)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    breakdowns_json = models.TextField()
    ucla_score_counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("department results")
        verbose_name_plural = _("department results")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["round", "department"], name="department_results_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.department_id}"
