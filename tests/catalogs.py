"""Reading gettext catalogs in tests, with GNU gettext's own parser."""

import re
import subprocess
from pathlib import Path


def catalog_entries(path: Path, *flags: str) -> set[tuple[str, str]]:
    """(context, msgid) of the entries `msgattrib FLAGS` selects from the catalog: all of them
    without flags, or e.g. "--translated", "--no-fuzzy"; "--untranslated"; "--only-fuzzy".
    Obsolete entries are left out; a missing file has none."""
    if not path.exists():
        return set()
    out = subprocess.run(
        ["msgattrib", "--no-wrap", *flags, str(path)], check=True, capture_output=True, text=True
    ).stdout
    found = set()
    for block in out.split("\n\n"):
        block = "\n".join(line for line in block.splitlines() if not line.startswith("#~"))
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if msgid and msgid.group(1):
            found.add((context.group(1) if context else "", msgid.group(1)))
    return found
