"""Regenerate the certificate font: DejaVu Sans cut down to the scripts a certificate prints.

Usage: .venv/bin/python scripts/make-certificate-font.py [path/to/DejaVuSans.ttf]

Why: WeasyPrint embeds a subset of every font a PDF uses, and the cost of subsetting grows
with the size of the source font. DejaVu Sans carries ~6,000 glyphs; certificates need Latin
(with the extended letters of the Kazakh Latin alphabet and foreign names), Cyrillic (with
all Kazakh letters) and punctuation: ~1,100 glyphs, which makes each certificate ~1 ms
faster. Characters outside this cut fall back to the system's DejaVu Sans (see the CSS).
The output is committed, so certificates look the same on every machine.
DejaVu's licence allows modified copies that do not use the names "Bitstream" or "Vera".
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TARGET = (
    Path(__file__).resolve().parent.parent
    / "certificates/static/certificates/fonts/DejaVuSans-Certificate.ttf"
)
FAMILY = "DejaVu Sans Certificate"
UNICODES = [
    *range(0x0020, 0x007F),  # Basic Latin
    *range(0x00A0, 0x0250),  # Latin-1, Latin Extended-A and -B (Ä Ğ Ñ Ö Ş Ū Ü İ Ə …)
    *range(0x0300, 0x0370),  # combining marks (names typed in decomposed form)
    *range(0x0400, 0x0530),  # Cyrillic and Cyrillic Supplement (Ә Ғ Қ Ң Ө Ұ Ү Һ І …)
    *range(0x2010, 0x205F),  # dashes, quotes, bullets, ‰, ‹ ›
    0x20B8,  # ₸
    0x2116,  # №
]


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    options = subset.Options()
    options.layout_features = ["*"]  # keep kerning and ligatures for Pango's shaping
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 16):  # family, full name, typographic family
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(TARGET)
    print(f"{TARGET}: {len(font.getGlyphOrder())} glyphs, {TARGET.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
