"""Notifications: one row per thing a person is told, shown in their in-app list and e-mailed
once by the background worker. The row keeps values (names per language, dates, counts), never
translated text: the sentence is worded when read, in the reader's language (`kinds.py`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import CivilServant


class Kind(models.TextChoices):
    NOMINATED = "nominated", _("you were nominated")
    WAITLIST_PROMOTED = "waitlist_promoted", _("you moved up from the waiting list")
    CERTIFICATE_ISSUED = "certificate_issued", _("your certificate is issued")
    QUALIFICATION_EXPIRING = "qualification_expiring", _("your qualification expires soon")
    STAFF_QUALIFICATION_EXPIRING = (
        "staff_qualification_expiring",
        _("a qualification of your people expires soon"),
    )
    APPROVALS_WAITING = "approvals_waiting", _("requests wait for your approval")
    ASSIGNMENT_REMINDER = "assignment_reminder", _("your mandatory training is due or overdue")
    STAFF_ASSIGNMENT_REMINDER = (
        "staff_assignment_reminder",
        _("mandatory training of your people is due or overdue"),
    )


class Notification(models.Model):
    """Addressed to a civil servant (their e-mail and preferred language, as every letter to a
    servant has been; they read it in My learning once they have a login) or to a back-office
    user (their e-mail and the language of their admin profile). `key` names the event: with
    the recipient it is unique, so nobody is told of the same event twice."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("civil servant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    key = models.CharField(_("event key"), max_length=200)
    params = models.JSONField(_("values"), default=dict, blank=True)
    # A path; "{lang}" is replaced by the reader's language (public pages are per language).
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Claimed by the e-mail task with a conditional update: a retry never sends twice.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(servant__isnull=True, user__isnull=False)
                | Q(servant__isnull=False, user__isnull=True),
                name="notification_has_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["servant", "key"],
                condition=Q(servant__isnull=False),
                name="one_notification_per_servant_and_event",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=Q(user__isnull=False),
                name="one_notification_per_user_and_event",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["servant", "-created_at"], name="notification_servant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def unread(self) -> bool:
        return self.read_at is None

    def headline(self) -> str:
        """The sentence in the active language."""
        from .kinds import render

        return render(self).subject

    def url(self, language: str) -> str:
        return self.link.replace("{lang}", language)
