"""Demo data that each domain extends.

``lokalsamfund demo`` runs ``load_demo()``: first the core (organisation, departments,
neighbours, users per role), then the ``demo.load(ctx)`` of every installed lokalsamfund app
that has a ``demo`` module, in INSTALLED_APPS order. Every step is idempotent.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

from .models import (
    Association,
    Department,
    Membership,
    NeighbourHousing,
    Organisation,
    OwnershipForm,
    Role,
    User,
)

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential, demo data only
# The demo organisation. Its slug and CVR number together are the flag that marks everything of
# it (the survey's synthetic results above all) as example data ("Eksempeldata") on the pages.
DEMO_ORGANISATION_SLUG = "eksempel"
DEMO_ORGANISATION_CVR = "12345678"


@dataclass
class DemoContext:
    """What the core demo created, for the domains to build on."""

    organisation: Organisation
    departments: dict[str, Department]
    neighbour_housing: NeighbourHousing
    association: Association
    users: dict[str, User]
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


DEMO_DEPARTMENTS = [
    # code, name, address, homes, adult residents
    ("A1", "Engparken", "Engparken 1-40, 5000 Odense C", 240, 410),
    ("A2", "Skovbrynet", "Skovbrynet 2-28, 5000 Odense C", 160, 255),
    ("B1", "Havnevej", "Havnevej 10-22, 5000 Odense C", 96, 150),
]

DEMO_USERS = [
    # e-mail, name, role, department codes (empty: whole organisation)
    ("admin@eksempel.dk", "Anne Administrator", Role.ORG_ADMIN, []),
    ("koordinator@eksempel.dk", "Karim Koordinator", Role.COORDINATOR, []),
    ("vicevaert@eksempel.dk", "Villy Vicevært", Role.CARETAKER, ["A1", "A2"]),
    ("bestyrelse@eksempel.dk", "Birte Bestyrelse", Role.BOARD_MEMBER, ["A1"]),
    ("beboer@eksempel.dk", "Bo Beboer", Role.RESIDENT, ["A1"]),
    ("nabo@eksempel.dk", "Nadia Nabo", Role.NEIGHBOUR, []),
    ("forening@eksempel.dk", "Frederik Forening", Role.ASSOCIATION, []),
    # The data protection contact: answers residents' rights requests about concern referrals
    # (docs/wellbeing.md, "Rights requests"); sees no referral otherwise.
    ("databeskyttelse@eksempel.dk", "Dorte Databeskyttelse", Role.DATA_PROTECTION, []),
    # From outside the sector: a network-only member of a project group (docs/network.md).
    ("arkitekt@eksempel.dk", "Asta Arkitekt", Role.NETWORK_MEMBER, []),
]
# Homes (Membership.home): the board member and the resident live together, so they are one
# household and share its limits, such as the monthly bookings of the common house.
DEMO_HOMES = {
    "bestyrelse@eksempel.dk": "Engparken 12, 1. th.",
    "beboer@eksempel.dk": "Engparken 12, 1. th.",
    "nabo@eksempel.dk": "Lærkehøj 12",
}


def _load_core() -> DemoContext:
    organisation, _ = Organisation.objects.get_or_create(
        slug=DEMO_ORGANISATION_SLUG,
        defaults={"name": "Boligselskabet Eksempel", "cvr": DEMO_ORGANISATION_CVR},
    )
    departments = {}
    for code, name, address, homes, adults in DEMO_DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={
                "name": name,
                "address": address,
                "homes": homes,
                "adult_residents": adults,
            },
        )
    neighbour, _ = NeighbourHousing.objects.get_or_create(
        organisation=organisation,
        name="Andelsboligforeningen Lærkehøj",
        defaults={
            "department": departments["A1"],
            "ownership_form": OwnershipForm.ANDEL,
            "address": "Lærkehøj 1-30, 5000 Odense C",
            "homes": 60,
        },
    )
    association, _ = Association.objects.get_or_create(
        organisation=organisation,
        name="Grønne Naboer Odense",
        defaults={"cvr": "87654321", "email": "forening@eksempel.dk"},
    )
    users = {}
    for email, name, role, codes in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=name,
                email_verified=True,
                is_staff=(role == Role.ORG_ADMIN),
            )
        membership, _ = Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            role=role,
            defaults={
                "neighbour_housing": neighbour if role == Role.NEIGHBOUR else None,
                "association": association if role == Role.ASSOCIATION else None,
                "home": DEMO_HOMES.get(email, ""),
            },
        )
        membership.departments.set([departments[c] for c in codes])
        users[role.value] = user
    return DemoContext(organisation, departments, neighbour, association, users)


def load_demo() -> DemoContext:
    """Create (or complete) the demo data; safe to run again."""
    with transaction.atomic():
        ctx = _load_core()
        for app_config in apps.get_app_configs():
            if not app_config.name.startswith("lokalsamfund.") or app_config.label == "core":
                continue
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            loader: Any = getattr(module, "load", None)
            if loader is not None:
                loader(ctx)
    return ctx


def is_example_data(organisation: Organisation | None) -> bool:
    """Whether ``organisation`` is the demo's, whose figures are made up (synthetic)."""
    return (
        organisation is not None
        and organisation.slug == DEMO_ORGANISATION_SLUG
        and organisation.cvr == DEMO_ORGANISATION_CVR
    )


def database_is_empty() -> bool:
    return not Organisation.objects.exists()
