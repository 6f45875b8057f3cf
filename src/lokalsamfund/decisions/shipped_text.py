# ruff: noqa: E501 - the shipped texts as they are written in the data files
"""The English sources and notes of the shipped parameters and activities
(``data/parameters.json``, ``data/activities.json``), marked for translation: the report shows
them in the page's language (``labels.shipped_text``). An organisation's own text is shown as
written. A test checks that every shipped text is listed here and translated."""

from __future__ import annotations

from django.utils.translation import gettext_noop

SHIPPED_TEXTS = (
    gettext_noop(
        "Musella et al. 2023, 'Tackling loneliness: a rapid review' (What Works Centre for Wellbeing / Campaign to End Loneliness; 95 studies, 101 interventions)"
    ),
    # xgettext:no-python-format
    gettext_noop("52 % of the studies had no control group; GRADE confidence is low."),
    gettext_noop(
        # xgettext:no-python-format
        "52 % of the studies had no control group; GRADE confidence is low. A meta-analysis of 128 studies gives RCTs −0.47."
    ),
    gettext_noop(
        "Musella et al. 2023, 'Tackling loneliness: a rapid review' (What Works Centre for Wellbeing / Campaign to End Loneliness; 95 studies, 101 interventions); gardening: positive, moderate psychosocial effects with publication bias, no loneliness-specific SMD"
    ),
    gettext_noop(
        "Treated as social interaction with the interval doubled around the point (tool choice); the interval includes no effect."
    ),
    gettext_noop("Copenhagen Economics for ensomhedital.dk, from Sygdomsbyrden i Danmark 2022"),
    gettext_noop(
        # xgettext:no-python-format
        "The source gives a point estimate; the ±25 % interval is this tool's assumption."
    ),
    gettext_noop("Tool assumption: set it from your survey's age distribution (age_group)"),
    gettext_noop("The public-budget figure covers people aged 16–64 only."),
    gettext_noop(
        "UK DCMS (2020), best estimate of the wellbeing, health and productivity cost of chronic loneliness; Simetrica (2020) gives about £9,900"
    ),
    gettext_noop(
        "A UK estimate transferred to Denmark: the low end halves it to reflect transfer uncertainty (tool choice)."
    ),
    gettext_noop(
        "Annual average 2020 from the ECB euro reference rates (EUR/DKK 7.454, EUR/GBP 0.8897)"
    ),
    gettext_noop("Used to convert the UK figures; prices are not adjusted to today's level."),
    gettext_noop(
        "HM Treasury Green Book supplementary guidance: wellbeing (2021), 2019 prices (central £13,000, range £10,000–16,000)"
    ),
    gettext_noop(
        "Shown for organisations that value life-satisfaction changes directly; the model does not use it, because no sourced conversion from a UCLA change to life satisfaction is available."
    ),
    gettext_noop("SIF / Ældre Sagen: about DKK 8 bn a year; some sources say up to DKK 10 bn"),
    gettext_noop("For context only."),
    gettext_noop("Sygdomsbyrden i Danmark 2016 (SIF)"),
    # xgettext:no-python-format
    gettext_noop("Finansministeriet: samfundsøkonomisk diskonteringsrente 3.5 %"),
    gettext_noop("Editable."),
    gettext_noop(
        "Tool default (no published figure): Social Value International, Principles of Social Value — do not over-claim; set your own"
    ),
    gettext_noop(
        "Partly double counts effects from controlled studies; kept to avoid over-claiming."
    ),
    gettext_noop("Whole years; with drop-off."),
    gettext_noop("Tool assumption (salary with overhead): set your organisation's own figure"),
    gettext_noop(
        "Tool default: Social Value International counts volunteer time as an input; set a value to include it"
    ),
    gettext_noop("Planning estimate of this tool (not measured): replace with your own figures."),
    gettext_noop(
        "Musella et al. 2023, 'Tackling loneliness: a rapid review' (What Works Centre for Wellbeing / Campaign to End Loneliness; 95 studies, 101 interventions); no loneliness-specific effect size for community gardening: treated as social interaction with wider uncertainty"
    ),
)
