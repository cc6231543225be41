"""`make bench`: run every benchmark in turn against the PostgreSQL cluster that
scripts/with-postgres.sh started (DATABASE_URL). Figures go to stdout; docs/performance.md
records them with the date and machine."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["certificates.py"],
    ["enrol_load.py"],
    ["import_export.py"],
    ["eligibility.py"],
]


def main() -> int:
    failed = []
    for command in BENCHMARKS:
        print(f"\n=== {' '.join(command)} ===", flush=True)
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=False)
        if result.returncode != 0:
            failed.append(command[0])
    if failed:
        print(f"\nbenchmarks that reported a problem: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
