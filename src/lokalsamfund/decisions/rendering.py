"""The board report: HTML (page and standalone file) and PDF (WeasyPrint, A4)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .charts import interval_chart, tornado_chart

# WeasyPrint reports every layout step at INFO; only its errors matter here.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

REPORT_CSS = Path(__file__).resolve().parent / "static" / "decisions" / "report.css"


def _n(x: float, decimals: int = 0) -> str:
    return number_format(round(x, decimals), decimals, use_l10n=True, force_grouping=True)


def report_context(data: dict[str, Any]) -> dict[str, Any]:
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
                "Share with severe loneliness %(value)s %% (95 %% interval %(low)s–%(high)s %%) "
                "against the national %(bench)s %% (%(year)s)."
            )
            % {
                "value": _n(share["value"] * 100, 1),
                "low": _n(share["ci_low"] * 100, 1),
                "high": _n(share["ci_high"] * 100, 1),
                "bench": _n(bench["value"] * 100, 1),
                "year": bench["year"],
            },
            share_rows,
            unit="%",
            reference=(_("national %(year)s") % {"year": bench["year"]}, bench["value"] * 100),
        )
    }
    portfolio = data["portfolio"]
    if portfolio:
        charts["helped"] = interval_chart(
            _("People helped out of severe loneliness, by activity"),
            "; ".join(
                f"{p['name']}: {_n(p['people_helped']['p50'], 1)} "
                f"({_n(p['people_helped']['p5'], 1)}–{_n(p['people_helped']['p95'], 1)})"
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
        )
    if data["sensitivity"]:
        bars = data["sensitivity"]
        charts["tornado"] = tornado_chart(
            _("Which inputs move the social value most"),
            "; ".join(
                f"{b['label']}: {_n(b['result_low_dkk'])}–{_n(b['result_high_dkk'])} DKK"
                for b in bars
            ),
            [(b["label"], b["result_low_dkk"], b["result_high_dkk"]) for b in bars],
            bars[0]["baseline_dkk"],
        )
    return {"plan": data, "charts": charts, "f": _formatted(data)}


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{_n(share * 100)} %"


def _date(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT")


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


def _q(q: dict[str, float], decimals: int = 0) -> dict[str, str]:
    return {k: _n(v, decimals) for k, v in q.items()}


def _formatted(data: dict[str, Any]) -> dict[str, Any]:
    """Numbers of the report formatted for the active language."""
    why, totals = data["why"], data["totals"]
    share = why["severe_loneliness_share"]
    return {
        "share": _n(share["value"] * 100, 1),
        "share_low": _n(share["ci_low"] * 100, 1),
        "share_high": _n(share["ci_high"] * 100, 1),
        "bench": _n(why["benchmark"]["value"] * 100, 1),
        "lonely": _q(why["lonely_residents"]),
        "cost_public": _q(why["annual_cost_dkk"]["public_budget"]),
        "cost_societal": _q(why["annual_cost_dkk"]["societal"]),
        "helped": _q(totals["people_helped"], 1),
        "participants": _q(totals["participants"]),
        "social": _q(totals["social_value_dkk"]),
        "public": _q(totals["public_value_dkk"]),
        "sroi": _q(totals["sroi"], 1),
        "cost": _n(totals["cost_dkk"]),
        "input_cost": _n(totals["input_cost_dkk"]),
        "budget": _n(data["resources"]["budget_dkk"]),
        "houses": _houses(data),
        "barriers": [
            {
                **b,
                "pct": _n(b["share"] * 100),
                "low": _n(b["ci_low"] * 100),
                "high": _n(b["ci_high"] * 100),
            }
            for b in why["top_barriers"]
        ],
        "portfolio": [
            {
                **p,
                "f_helped": _q(p["people_helped"], 1),
                "f_participants": _q(p["participants"]),
                "f_social": _q(p["social_value_dkk"]),
                "f_public": _q(p["public_value_dkk"]),
                "f_cost": _n(p["cost_dkk"]),
            }
            for p in data["portfolio"]
        ],
        "left_out": [
            {**lo, "f_social": _q(lo["unit_social_value_dkk"])} for lo in data["left_out"]
        ],
        "sensitivity": [
            {
                **b,
                "f_low": _n(b["result_low_dkk"]),
                "f_high": _n(b["result_high_dkk"]),
                "f_in_low": _n(b["input_low"], 3),
                "f_in_high": _n(b["input_high"], 3),
            }
            for b in data["sensitivity"]
        ],
    }


def render_report_fragment(data: dict[str, Any]) -> str:
    return render_to_string("decisions/_report_body.html", report_context(data))


def render_report_document(data: dict[str, Any]) -> str:
    """A standalone HTML document (for the CLI and the PDF), with the report CSS inline."""
    context = report_context(data)
    context["inline_css"] = REPORT_CSS.read_text(encoding="utf-8")
    return render_to_string("decisions/report_document.html", context)


def render_report_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_report_document(data)).write_pdf()
    return pdf
