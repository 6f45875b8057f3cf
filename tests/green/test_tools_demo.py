"""The demo's tool shed: a few tools, a loan overdue, one with a queue, a handover waiting."""

from __future__ import annotations

from django.utils import timezone

from lokalsamfund.core.demo import load_demo
from lokalsamfund.green.demo import GARDEN
from lokalsamfund.green.models import Hold, Loan, LoanStatus, ToolShed


def test_demo_tool_shed(db: None) -> None:
    load_demo()
    load_demo()  # idempotent
    shed = ToolShed.objects.get(group__name=GARDEN)
    assert shed.tools.count() == 5
    today = timezone.localdate()
    loans = Loan.objects.filter(tool__shed=shed)
    assert loans.filter(status=LoanStatus.OUT, due_on__lt=today).count() == 1
    assert loans.filter(status=LoanStatus.AWAITING_HANDOVER, tool__needs_handover=True).count() == 1
    queued = Hold.objects.filter(tool__shed=shed, status="waiting").get()
    assert loans.filter(tool=queued.tool, status=LoanStatus.OUT, due_on__gte=today).exists()
