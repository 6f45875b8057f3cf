"""The questionnaire of a round in one language, as the form shows it: steps (sections) of
questions with their options and texts, and reading a step's posted answers.

Texts: the canonical Danish and English come from instrument.json; an organisation's rows in
``SurveyText`` add languages and its own questions' texts. A missing text falls back to
Danish, so a partly translated language still shows every question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from lokalsamfund.core.models import Organisation

from . import instrument
from .models import SurveyItem, SurveyLanguage, SurveyRound, SurveyText

FALLBACK_LANGUAGE = "da"
EXTRA_SECTION = "extra"
# The draft (with the comment) lives in a cookie, and browsers drop cookies over 4 KB: 1,000
# characters of, e.g., Arabic make about 2.2 KB signed and compressed.
MAX_FORM_COMMENT = 1000
NONE_OF_THESE = "none"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str


@dataclass
class Choice:
    value: str  # what the form posts: the stored code (canonical) or the value (extra)
    label: str


@dataclass
class Question:
    code: str
    kind: str  # "single", "flag" or "text"
    label: str
    optional: bool
    choices: list[Choice] = field(default_factory=list)
    extra: bool = False


@dataclass
class Step:
    name: str
    title: str
    intro: str
    questions: list[Question]

    @property
    def is_block(self) -> bool:
        """A multiple-choice block (ticks), answered as a whole."""
        return bool(self.questions) and all(q.kind == "flag" for q in self.questions)


def languages_for(organisation: Organisation) -> list[Language]:
    found = {
        code: Language(code, name, direction)
        for code, name, direction in (("da", "Dansk", "ltr"), ("en", "English", "ltr"))
    }
    for row in SurveyLanguage.objects.filter(
        Q(organisation=None) | Q(organisation=organisation)
    ).order_by("organisation", "code"):
        found[row.code] = Language(row.code, row.name, row.direction)
    return list(found.values())


def texts_for(organisation: Organisation, language: str) -> dict[str, str]:
    """Every text key in ``language``, falling back to Danish."""
    texts = instrument.canonical_texts(FALLBACK_LANGUAGE)
    rows = SurveyText.objects.filter(
        Q(organisation=None) | Q(organisation=organisation),
        language__in={FALLBACK_LANGUAGE, language},
    ).order_by("organisation", "language")
    by_language: dict[str, dict[str, str]] = {FALLBACK_LANGUAGE: {}, language: {}}
    for row in rows:
        by_language[row.language][row.key] = row.text
    texts |= by_language[FALLBACK_LANGUAGE]
    if language in ("da", "en"):
        texts |= instrument.canonical_texts(language)
    texts |= {k: v for k, v in by_language[language].items() if v.strip()}
    return texts


class Questionnaire:
    """A round's questionnaire in one language."""

    def __init__(self, survey_round: SurveyRound, language: str) -> None:
        self.round = survey_round
        self.languages = languages_for(survey_round.organisation)
        codes = {lang.code for lang in self.languages}
        self.language = next(
            (lang for lang in self.languages if lang.code == language),
            next(lang for lang in self.languages if lang.code == FALLBACK_LANGUAGE),
        )
        assert self.language.code in codes  # noqa: S101 - by construction
        self.texts = texts_for(survey_round.organisation, self.language.code)
        self.ui = {
            key.removeprefix("ui."): text
            for key, text in self.texts.items()
            if key.startswith("ui.")
        }
        self.steps = self._steps()

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def _canonical_question(self, item: instrument.Item) -> Question:
        return Question(
            code=item.code,
            kind=item.kind,
            label=self.text(instrument.item_key(item.code)),
            optional=item.optional,
            choices=[
                Choice(str(o.code), self.text(instrument.option_key(item.code, o.value)))
                for o in item.options
            ]
            if item.kind == "single"
            else [],
        )

    def _extra_questions(self) -> list[Question]:
        items = SurveyItem.objects.filter(
            pk__in=self.round.extra_items.values("pk"), active=True
        ).prefetch_related("options")
        return [
            Question(
                code=item.code,
                kind="single",
                label=self.text(instrument.item_key(item.code)) or item.code,
                optional=True,
                choices=[
                    Choice(o.value, self.text(instrument.option_key(item.code, o.value)) or o.value)
                    for o in item.options.all()
                ],
                extra=True,
            )
            for item in items
        ]

    def _steps(self) -> list[Step]:
        inst = instrument.canonical()
        steps = []
        for section in inst.sections:
            if section.name == "comment":
                extra = self._extra_questions()
                if extra:
                    steps.append(Step(EXTRA_SECTION, self.ui.get("extra_title", ""), "", extra))
            steps.append(
                Step(
                    section.name,
                    self.text(instrument.section_key(section.name, "title")),
                    self.text(instrument.section_key(section.name, "intro")),
                    [self._canonical_question(i) for i in inst.section_items(section.name)],
                )
            )
        return steps

    def step(self, number: int) -> Step:
        return self.steps[number - 1]

    @property
    def step_count(self) -> int:
        return len(self.steps)


@dataclass
class Draft:
    """Answers so far: canonical codes, extra question values, the comment, and blocks the
    resident marked "none of these"."""

    answers: dict[str, int | None] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    none_blocks: list[str] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {"a": self.answers, "x": self.extra, "t": self.comment, "n": self.none_blocks}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        return cls(
            answers=dict(data.get("a", {})),
            extra=dict(data.get("x", {})),
            comment=str(data.get("t", "")),
            none_blocks=list(data.get("n", [])),
        )


def read_step(step: Step, post: Any, draft: Draft) -> list[str]:
    """Take a step's posted answers into the draft; return the codes of invalid answers
    (only possible with a tampered form: every question may be left unanswered)."""
    invalid = []
    if step.is_block:
        ticked = set(post.getlist(step.name))
        valid = {q.code for q in step.questions}
        invalid += sorted(ticked - valid - {NONE_OF_THESE})
        answered = bool(ticked & valid) or NONE_OF_THESE in ticked
        for q in step.questions:
            draft.answers[q.code] = (1 if q.code in ticked else 0) if answered else None
        if NONE_OF_THESE in ticked and not ticked & valid:
            if step.name not in draft.none_blocks:
                draft.none_blocks.append(step.name)
        elif step.name in draft.none_blocks:
            draft.none_blocks.remove(step.name)
        return invalid
    for q in step.questions:
        raw = (post.get(q.code) or "").strip()
        if q.kind == "text":
            draft.comment = raw[:MAX_FORM_COMMENT]
            continue
        if raw == "":
            if q.extra:
                draft.extra.pop(q.code, None)
            else:
                draft.answers[q.code] = None
            continue
        if raw not in {c.value for c in q.choices}:
            invalid.append(q.code)
            continue
        if q.extra:
            draft.extra[q.code] = raw
        else:
            draft.answers[q.code] = int(raw)
    return invalid


def answer_label(question: Question, draft: Draft) -> str | None:
    """The chosen answer's text (for the review page), None when not answered."""
    if question.kind == "text":
        return draft.comment or None
    if question.extra:
        chosen = draft.extra.get(question.code)
    else:
        value = draft.answers.get(question.code)
        chosen = None if value is None else str(value)
    return next((c.label for c in question.choices if c.value == chosen), None)


def block_labels(step: Step, draft: Draft, none_label: str) -> list[str] | None:
    """Ticked items of a block (for the review page), None when the block is unanswered."""
    if step.name in draft.none_blocks:
        return [none_label]
    if all(draft.answers.get(q.code) is None for q in step.questions):
        return None
    return [q.label for q in step.questions if draft.answers.get(q.code) == 1]
