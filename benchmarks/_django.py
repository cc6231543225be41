"""Shared set-up for benchmarks: Django on the DATABASE_URL given (scripts/with-postgres.sh)."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# A script run from benchmarks/ has this folder first on sys.path, where import_export.py (the
# import/export benchmark) would hide the django-import-export package of the same name: the
# folder moves to the end, so the package wins and the sibling modules are still found.
_here = [p for p in sys.path if Path(p or ".").resolve() == HERE]
if _here:
    sys.path[:] = [p for p in sys.path if p not in _here] + [str(HERE)]


def setup(settings_module: str = "config.settings.test") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- measuring, shared by the benchmarks -----------------------------------------------


def status_mb(key: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def memory_now() -> dict:
    import resource

    return {
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "hwm_mb": status_mb("VmHWM"),
    }


class Timer:
    """Times one block; under --profile, also profiles it and prints the top functions."""

    def __init__(self, profile: bool, top: int = 30):
        self.profile = profile
        self.top = top
        self.seconds = 0.0

    def __enter__(self):
        if self.profile:
            import cProfile

            self.profiler = cProfile.Profile()
            self.profiler.enable()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        if self.profile:
            import pstats

            self.profiler.disable()
            for order in ("tottime", "cumulative"):
                print(f"\n--- profile, sorted by {order} ---")
                pstats.Stats(self.profiler, stream=sys.stdout).sort_stats(order).print_stats(
                    self.top
                )
        return False
