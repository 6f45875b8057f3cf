"""Every persona against the pages of running a group (create, edit, plots and site plan,
activities, news) and of its results (season plan, log and photos, the yearly summary and
its PDF); and what those pages do."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lokalsamfund.activities.services.activities import activity_create
from lokalsamfund.activities.services.participation import headcount_record
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services
from lokalsamfund.green.models import (
    DriftenHours,
    GreenGroup,
    GroupNews,
    LogEntry,
    LogPhoto,
    Plot,
    SitePlan,
)

pytestmark = pytest.mark.scenario_moment

ClientFor = Callable[[User | None], Client]
CPH = ZoneInfo("Europe/Copenhagen")
GPS_IFD = 0x8825


def _jpeg(size: tuple[int, int] = (80, 60)) -> bytes:
    exif = Image.Exif()
    exif[0x0131] = "HemmeligSoftware"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 12.5), 3: "E", 4: (12.0, 34.0, 5.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _upload(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.fixture
def cast(
    personas: dict[str, User], member: User, caretaker_contact: User
) -> dict[str, User | None]:
    return {
        "member": member,
        "resident": personas["resident"],  # of the department, not a member
        "neighbour": personas["neighbour"],
        "association": personas["association"],
        "caretaker_contact": caretaker_contact,
        "coordinator": personas["coordinator"],
        "admin": personas["admin"],
        "outsider": personas["outsider"],
        "no_role": personas["no_role"],
        "anonymous": None,
    }


@pytest.fixture
def photo(group: GreenGroup, member: User) -> LogPhoto:
    entry = services.log_write(
        actor=member,
        group=group,
        day=date(2026, 6, 1),
        text="Radiser sået",
        photos=[("bed.jpg", _jpeg())],
    )
    return entry.photos.get()


@pytest.fixture
def site_plan(group: GreenGroup) -> SitePlan:
    return services.site_plan_set(actor=SYSTEM, group=group, data=_jpeg((200, 100)))


RUNS = (200,) * 11
SEES = (404, 404, 404, 200, 404, 200, 200, 200, 200, 200, 200)
NOTHING = (404,) * 11
EXPECTED = {
    #  create edit plots site acts news plan log photo summary pdf
    "member": SEES,
    "resident": (404, 404, 404, 200, 404, 200, 200, 404, 404, 200, 200),
    "neighbour": NOTHING,
    "association": NOTHING,
    "caretaker_contact": RUNS,
    "coordinator": RUNS,
    "admin": RUNS,
    # A coordinator elsewhere may create groups in their own organisation, nothing here.
    "outsider": (200, *NOTHING[1:]),
    "no_role": NOTHING,
    "anonymous": (302,) * 11,
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_by_persona(
    who: str,
    cast: dict[str, User | None],
    group: GreenGroup,
    photo: LogPhoto,
    site_plan: SitePlan,
    client_for: ClientFor,
) -> None:
    client = client_for(cast[who])
    pk = group.pk
    urls = [
        reverse("green:group_create"),
        reverse("green:group_edit", args=[pk]),
        reverse("green:plots", args=[pk]),
        reverse("green:site_plan", args=[pk]),
        reverse("green:activities", args=[pk]),
        reverse("green:news", args=[pk]),
        reverse("green:season_plan", args=[pk]),
        reverse("green:log", args=[pk]),
        reverse("green:photo", args=[photo.pk]),
        reverse("green:summary", args=[pk, 2026]),
        reverse("green:summary_pdf", args=[pk, 2026]),
    ]
    codes = tuple(client.get(url).status_code for url in urls)
    assert codes == EXPECTED[who]
    # Writes by those who may not run the group change nothing.
    if EXPECTED[who][1] != 200:
        client.post(urls[5], {"subject": "Hej", "body": "Alle", "email": "on"})
        client.post(urls[6], {"year": "2026", "text": "Plan"})
        client.post(urls[2], {"action": "plot", "label": "Bed X", "size_m2": "5"})
        assert not GroupNews.objects.exists()
        assert not group.season_plans.exists()
        assert not Plot.objects.filter(label="Bed X").exists()


def test_coordinator_creates_a_group_on_the_page(
    coordinator: User, dept_a: Department, dept_b: Department, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    response = client.post(reverse("green:group_create"), {"name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in page
    assert not GreenGroup.objects.exists()
    response = client.post(
        reverse("green:group_create"),
        {
            "name": "Biernes Have",
            "kind": "bees",
            "departments": [dept_a.pk, dept_b.pk],
            "allocation_rule": "waitlist",
            "decline_rule": "keep",
            "reserved_percent": "0",
        },
        follow=True,
    )
    group = GreenGroup.objects.get()
    assert group.slug == "biernes-have"
    assert {d.pk for d in group.departments.all()} == {dept_a.pk, dept_b.pk}
    assert "Fællesskabet Biernes Have er oprettet." in response.content.decode()


def test_contact_edits_the_group_and_chooses_a_member_as_contact(
    group: GreenGroup, member: User, caretaker_contact: User, client_for: ClientFor
) -> None:
    client = client_for(caretaker_contact)
    page = client.get(reverse("green:group_edit", args=[group.pk])).content.decode()
    assert member.full_name in page  # the members to choose contacts from
    data = {
        "name": "Nyttehaven ved blok 3",
        "slug": "blok3",
        "kind": "garden",
        "departments": [d.pk for d in group.departments.all()],
        "caretaker_contact": caretaker_contact.pk,
        "resident_contacts": [member.pk],
        "allocation_rule": "lottery",
        "decline_rule": "bottom",
        "residents_first": "on",
        "reserved_percent": "50",
    }
    response = client.post(reverse("green:group_edit", args=[group.pk]), data, follow=True)
    assert "Fællesskabets indstillinger er gemt." in response.content.decode()
    group.refresh_from_db()
    assert (group.name, group.slug, group.reserved_percent) == (
        "Nyttehaven ved blok 3",
        "blok3",
        50,
    )
    assert list(group.resident_contacts.all()) == [member]
    assert not group.no_garden_first


def test_plots_and_site_plan_on_the_page(
    group: GreenGroup, caretaker_contact: User, member: User, client_for: ClientFor
) -> None:
    client = client_for(caretaker_contact)
    url = reverse("green:plots", args=[group.pk])
    response = client.post(
        url, {"action": "plot", "label": "Bed 4", "size_m2": "8", "map_x": "30"}, follow=True
    )
    assert "både på tværs og nedad" in response.content.decode()
    assert not Plot.objects.filter(label="Bed 4").exists()
    client.post(
        url,
        {"action": "plot", "label": "Bed 4", "size_m2": "8", "map_x": "30", "map_y": "40.5"},
    )
    plot = Plot.objects.get(label="Bed 4")
    assert (plot.map_x, plot.map_y) == (30, 40.5)
    client.post(
        reverse("green:plot_edit", args=[group.pk, plot.pk]),
        {"action": "plot", "label": "Bed 4a", "size_m2": "9"},
    )
    plot.refresh_from_db()
    assert (plot.label, plot.map_x) == ("Bed 4a", None)
    # A site plan that is not an image: a message, nothing saved.
    response = client.post(
        url, {"action": "site_plan", "image": _upload("plan.jpg", b"not an image")}
    )
    assert "plan.jpg er ikke et JPEG-, PNG- eller WebP-billede." in response.content.decode()
    assert not SitePlan.objects.exists()
    client.post(url, {"action": "site_plan", "image": _upload("plan.jpg", _jpeg((300, 200)))})
    served = client_for(member).get(reverse("green:site_plan", args=[group.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served.content))
    assert dict(image.getexif()) == {}
    assert b"HemmeligSoftware" not in served.content
    services.plot_update(
        actor=SYSTEM, plot=plot, label="Bed 4a", size_m2=plot.size_m2, map_x=30, map_y=40
    )
    page = client_for(member).get(reverse("green:group", args=[group.pk])).content.decode()
    assert '<circle cx="90" cy="80"' in page  # 30 % of 300, 40 % of 200


def test_news_is_posted_and_mailed_to_every_member(
    group: GreenGroup,
    member: User,
    caretaker_contact: User,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    other = make_user("resident", org, [dept_a])
    services.member_join(actor=other, group=group)
    client = client_for(caretaker_contact)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("green:news", args=[group.pk]),
            {"subject": "Arbejdsdag", "body": "Lørdag kl. 10 lægger vi bedene an.", "email": "on"},
            follow=True,
        )
    assert "Nyheden er lagt op og sendt til medlemmerne." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, other.email])
    assert all(len(m.to) == 1 for m in mail.outbox)  # no one sees another's address
    assert mail.outbox[0].subject == "Nyttehaven: Arbejdsdag"
    assert "Lørdag kl. 10" in mail.outbox[0].body
    assert GroupNews.objects.get().recipients == 2
    page = client_for(member).get(reverse("green:group", args=[group.pk])).content.decode()
    assert "Lørdag kl. 10 lægger vi bedene an." in page


def test_log_with_photos_private_and_limited(
    group: GreenGroup,
    member: User,
    personas: dict[str, User],
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_for(member)
    url = reverse("green:log", args=[group.pk])
    too_many = [_upload(f"{n}.jpg", _jpeg()) for n in range(5)]
    response = client.post(url, {"day": "2026-06-09", "text": "Høst", "photos": too_many})
    assert "Højst 4 billeder på et indlæg; du valgte 5." in response.content.decode()
    assert not LogEntry.objects.exists()
    from lokalsamfund.green import images

    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    response = client.post(
        url, {"day": "2026-06-09", "text": "Høst", "photos": [_upload("stor.jpg", _jpeg())]}
    )
    assert "stor.jpg har for mange pixels: 80 × 60" in response.content.decode()
    assert not LogEntry.objects.exists()
    monkeypatch.undo()
    client.post(
        url,
        {
            "day": "2026-06-09",
            "text": "Første høst af radiser",
            "harvest_kg": "1,5",
            "photos": [_upload("a.jpg", _jpeg()), _upload("b.jpg", _jpeg())],
        },
    )
    entry = LogEntry.objects.get()
    assert entry.photos.count() == 2
    photo_url = reverse("green:photo", args=[entry.photos.first().pk])  # type: ignore[union-attr]
    served = client.get(photo_url)
    assert served.status_code == 200
    assert b"HemmeligSoftware" not in served.content
    assert "private" in served["Cache-Control"]
    for who in ("resident", "outsider", "neighbour"):
        assert client_for(personas[who]).get(photo_url).status_code == 404


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_yearly_summary_page_and_pdf(
    group: GreenGroup,
    member: User,
    coordinator: User,
    org: Organisation,
    dept_a: Department,
    client_for: ClientFor,
    tmp_path: Path,
) -> None:
    season = services.season_open(actor=SYSTEM, group=group, year=2026)
    services.apply(actor=member, season=season, own_garden=False)
    offer = services.offer_next(actor=SYSTEM, season=season)
    services.offer_accept(actor=member, application=offer)
    work_day = activity_create(
        actor=coordinator,
        organisation=org,
        departments=[dept_a],
        activity_type="faellesspisning",
        title="Arbejdsdag i haven",
        starts_at=datetime(2026, 5, 2, 10, 0, tzinfo=CPH),
        duration_minutes=180,
        rrule="FREQ=WEEKLY;COUNT=2",
        place="Haven",
        now=datetime(2026, 4, 1, 10, 0, tzinfo=CPH),
    )
    services.activity_link(actor=SYSTEM, group=group, activity=work_day)
    for occurrence, total in zip(work_day.occurrences.order_by("starts_at"), (7, 11), strict=True):
        headcount_record(actor=coordinator, occurrence=occurrence, total=total)
    services.season_plan_set(actor=SYSTEM, group=group, year=2026, text="Maj: bedene lægges an")
    page = client_for(member).get(reverse("green:summary", args=[group.pk, 2026])).content.decode()
    assert '<td class="num">18</td>' in page  # hands: 7 + 11
    assert "1 af 3" in page  # plots used
    assert "ikke registreret" in page  # driften's hours, until they are recorded
    assert member.full_name not in page
    response = client_for(member).get(reverse("green:summary_pdf", args=[group.pk, 2026]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Nyttehaven: året 2026" in text
    assert "18" in text
    assert "1 af 3" in text
    assert "ikke registreret" in text
    assert "Maj: bedene lægges an" in text
    assert member.full_name not in text


def test_yearly_summary_counts_driften_hours_of_the_groups_departments_in_the_year(
    group: GreenGroup,
    caretaker: User,
    member: User,
    dept_a: Department,
    dept_b: Department,
    client_for: ClientFor,
) -> None:
    """Driften's green hours are recorded per department: the summary sums those of the
    group's departments in its year, not other departments' nor other years'."""
    from lokalsamfund.green import driften

    today = timezone.localdate()
    driften.hours_record(
        actor=caretaker, department=dept_a, day=today, hours=Decimal("2.5"), what="Bede"
    )
    driften.hours_record(
        actor=caretaker,
        department=dept_a,
        day=today - timedelta(days=1),
        hours=Decimal("1"),
        what="Kompost",
    )
    year = (today - timedelta(days=1)).year
    expected = "3,5" if today.year == year else "2,5"
    page = client_for(member).get(reverse("green:summary", args=[group.pk, today.year]))
    assert f'<td class="num">{expected}</td>' in page.content.decode()
    assert dept_b not in group.departments.all()
    DriftenHours.objects.create(
        organisation=dept_b.organisation,
        department=dept_b,
        caretaker=caretaker,
        day=today,
        hours=Decimal(5),
        what="Andet sted",
    )
    again = client_for(member).get(reverse("green:summary", args=[group.pk, today.year]))
    assert f'<td class="num">{expected}</td>' in again.content.decode()
