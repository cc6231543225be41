from django.core.management.base import BaseCommand
from django.utils import timezone

from nominations.services import lapsing_assignments_create


class Command(BaseCommand):
    help = (
        "Assign mandatory training to everyone whose training requirement lapses within 90 days, "
        "once per lapse (daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days: int, **options):
        created = lapsing_assignments_create(as_of=timezone.localdate(), within_days=days)
        self.stdout.write(f"Assignments created: {created}")
