"""Success cases of the tool shed's API operations for tests/api/test_schemathesis.py: a
garden of the coordinator's A1 with a shed, the coordinator a member and its runner."""

from __future__ import annotations

from typing import Any

from lokalsamfund.core.models import Department, Membership, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services as group_services
from lokalsamfund.green.models import GroupKind, ToolKind
from lokalsamfund.green.toolshed import services


def green_tools_cases(coordinator: User) -> dict[str, list[dict[str, Any]]]:
    organisation = coordinator.memberships.get().organisation
    department = Department.objects.get(organisation=organisation, code="A1")
    group = group_services.group_create(
        actor=SYSTEM,
        organisation=organisation,
        departments=[department],
        name="Skurhaven",
        kind=GroupKind.GARDEN,
    )
    other = User.objects.create_user("skurnabo@example.org", "x" * 20, full_name="Skur Nabo")
    membership = Membership.objects.create(
        user=other, organisation=organisation, role=Role.RESIDENT
    )
    membership.departments.set([department])
    for user in (coordinator, other):
        group_services.member_join(actor=user, group=group)
    shed = services.shed_create(actor=SYSTEM, group=group)
    tools = {
        name: services.tool_add(actor=SYSTEM, shed=shed, name=name)
        for name in ("fri", "lånt", "kø", "retur", "forlæng")
    }
    trimmer = services.tool_add(actor=SYSTEM, shed=shed, name="hæk", needs_handover=True)
    seeds = services.tool_add(
        actor=SYSTEM, shed=shed, name="frø", kind=ToolKind.CONSUMABLE, quantity=5
    )
    services.loan_create(actor=other, tool=tools["lånt"])
    services.loan_create(actor=other, tool=tools["kø"])
    hold = services.hold_join(actor=coordinator, tool=tools["kø"])
    returning = services.loan_create(actor=coordinator, tool=tools["retur"])
    renewing = services.loan_create(actor=coordinator, tool=tools["forlæng"])
    handover = services.loan_create(actor=other, tool=trimmer)
    base = "/api/v1/green"
    return {
        f"GET {base}/groups/{{group_id}}/tools": [{"path_parameters": {"group_id": group.pk}}],
        f"POST {base}/tools/{{tool_id}}/loans": [{"path_parameters": {"tool_id": tools["fri"].pk}}],
        f"POST {base}/tools/{{tool_id}}/holds": [
            {"path_parameters": {"tool_id": tools["lånt"].pk}}
        ],
        f"POST {base}/holds/{{hold_id}}/cancel": [{"path_parameters": {"hold_id": hold.pk}}],
        f"POST {base}/tools/{{tool_id}}/take": [
            {"path_parameters": {"tool_id": seeds.pk}, "body": {"quantity": 1}}
        ],
        f"POST {base}/loans/{{loan_id}}/return": [
            {"path_parameters": {"loan_id": returning.pk}, "body": {}}
        ],
        f"POST {base}/loans/{{loan_id}}/renew": [{"path_parameters": {"loan_id": renewing.pk}}],
        f"POST {base}/loans/{{loan_id}}/handover": [{"path_parameters": {"loan_id": handover.pk}}],
    }
