import sys

from django.core.management.base import BaseCommand, CommandError

from certificates.services import certificates_issue_pending


class Command(BaseCommand):
    help = "Issue the certificates of completed enrolments that have none yet (idempotent)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--session", type=int, help="only this session's completions")
        group.add_argument("--all-pending", action="store_true", help="every pending completion")

    def handle(self, *args, session=None, all_pending=False, **options):
        if session is None and not all_pending:
            raise CommandError("Give --session ID or --all-pending.")
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            end = "" if interactive and done < total else "\n"
            if interactive or done == total or done % max(1, total // 10) == 0:
                self.stdout.write(f"\r[{bar}] {done}/{total}", ending=end)
                sys.stdout.flush()

        issued = certificates_issue_pending(actor=None, session_id=session, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Certificates issued: {len(issued)}"))
