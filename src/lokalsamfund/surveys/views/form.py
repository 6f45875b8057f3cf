"""The residents' form: public (no login), by one-time code or open link; one step per
section, a review page, then submit. Works without JavaScript (plain forms and redirects);
htmx, where present, only boosts the navigation. Answers stay in the browser (drafts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lokalsamfund.core import ratelimit
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department

from .. import codes, drafts, services
from ..instrument import canonical_texts
from ..models import Channel, SurveyLink, SurveyRound, SurveySettings
from ..questionnaire import (
    NONE_OF_THESE,
    Draft,
    Question,
    Questionnaire,
    answer_label,
    block_labels,
    read_step,
)


def _language_from(request: HttpRequest, default: str = "da") -> str:
    chosen = request.GET.get("sprog") or request.POST.get("sprog")
    return (chosen or default)[:12]


def _ui(language: str) -> dict[str, str]:
    """The form's own texts before a round (and so its languages) is known: da or en."""
    texts = canonical_texts(language)
    return {k.removeprefix("ui."): v for k, v in texts.items() if k.startswith("ui.")}


def _start_language(request: HttpRequest) -> str:
    """Before a round is known, the form speaks Danish or English."""
    return "en" if _language_from(request) == "en" else "da"


def _start_page(
    request: HttpRequest, error: str = "", status: int = 200, code: str = ""
) -> HttpResponse:
    """The code page; ``error`` names one of the form's own texts when the code was refused,
    and ``code`` (what the resident typed) stays in the field to correct."""
    language = _start_language(request)
    ui = _ui(language)
    minutes = ratelimit.limit_for(ratelimit.Purpose.ANSWER_CODE).minutes
    return render(
        request,
        "surveys/form_code.html",
        {
            "ui": ui,
            "lang": language,
            "dir": "ltr",
            "error": ui[error].format(minutes=minutes) if error else "",
            "code": code[:40],
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Enter the code from the letter. The code travels only in the POST body: never in an
    address, which access logs and browser histories keep. The letter's QR code carries it
    after ``#`` (``/s/#kode=…``), which the browser never sends; code.js fills the field."""
    if request.method == "POST":
        return _begin_with_code(request, request.POST.get("code") or "")
    return _start_page(request)


@never_cache
def start_with_code(request: HttpRequest, answer_code: str) -> HttpResponse:
    """Older letters' QR codes led here: the code form, with the code to confirm by POST.
    The path is redacted in the logs (core/logging.py)."""
    valid = codes.looks_valid(answer_code)
    return _start_page(request, code=codes.formatted(answer_code) if valid else "")


def _begin_with_code(request: HttpRequest, text: str) -> HttpResponse:
    try:
        found = services.code_lookup(code=text, client=ratelimit.client_address(request))
    except ratelimit.TooManyAttempts:
        return _start_page(request, error="code_locked", status=429, code=text)
    except DomainError:
        return _start_page(request, error="code_invalid", status=400, code=text)
    state = drafts.FormState(
        round_id=found.round_id,
        department_id=found.department_id,
        channel=Channel.CODE,
        code=codes.normalise(text),
        language=_language_from(request),
        draft=Draft(),
        nonce=drafts.new_nonce(),
    )
    return _go(reverse("surveys:form_intro"), state)


@never_cache
def start_with_link(request: HttpRequest, token: str) -> HttpResponse:
    """A round's open link for one department."""
    link = get_object_or_404(SurveyLink.objects.select_related("round"), token=token, active=True)
    if not link.round.is_open:
        return _closed(request)
    state = drafts.FormState(
        round_id=link.round_id,
        department_id=link.department_id,
        channel=Channel.LINK,
        code="",
        language=_language_from(request),
        draft=Draft(),
        nonce=drafts.new_nonce(),
        link_token=link.token,
    )
    return _go(reverse("surveys:form_intro"), state)


def _go(url: str, state: drafts.FormState) -> HttpResponse:
    response = HttpResponseRedirect(url)
    drafts.save(response, state)
    return response


def _closed(request: HttpRequest) -> HttpResponse:
    context = {"ui": _ui("da"), "lang": "da", "dir": "ltr"}
    return render(request, "surveys/form_closed.html", context, status=410)


@dataclass
class _OpenForm:
    """A resident's draft with its open round, questionnaire and the page context."""

    state: drafts.FormState
    survey_round: SurveyRound
    q: Questionnaire
    context: dict[str, Any]


def _open_form(request: HttpRequest) -> _OpenForm | HttpResponse:
    """The draft and its round, or the response to give instead: back to the start when
    there is no (valid) draft, "closed" when the round is not open."""
    state = drafts.load(request)
    if state is None:
        return HttpResponseRedirect(reverse("surveys:form_start"))
    if state.done:
        return HttpResponseRedirect(reverse("surveys:form_thanks"))
    survey_round = (
        SurveyRound.objects.select_related("organisation").filter(pk=state.round_id).first()
    )
    if survey_round is None or not survey_round.is_open:
        return _closed(request)
    q = Questionnaire(survey_round, state.language)
    context = {
        "round": survey_round,
        "q": q,
        "ui": q.ui,
        "lang": q.language.code,
        "dir": q.language.direction,
        "languages": q.languages,
        "total": q.step_count + 1,
    }
    return _OpenForm(state, survey_round, q, context)


@never_cache
@require_http_methods(["GET", "POST"])
def intro(request: HttpRequest) -> HttpResponse:
    form = _open_form(request)
    if isinstance(form, HttpResponse):
        return form
    if "sprog" in request.GET:
        form.state.language = _language_from(request)
        return _go(reverse("surveys:form_intro"), form.state)
    return render(request, "surveys/form_intro.html", form.context)


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, number: int) -> HttpResponse:
    form = _open_form(request)
    if isinstance(form, HttpResponse):
        return form
    state, q, context = form.state, form.q, form.context
    if not 1 <= number <= q.step_count:
        return HttpResponseRedirect(reverse("surveys:form_review"))
    current = q.step(number)
    invalid: list[str] = []
    if request.method == "POST":
        invalid = read_step(current, request.POST, state.draft)
        if not invalid:
            going_back = request.POST.get("nav") == "back"
            target = number - 1 if going_back else number + 1
            if target < 1:
                url = reverse("surveys:form_intro")
            elif target > q.step_count:
                url = reverse("surveys:form_review")
            else:
                url = reverse("surveys:form_step", args=[target])
            return _go(url, state)
    questions = [
        {
            "q": qu,
            "selected": _selected(qu, state.draft),
            "ticked": state.draft.answers.get(qu.code) == 1,
        }
        for qu in current.questions
    ]
    context |= {
        "step": current,
        "number": number,
        "questions": questions,
        "none_ticked": current.name in state.draft.none_blocks,
        "none_value": NONE_OF_THESE,
        "comment": state.draft.comment,
        "invalid": invalid,
        "step_label": q.ui.get("step", "").format(step=number, total=q.step_count + 1),
    }
    return render(request, "surveys/form_step.html", context, status=400 if invalid else 200)


def _selected(question: Question, draft: Draft) -> str | None:
    if question.extra:
        return draft.extra.get(question.code)
    value = draft.answers.get(question.code)
    return None if value is None else str(value)


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    form = _open_form(request)
    if isinstance(form, HttpResponse):
        return form
    state, survey_round, q, context = form.state, form.survey_round, form.q, form.context
    error = ""
    if request.method == "POST":
        department = get_object_or_404(Department, pk=state.department_id)
        try:
            services.response_submit(
                survey_round=survey_round,
                department=department,
                channel=state.channel,
                answers=state.draft.answers,
                extra=state.draft.extra,
                comment=state.draft.comment,
                code=state.code or None,
                link_token=state.link_token if state.channel == Channel.LINK else None,
                draft_nonce=state.nonce,
            )
        except services.AlreadySubmitted:
            pass  # a reload or double click: the answers are in once, say thanks again
        except DomainError as exc:
            error = exc.message
        if not error:
            return _sent(state)
    sections = []
    rows: list[tuple[str, Any]]
    for number, current in enumerate(q.steps, start=1):
        if current.is_block:
            rows = [
                (current.title, block_labels(current, state.draft, q.ui.get("none_of_these", "")))
            ]
        else:
            rows = [(qu.label, answer_label(qu, state.draft)) for qu in current.questions]
        sections.append({"number": number, "step": current, "rows": rows})
    context |= {
        "sections": sections,
        "error": error,
        "step_label": q.ui.get("step", "").format(step=q.step_count + 1, total=q.step_count + 1),
        "number": q.step_count + 1,
    }
    return render(request, "surveys/form_review.html", context, status=409 if error else 200)


def _sent(state: drafts.FormState) -> HttpResponse:
    """Post, redirect, get: the thank-you page survives a reload. The cookie keeps only that
    the draft was sent (its answers are dropped)."""
    state.done = True
    return _go(reverse("surveys:form_thanks"), state)


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    """Thanks, with help lines and the organisation's own contact, in the resident's
    language. Reloading it is harmless."""
    state = drafts.load(request)
    if state is None or not state.done:
        return HttpResponseRedirect(reverse("surveys:form_start"))
    survey_round = (
        SurveyRound.objects.select_related("organisation").filter(pk=state.round_id).first()
    )
    if survey_round is None:
        return HttpResponseRedirect(reverse("surveys:form_start"))
    q = Questionnaire(survey_round, state.language)
    context = {
        "round": survey_round,
        "ui": q.ui,
        "lang": q.language.code,
        "dir": q.language.direction,
        "contact": SurveySettings.objects.filter(organisation=survey_round.organisation).first(),
    }
    return render(request, "surveys/form_thanks.html", context)
