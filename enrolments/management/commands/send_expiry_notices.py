from django.core.management.base import BaseCommand
from django.utils import timezone

from enrolments.expiry import EXPIRY_NOTICE_DAYS, qualification_expiry_notify


class Command(BaseCommand):
    help = (
        "Tell servants and their HR officers of qualification records expiring within 90 days "
        "(daily; each record and expiry date once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=EXPIRY_NOTICE_DAYS)

    def handle(self, *args, days: int, **options):
        created = qualification_expiry_notify(as_of=timezone.localdate(), within_days=days)
        self.stdout.write(f"Notifications created: {created}")
