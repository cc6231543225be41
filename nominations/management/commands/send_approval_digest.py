from django.core.management.base import BaseCommand
from django.utils import timezone

from nominations.digest import approval_digests_send


class Command(BaseCommand):
    help = "Send each HR officer and academy manager one digest of the requests waiting (daily)."

    def handle(self, *args, **options):
        sent = approval_digests_send(today=timezone.localdate())
        self.stdout.write(f"Digests sent: {sent}")
