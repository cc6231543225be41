from django.core.management.base import BaseCommand

from enrolments.services import enrolment_send_reminders


class Command(BaseCommand):
    help = "E-mail participants whose session starts within 3 days (run daily; never twice)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days: int, **options):
        sent = enrolment_send_reminders(days_before=days)
        self.stdout.write(f"Reminders sent: {sent}")
