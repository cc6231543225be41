from django.core.management.base import BaseCommand
from django.utils import timezone

from nominations.services import REMIND_DAYS_BEFORE_DUE, assignment_reminders_send


class Command(BaseCommand):
    help = (
        "Remind people and their HR officers of mandatory training due within 14 days and of "
        "overdue training, once each per assignment (daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=REMIND_DAYS_BEFORE_DUE)

    def handle(self, *args, days: int, **options):
        sent = assignment_reminders_send(today=timezone.localdate(), days_before=days)
        self.stdout.write(f"Notifications created: {sent}")
