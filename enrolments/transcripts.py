"""A person's record of learning ("transcript"): every qualification record, academic hours
per year, and whether the training requirement is currently met — as PDF and CSV.

The requirement is the one definition in `enrolments.requirements` (the version in force and
the hours for the person's category), the same the promotion rules check.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone

from people.models import CivilServant

from .requirements import TrainingStatus, training_requirement_status
from .selectors import records_of


@dataclass
class Transcript:
    servant: CivilServant
    as_of: datetime.date
    records: list
    hours_by_year: list[tuple[int, int]]
    window_start: datetime.date
    window_hours: int
    required_hours: int
    requirement: TrainingStatus

    @property
    def requirement_met(self) -> bool:
        return self.requirement.hours_met


def transcript_for(servant: CivilServant, *, as_of: datetime.date | None = None) -> Transcript:
    as_of = as_of or timezone.localdate()
    records = list(records_of(servant, include_superseded=True))
    current = [r for r in records if r.is_current]
    by_year: dict[int, int] = defaultdict(int)
    for record in current:
        by_year[record.completed_on.year] += record.hours
    status = training_requirement_status(servant, as_of, records=current)
    return Transcript(
        servant=servant,
        as_of=as_of,
        records=records,
        hours_by_year=sorted(by_year.items(), reverse=True),
        window_start=status.window_start,
        window_hours=status.counted_hours,
        required_hours=status.required_hours,
        requirement=status,
    )


def transcript_csv(transcript: Transcript) -> str:
    from django.utils.translation import gettext as _

    from core.exporting import neutralise

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("title"),
            _("kind"),
            _("provider"),
            _("academic hours"),
            _("completed on"),
            _("valid until"),
            _("certificate number"),
            _("source"),
            _("current"),
        ]
    )
    for r in transcript.records:
        writer.writerow(
            [
                neutralise(r.title),
                r.get_kind_display(),
                neutralise(r.provider),
                r.hours,
                r.completed_on.isoformat(),
                r.valid_until.isoformat(),
                neutralise(r.certificate_number),
                r.get_source_display(),
                _("yes") if r.is_current else _("no (superseded)"),
            ]
        )
    writer.writerow([])
    writer.writerow([_("year"), _("academic hours")])
    writer.writerows(transcript.hours_by_year)
    writer.writerow([])
    writer.writerow(
        [
            _("training requirement met"),
            _("yes") if transcript.requirement_met else _("no"),
            transcript.requirement.hours_sentence,
        ]
    )
    return out.getvalue()


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def transcript_pdf(transcript: Transcript) -> bytes:
    from weasyprint import HTML

    html = render_to_string("enrolments/transcript.html", {"t": transcript})
    return HTML(string=html).write_pdf(font_config=_font_config())
