"""Nominations: an HR officer or the academy sends a person to a session, and the person may
ask to be withdrawn. The enrolment itself is enrolments' (the same services, lock and waiting
list as self-enrolment); a nomination records who sent whom, when and why."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
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


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", _("assigned by HR")
    LAPSE = "lapse", _("automatic: the training requirement lapses")


class AssignmentStatus(models.TextChoices):
    """Computed when read (selectors.assignments_with_status), never stored."""

    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("nominated or enrolled")
    COMPLETED = "completed", _("completed")
    OVERDUE = "overdue", _("overdue")
    CANCELLED = "cancelled", _("cancelled")


class Assignment(models.Model):
    """Mandatory training with a due date: a programme, or a requirement of at least `hours`
    academic hours of qualification upgrade (or retraining), for one person. Its status is
    computed from enrolments and qualification records when read, never stored."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("civil servant"),
    )
    programme = models.ForeignKey(
        "courses.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("programme"),
    )
    hours = models.PositiveSmallIntegerField(_("academic hours at least"), null=True, blank=True)
    due_on = models.DateField(_("due date"), db_index=True)
    assigned_on = models.DateField(_("assigned on"))
    # HR's words; empty for an automatic assignment, whose reason is worded when read.
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=AssignmentSource.choices,
        default=AssignmentSource.MANUAL,
    )
    # The lapse an automatic assignment answers (one assignment per servant and lapse).
    lapses_on = models.DateField(_("requirement lapses on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    batch = models.UUIDField(_("group"), default=uuid.uuid4, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        verbose_name = _("mandatory training")
        verbose_name_plural = _("mandatory training")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False, hours__isnull=True)
                | models.Q(programme__isnull=True, hours__gt=0),
                name="assignment_programme_or_hours",
            ),
            models.UniqueConstraint(
                fields=["servant", "lapses_on"],
                condition=models.Q(lapses_on__isnull=False),
                name="one_assignment_per_lapse",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.servant} · {self.programme or self.hours} · {self.due_on}"

    @property
    def training(self) -> str:
        """What is to be done, in the active language."""
        if self.programme is not None:
            return f"{self.programme.title} ({self.programme.code})"
        return ngettext(
            "Qualification upgrade of at least %(hours)s academic hour",
            "Qualification upgrade of at least %(hours)s academic hours",
            self.hours or 0,
        ) % {"hours": self.hours}

    @property
    def reason_text(self) -> str:
        """Why it was assigned, in the active language (an automatic one: the lapse)."""
        if self.source == AssignmentSource.LAPSE and self.lapses_on:
            return gettext(
                "Assigned automatically: the training requirement lapses on %(date)s unless "
                "more training is completed by then."
            ) % {"date": date_format(self.lapses_on, "d.m.Y")}
        return self.reason
