"""The board report: HTML (page and standalone file) and PDF (WeasyPrint, A4)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting

from . import labels
from .charts import interval_chart, tornado_chart
from .why_signals import WhySignals, pool_rule_text

# WeasyPrint reports every layout step at INFO; only its errors matter here.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

REPORT_CSS = Path(__file__).resolve().parent / "static" / "decisions" / "report.css"


def _lang() -> str:
    return formatting.language(get_language())


def _n(x: float, decimals: int = 0) -> str:
    """A count or an exact amount (budget, cost, hours) in the page's language."""
    return formatting.number(x, decimals, _lang())


def _k(x: float) -> str:
    """An estimated value in DKK, in round thousands (no false precision)."""
    return formatting.number(x, 0, _lang(), round_to=1000)


def _tick(x: float) -> str:
    """An axis value: ticks are round numbers, so they are written as they are."""
    return _n(x, 0 if float(x).is_integer() else 1)


def _pct1(share: float) -> str:
    return formatting.share(share, 1, _lang())


def report_context(data: dict[str, Any], signals: WhySignals | None = None) -> dict[str, Any]:
    """The report's template context; ``signals`` is what the viewer may see next to the
    "why" (``why_signals.why_signals``: the network's benchmark, referral figures)."""
    why = data["why"]
    share = why["severe_loneliness_share"]
    share_rows = [
        (_("This department"), share["ci_low"] * 100, share["value"] * 100, share["ci_high"] * 100)
    ]
    if why.get("previous"):
        prev = why["previous"]
        share_rows.append(
            (
                _("Previous round"),
                prev["ci_low"] * 100,
                prev["value"] * 100,
                prev["ci_high"] * 100,
            )
        )
    bench = why["benchmark"]
    charts = {
        "share": interval_chart(
            _("Severe loneliness in the department"),
            _(
                "Share with severe loneliness %(value)s (95 %% interval %(interval)s) against "
                "the national %(bench)s (%(year)s)."
            )
            % {
                "value": _pct1(share["value"]),
                "interval": formatting.interval(
                    share["ci_low"], share["ci_high"], "share", _lang(), 1
                ),
                "bench": _pct1(bench["value"]),
                "year": bench["year"],
            },
            share_rows,
            unit=_("share of respondents (bar: confidence interval, dot: estimate)"),
            reference=(_("national %(year)s") % {"year": bench["year"]}, bench["value"] * 100),
            fmt=lambda v: formatting.share(v / 100, 0 if float(v).is_integer() else 1, _lang()),
        )
    }
    portfolio = data["portfolio"]
    if portfolio:
        charts["helped"] = interval_chart(
            _("People helped out of severe loneliness, by activity"),
            "; ".join(
                f"{p['name']}: {_n(p['people_helped']['p50'])} "
                f"({_n(p['people_helped']['p5'])}–{_n(p['people_helped']['p95'])})"
                for p in portfolio
            ),
            [
                (
                    p["name"],
                    p["people_helped"]["p5"],
                    p["people_helped"]["p50"],
                    p["people_helped"]["p95"],
                )
                for p in portfolio
            ],
            unit=_("people (P5–P95, dot: P50)"),
            fmt=_tick,
        )
    if data["sensitivity"]:
        bars = data["sensitivity"]
        charts["tornado"] = tornado_chart(
            _("Which inputs move the social value most"),
            "; ".join(
                f"{b['label']}: "
                + formatting.interval(
                    b["result_low_dkk"], b["result_high_dkk"], "money", _lang(), round_to=1000
                )
                for b in bars
            ),
            [(b["label"], b["result_low_dkk"], b["result_high_dkk"]) for b in bars],
            bars[0]["baseline_dkk"],
            unit=_("social value, DKK (line: all inputs at their medians)"),
            fmt=_tick,
        )
    return {
        "plan": data,
        "charts": charts,
        "f": _formatted(data),
        "signals": signals,
        "pool_rule": pool_rule_text() if signals and signals.network else "",
    }


def _pct(share: float | None) -> str:
    return formatting.share(share, 0, _lang())


def _date(iso: str) -> str:
    return formatting.long_date(date.fromisoformat(iso), _lang(), weekday=False)


def _houses(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The fælleshuse of the plan's booking figures, formatted (older plans have none)."""
    houses = []
    for house in (data.get("facility_usage") or {}).get("houses", []):
        rows = []
        for key, label in (
            ("last_12_months", _("Last 12 months")),
            ("next_12_months", _("Next 12 months (booked so far)")),
        ):
            u = house[key]
            rows.append(
                {
                    "label": label,
                    "period": f"{_date(u['start'])}–{_date(u['end'])}",
                    "bookings": _n(u["bookings"]),
                    "booked_hours": _n(u["booked_hours"]),
                    "community": _pct(u["community_share"]),
                    "cross": _pct(u["cross_ownership_share"]),
                    "groups": _n(u["distinct_user_groups"]),
                }
            )
        houses.append({**house, "f_free": _n(house["free_hours"]), "rows": rows})
    return houses


def _q(q: dict[str, float], kind: str = "people") -> dict[str, str]:
    """P5, P50, P95 written alike: ``people`` whole, ``value`` in round thousands of DKK,
    ``ratio`` (SROI) with one decimal."""
    if kind == "value":
        return {k: _k(v) for k, v in q.items()}
    return {k: _n(v, 1 if kind == "ratio" else 0) for k, v in q.items()}


def _input(x: float) -> str:
    """An input's value in the sensitivity table: amounts whole, shares and SMDs with two
    decimals."""
    return _n(x, 0 if abs(x) >= 100 else 2)


def parameter_value(x: float | None) -> str:
    """A parameter as entered: amounts whole, small values with up to three decimals."""
    if x is None:
        return ""
    decimals = 0 if abs(x) >= 100 or float(x).is_integer() else 3
    text = _n(x, decimals)
    point = "," if _lang() == formatting.DANISH else "."
    return text.rstrip("0").rstrip(point) if point in text else text


def _assumptions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The assumptions table in the page's language: units, sources and notes translated."""
    rows = []
    for a in data["assumptions"]:
        low, high = a.get("low"), a.get("high")
        rows.append(
            {
                **a,
                "unit": labels.unit_label(a.get("unit", "")),
                "source": labels.shipped_text(a.get("source", "")),
                "note": labels.shipped_text(a.get("note", "")),
                "f_value": parameter_value(a["value"]),
                "f_interval": (
                    f"{parameter_value(low)}{formatting.EN_DASH}{parameter_value(high)}"
                    if low is not None and high is not None and (low, high) != (a["value"],) * 2
                    else ""
                ),
            }
        )
    return rows


def uk_transfer(data: dict[str, Any]) -> str:
    """A note for the figures that rest mainly on the UK value of chronic loneliness (social
    value, its cost to society, SROI), next to them; empty when the organisation's own DKK
    value from its value bank is used."""
    by_key = {a["key"]: a for a in data["assumptions"]}
    bank = by_key.get("value_bank")
    uk = by_key.get("societal_value_per_person_gbp")
    if bank is not None:
        return ""
    if uk is None:
        return ""
    return _(
        "Rests mainly on a UK estimate transferred to Denmark: £%(gbp)s a year per "
        "chronically lonely person (%(year)s), at %(rate)s DKK per GBP."
    ) % {
        "gbp": _n(uk["value"]),
        "year": uk.get("year") or "",
        "rate": _n(by_key.get("gbp_dkk_rate", {}).get("value", 0), 2),
    }


def _formatted(data: dict[str, Any]) -> dict[str, Any]:
    """Numbers of the report formatted for the active language."""
    why, totals = data["why"], data["totals"]
    share = why["severe_loneliness_share"]
    return {
        "share": _pct1(share["value"]),
        "share_interval": formatting.interval(
            share["ci_low"], share["ci_high"], "share", _lang(), 1
        ),
        "bench": _pct1(why["benchmark"]["value"]),
        "lonely": _q(why["lonely_residents"]),
        "cost_public": _q(why["annual_cost_dkk"]["public_budget"], "value"),
        "cost_societal": _q(why["annual_cost_dkk"]["societal"], "value"),
        "helped": _q(totals["people_helped"]),
        "participants": _q(totals["participants"]),
        "social": _q(totals["social_value_dkk"], "value"),
        "public": _q(totals["public_value_dkk"], "value"),
        "sroi": _q(totals["sroi"], "ratio"),
        "cost": formatting.money(totals["cost_dkk"], _lang(), decimals=0),
        "input_cost": formatting.money(totals["input_cost_dkk"], _lang(), decimals=0),
        "budget": formatting.money(data["resources"]["budget_dkk"], _lang(), decimals=0),
        "houses": _houses(data),
        "assumptions": _assumptions(data),
        "uk_transfer": uk_transfer(data),
        "barriers": [
            {
                **b,
                "pct": _pct(b["share"]),
                "interval": formatting.interval(b["ci_low"], b["ci_high"], "share", _lang()),
            }
            for b in why["top_barriers"]
        ],
        "portfolio": [
            {
                **p,
                "f_helped": _q(p["people_helped"]),
                "f_participants": _q(p["participants"]),
                "f_social": _q(p["social_value_dkk"], "value"),
                "f_public": _q(p["public_value_dkk"], "value"),
                "f_cost": _n(p["cost_dkk"]),
            }
            for p in data["portfolio"]
        ],
        "left_out": [
            {**lo, "f_social": _q(lo["unit_social_value_dkk"], "value")} for lo in data["left_out"]
        ],
        "sensitivity": [
            {
                **b,
                "f_low": _k(b["result_low_dkk"]),
                "f_high": _k(b["result_high_dkk"]),
                "f_in_low": _input(b["input_low"]),
                "f_in_high": _input(b["input_high"]),
            }
            for b in data["sensitivity"]
        ],
    }


def render_report_fragment(data: dict[str, Any], signals: WhySignals | None = None) -> str:
    return render_to_string("decisions/_report_body.html", report_context(data, signals))


def render_report_document(
    data: dict[str, Any],
    *,
    organisation: str = "",
    made_on: date | None = None,
    signals: WhySignals | None = None,
) -> str:
    """A standalone HTML document (for the CLI and the PDF), with the report CSS inline. Its
    first page names the organisation, the department and the date the plan was made (long
    date in the active language)."""
    context = report_context(data, signals)
    context["inline_css"] = REPORT_CSS.read_text(encoding="utf-8")
    context["organisation"] = organisation
    context["made_on"] = formatting.long_date(made_on, _lang()) if made_on else ""
    return render_to_string("decisions/report_document.html", context)


def render_report_pdf(
    data: dict[str, Any],
    *,
    organisation: str = "",
    made_on: date | None = None,
    signals: WhySignals | None = None,
) -> bytes:
    from weasyprint import HTML

    document = render_report_document(
        data, organisation=organisation, made_on=made_on, signals=signals
    )
    pdf: bytes = HTML(string=document).write_pdf()
    return pdf
