"""Nominations: an HR officer or the academy sends a person to a session, and the person may
ask to be withdrawn. The enrolment itself is enrolments' (the same services, lock and waiting
list as self-enrolment); a nomination records who sent whom, when and why."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Session
from enrolments.models import Enrolment
from people.models import CivilServant


class NominatorRole(models.TextChoices):
    HR_OFFICER = "hr_officer", _("HR officer")
    ACADEMY = "academy", _("academy")


class Nomination(models.Model):
    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("civil servant"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("session")
    )
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="nomination",
        verbose_name=_("enrolment"),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    # The role the nominator acted in, as it was then ("HR of <state body>" or the academy).
    nominated_as = models.CharField(_("nominated as"), max_length=16, choices=NominatorRole.choices)
    reason = models.TextField(_("reason"))
    # Why the person was due for training when nominated, as data (selectors.TrainingDue),
    # worded when read; {} when they were not due.
    due_basis = models.JSONField(_("training due (code and values)"), default=dict, blank=True)
    # The nominations confirmed together (one group).
    batch = models.UUIDField(_("group"), default=uuid.uuid4, db_index=True, editable=False)
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True, db_index=True)
    # Claimed by the e-mail task with a conditional update: the person is told once.
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.servant} → {self.session}"


class WithdrawalStatus(models.TextChoices):
    PENDING = "pending", _("awaiting decision")
    APPROVED = "approved", _("approved: withdrawn")
    REJECTED = "rejected", _("rejected")


class WithdrawalRequest(models.Model):
    """The nominated person asks to be withdrawn; an HR officer of their state body (or the
    academy) decides. Approval withdraws the enrolment through enrolments' service."""

    wagtail_reference_index_ignore = True

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.PROTECT,
        related_name="withdrawal_requests",
        verbose_name=_("nomination"),
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=models.Q(status="pending"),
                name="one_pending_withdrawal_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination} ({self.get_status_display()})"
