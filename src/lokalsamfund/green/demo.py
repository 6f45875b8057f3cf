"""Demo data of the green groups.

Engparkens Nyttehaver: 20 plots on the lawn of Engparken (A1), for the residents of A1 and A2
and open to the neighbouring andelsboligforening; a lottery with a quarter reserved for new
members. Last season was drawn (with a published seed) and the rest are on the waitlist; this
season is open: last season's holders renew by a deadline (some have, the demo resident has
not yet), the waitlist is carried, new applicants (the demo neighbour among them) wait for the
lottery. A season plan, a log entry with a photo and news. And the composting group of A1.

Idempotent: a group whose name exists in the demo organisation is left as it is. The green
engineers' own demo modules are called from ``load`` (one line each)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Membership, Role, User
from lokalsamfund.core.permissions import SYSTEM

from . import demo_tools, demo_work, services
from .models import AllocationRule, DeclineRule, GreenGroup, GroupKind

GARDEN = "Engparkens Nyttehaver"
COMPOST = "Kompostlauget i Engparken"
PLOTS = 20
# The lottery of last season, published to the members: anyone can draw it again.
LAST_SEED = 20_250_401

# Applicants besides the demo users: (first name, surname, department or "" for a neighbour).
APPLICANTS = [
    (first, last, code)
    for first, last, code in zip(
        [
            "Amina",
            "Bent",
            "Camilla",
            "Dorthe",
            "Emil",
            "Fatima",
            "Gitte",
            "Hassan",
            "Ida",
            "Jens",
            "Karen",
            "Lars",
            "Mette",
            "Nikolaj",
            "Olga",
            "Per",
            "Rikke",
            "Søren",
            "Tove",
            "Ulla",
            "Viggo",
            "Yasmin",
            "Zofia",
            "Aksel",
            "Birgit",
        ],
        [
            "Ahmadi",
            "Berg",
            "Dahl",
            "Eskildsen",
            "Frost",
            "Holm",
            "Iversen",
            "Juhl",
            "Krogh",
            "Lund",
            "Mikkelsen",
            "Nørgaard",
            "Olsen",
            "Petersen",
            "Qvist",
            "Rasmussen",
            "Skov",
            "Thomsen",
            "Urban",
            "Vestergaard",
            "Winther",
            "Xu",
            "Yilmaz",
            "Zachariassen",
            "Abildgaard",
        ],
        ["A1"] * 10 + ["A2"] * 9 + [""] * 6,
        strict=True,
    )
]


def _applicant(ctx: DemoContext, n: int, first: str, last: str, code: str) -> User:
    email = f"have{n:02d}@eksempel.dk"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name=f"{first} {last}")
    role = Role.RESIDENT if code else Role.NEIGHBOUR
    home = f"Engparken {n + 40}" if code == "A1" else f"Skovbrynet {n + 30}" if code else ""
    membership, _created = Membership.objects.get_or_create(
        user=user,
        organisation=ctx.organisation,
        role=role,
        defaults={
            "home": home,
            "neighbour_housing": None if code else ctx.neighbour_housing,
        },
    )
    membership.departments.set([ctx.departments[code]] if code else [])
    return user


def _photo() -> tuple[str, bytes]:
    """A small picture for the log (made here: no file shipped)."""
    image = Image.new("RGB", (480, 320), (74, 140, 62))
    for x in range(0, 480, 60):
        image.paste((120, 84, 50), (x + 10, 180, x + 50, 320))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return "bede.jpg", out.getvalue()


def _garden(ctx: DemoContext) -> None:
    users = ctx.users
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    garden = services.group_create(
        actor=SYSTEM,
        organisation=ctx.organisation,
        departments=[ctx.departments["A1"], ctx.departments["A2"]],
        name=GARDEN,
        slug="nyttehaver",
        kind=GroupKind.GARDEN,
        open_to_neighbours=True,
        plan=(
            "Tyve bede på plænen bag blok 3 i Engparken. Vi sår i april, holder arbejdsdag "
            "første lørdag i måneden og deler værktøjet i containeren ved vaskeriet."
        ),
        caretaker_contact=users[Role.CARETAKER.value],
        resident_contacts=[users[Role.BOARD_MEMBER.value]],
        allocation_rule=AllocationRule.LOTTERY,
        decline_rule=DeclineRule.BOTTOM,
        reserved_percent=25,
    )
    for n in range(1, PLOTS + 1):
        row, column = divmod(n - 1, 5)
        services.plot_create(
            actor=SYSTEM,
            group=garden,
            label=f"Bed {n}",
            size_m2=Decimal("6.0") if n <= 15 else Decimal("12.0"),
            location="Plænen bag blok 3" if n <= 15 else "Ved vaskeriet",
            map_x=Decimal(12 + column * 19),
            map_y=Decimal(15 + row * 22),
        )
    applicants = [_applicant(ctx, n, *row) for n, row in enumerate(APPLICANTS, start=1)]
    resident, neighbour = users[Role.RESIDENT.value], users[Role.NEIGHBOUR.value]
    for user in [resident, neighbour, *applicants]:
        services.member_join(actor=user, group=garden)

    # Last season: 23 applied, 20 plots drawn, the rest wait.
    last_year = today.year - 1
    last = services.season_open(
        actor=SYSTEM, group=garden, year=last_year, deadline=date(last_year, 3, 31)
    )
    applied = datetime(last_year, 3, 1, 12, 0, tzinfo=tz)
    for i, user in enumerate([resident, *applicants[:22]]):
        services.apply(
            actor=user, season=last, own_garden=i % 7 == 3, now=applied + timedelta(hours=i)
        )
    services.lottery_run(
        actor=SYSTEM, season=last, seed=LAST_SEED, now=datetime(last_year, 4, 2, 10, tzinfo=tz)
    )

    # This season: holders renew by a deadline; the waitlist is carried; the lottery waits.
    season = services.season_open(
        actor=SYSTEM,
        group=garden,
        year=today.year,
        deadline=today + timedelta(days=30),
        renewal_deadline=today + timedelta(days=14),
    )
    renewals = season.applications.filter(renewal=True).exclude(user=resident).order_by("ticket")
    for application in list(renewals)[:14]:
        services.offer_accept(actor=application.user, application=application)
    for user in [neighbour, *applicants[22:]]:
        services.apply(actor=user, season=season, own_garden=False)

    services.season_plan_set(
        actor=SYSTEM,
        group=garden,
        year=today.year,
        text=(
            "April: fornyelse af bedene og lodtrækning om de ledige\n"
            "Første lørdag i maj: arbejdsdag, bedene lægges an\n"
            "Juni-august: vandingsvagter efter rotation, også i ferien\n"
            "September: høstfest i fælleshuset\n"
            "Oktober: bedene lægges i vinterdvale, kompost på"
        ),
    )
    services.log_write(
        actor=users[Role.BOARD_MEMBER.value],
        group=garden,
        day=today - timedelta(days=3),
        text="Bedene er gravet og markeret med pæle. Første radiser er sået i bed 4.",
        photos=[_photo()],
    )
    services.news_post(
        actor=SYSTEM,
        group=garden,
        subject="Husk at forny dit bed",
        body=(
            'Har du et bed fra sidste sæson, så forny det under "Min plads" inden fristen. '
            "Bede, der ikke fornyes, går til lodtrækningen."
        ),
        email=False,
    )
    ctx.say(
        f"Green group: {GARDEN} ({PLOTS} plots; {last_year} drawn with seed {LAST_SEED}; "
        f"{today.year}: renewals and lottery pending)"
    )


def load(ctx: DemoContext) -> None:
    existing = set(
        GreenGroup.objects.filter(organisation=ctx.organisation).values_list("name", flat=True)
    )
    if GARDEN not in existing:
        _garden(ctx)
    if COMPOST not in existing:
        services.group_create(
            actor=SYSTEM,
            organisation=ctx.organisation,
            departments=[ctx.departments["A1"]],
            name=COMPOST,
            slug="kompost",
            kind=GroupKind.COMPOST,
            plan="Kompostbeholderne ved blok 5 vendes hver anden uge.",
            caretaker_contact=ctx.users[Role.CARETAKER.value],
        )
        ctx.say(f"Green group: {COMPOST}")
    demo_tools.load(ctx, GARDEN)
    demo_work.load(ctx, GARDEN)
