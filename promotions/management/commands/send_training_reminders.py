from django.core.management.base import BaseCommand
from django.utils import timezone

from promotions.services import training_lapse_reminders


class Command(BaseCommand):
    help = "Remind servants (and HR) whose training requirement lapses within 90 days (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days: int, **options):
        sent = training_lapse_reminders(as_of=timezone.localdate(), within_days=days)
        self.stdout.write(f"Servants reminded: {sent}")
