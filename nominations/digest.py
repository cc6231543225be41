"""The daily digest of requests that wait for a decision: one notification (and e-mail) per
approver and day, listing the enrolment requests awaiting approval and the nominated people's
requests to be withdrawn, in the approver's scope. Never one e-mail per request."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from core.authorization import ACADEMY_MANAGERS, HR_OFFICERS
from enrolments.models import Enrolment, EnrolmentStatus
from notifications.models import Kind
from notifications.services import notify
from people.authorization import may_decide_enrolments
from people.scoping import scope_queryset

from .models import WithdrawalRequest, WithdrawalStatus

LISTED = 20  # requests named in one digest; the count covers them all


def _title(programme) -> dict:
    return {"kk": programme.title_kk, "ru": programme.title_ru, "en": programme.title_en}


def approvers():
    """Active logins of HR officers and academy managers (superusers get no digest)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=HR_OFFICERS) | Q(groups__name=ACADEMY_MANAGERS))
        .distinct()
        .order_by("pk")
    )


def approval_digests_send(*, today: datetime.date) -> int:
    """Send today's digest to each approver with requests waiting. Returns how many digests
    are new; a second run on the same day sends none (the key holds the day)."""
    sent = 0
    for user in approvers():
        if not may_decide_enrolments(user):
            continue
        requests = scope_queryset(
            Enrolment.objects.filter(status=EnrolmentStatus.PENDING_APPROVAL),
            user,
            servant_path="servant",
        ).select_related("servant", "session__programme")
        withdrawals = scope_queryset(
            WithdrawalRequest.objects.filter(status=WithdrawalStatus.PENDING),
            user,
            servant_path="nomination__servant",
        ).select_related("nomination__servant", "nomination__session__programme")
        count = requests.count() + withdrawals.count()
        if not count:
            continue
        items = [
            {
                "type": "enrolment",
                "name": e.servant.full_name,
                "title": _title(e.session.programme),
                "starts_on": e.session.starts_on.isoformat(),
            }
            for e in requests.order_by("session__starts_on", "requested_at")[:LISTED]
        ]
        items += [
            {
                "type": "withdrawal",
                "name": w.nomination.servant.full_name,
                "title": _title(w.nomination.session.programme),
                "starts_on": w.nomination.session.starts_on.isoformat(),
            }
            for w in withdrawals.order_by("requested_at")[: max(LISTED - len(items), 0)]
        ]
        link = reverse("enrolments_approvals" if requests.exists() else "nominations_list")
        sent += notify(
            user=user,
            kind=Kind.APPROVALS_WAITING,
            key=f"approvals_waiting:{today.isoformat()}",
            params={"count": count, "items": items},
            link=link,
        )[1]
    return sent
