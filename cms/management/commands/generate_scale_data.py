import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.scale_data import DEMO_PASSWORD, ScaleData
from people.models import CivilServant


class Command(BaseCommand):
    help = (
        "Fill the database with national-scale synthetic data (default 100,000 civil servants, "
        "~1M enrolments) for benchmarks. Same seed and --as-of, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--servants", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--as-of", help="the 'today' of the data (ISO date; default: today)", default=None
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="add the data even though the database already has civil servants",
        )

    def handle(self, *args, servants, seed, as_of=None, force=False, **options):
        if servants < 10:
            raise CommandError("--servants must be at least 10.")
        if CivilServant.objects.exists() and not force:
            raise CommandError(
                "The database already has civil servants: this command is for an empty "
                "database (use --force to add the data anyway)."
            )
        day = datetime.date.fromisoformat(as_of) if as_of else datetime.date.today()
        started = time.perf_counter()
        self.stdout.write(
            f"Generating for {servants:,} civil servants, seed {seed}, as of {day} "
            f"({connection.vendor}):"
        )
        report = ScaleData(servants=servants, seed=seed, as_of=day, log=self.stdout.write).run()
        if "analyze" in report.seconds:
            self.stdout.write(f"{'ANALYZE':<24} {'':>10}  {report.seconds['analyze']:7.1f} s")
        total = time.perf_counter() - started
        self.stdout.write(f"{'total':<24} {sum(report.counts.values()):>10,}  {total:7.1f} s")
        self.stdout.write(f"Logins (password {DEMO_PASSWORD!r}):")
        for username, what in report.logins:
            self.stdout.write(f"  {username:<20} {what}")
