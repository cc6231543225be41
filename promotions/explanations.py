"""The eligibility criteria in words, made when they are read.

The engine (`promotions.engine`) decides each criterion and keeps what it found as data: the
criterion's code, met or not, and for the explanation and for what would close the gap a code
with its figures (`{"code": "hours_short", "hours": 24, "start": "2023-06-30", "required":
36}`). An eligibility check stores exactly that (`EligibilityCheck.result`); the sentences are
made here with `gettext` in the language active when someone reads them (the check screen,
My learning, the rule dry run, a report, a refusal), so a check run in Russian reads in Kazakh
for a Kazakh reader.

A check stored before the codes holds the sentences themselves (`explanation`, `gap`): they are
shown as they were stored (`explained_criterion`).
"""

import datetime
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.dates import quarter_label

from .criteria import criterion_label


def _quarter(value) -> str:
    """A quarter stored as [year, number] (JSON has no tuples)."""
    if not value:
        return ""
    year, number = value
    return quarter_label((int(year), int(number)))


def _rating(code: str) -> str:
    from people.models import Rating

    try:
        return str(Rating(code).label)
    except ValueError:
        return code


def _codes(values) -> str:
    return ", ".join(values or ())


def explain(basis: Mapping | None) -> str:
    """The sentence for a criterion's explanation or gap stored as a code and figures.

    Sentences are kept per language and figures: a batch of 100,000 people (eligibility_report)
    words the same few hundred gaps over and over."""
    if not basis:
        return ""
    key = (get_language(), *((k, tuple(v) if isinstance(v, list) else v) for k, v in basis.items()))
    if basis.get("code") in _WORDED_AGAINST_TODAY:
        key = (*key, timezone.localdate())
    try:
        return _worded[key]
    except KeyError:
        pass
    except TypeError:  # a figure that cannot be a key (not stored by the engine): word it
        return _word(basis)
    if len(_worded) > 20_000:
        _worded.clear()
    text = _worded[key] = _word(basis)
    return text


_worded: dict[tuple, str] = {}

# Sentences that read a deadline against the day they are read ("today", "has passed").
_WORDED_AGAINST_TODAY = frozenset({"hours_missing", "retraining_due_by"})


def _word(basis: Mapping) -> str:
    render = _SENTENCES.get(basis.get("code"))
    return render(basis) if render is not None else ""


def _ratings_effective(b) -> str:
    return _("Rated effective in each of the last %(n)s quarters (%(first)s – %(last)s).") % {
        "n": b["n"],
        "first": _quarter(b["first"]),
        "last": _quarter(b["last"]),
    }


def _ratings_broken(b) -> str:
    if b.get("rating"):
        reason = _("%(quarter)s was rated %(rating)s") % {
            "quarter": _quarter(b["quarter"]),
            "rating": _rating(b["rating"]),
        }
    else:
        reason = _("%(quarter)s has no rating") % {"quarter": _quarter(b["quarter"])}
    return _("Needs %(n)s consecutive quarters rated effective; %(reason)s.") % {
        "n": b["n"],
        "reason": reason,
    }


def _ratings_next(b) -> str:
    return _(
        "The next eligible date is after %(quarter)s (%(date)s) if the next %(n)s "
        "quarters are rated effective."
    ) % {"quarter": _quarter(b["quarter"]), "date": _day(b["date"]), "n": b["n"]}


def _hours_met(b) -> str:
    return _(
        "%(hours)s academic hours of qualification upgrade since %(start)s (needed: %(required)s)."
    ) % {"hours": b["hours"], "start": _day(b["start"]), "required": b["required"]}


def _hours_short(b) -> str:
    return _(
        "%(hours)s academic hours of qualification upgrade since %(start)s; %(required)s "
        "are needed."
    ) % {"hours": b["hours"], "start": _day(b["start"]), "required": b["required"]}


def _hours_missing(b) -> str:
    figures = {"missing": b["missing"], "date": _day(b.get("date"))}
    deadline = _date(b.get("date"))
    if deadline is None:
        # Nothing counted in the window: no record is about to leave it, so no deadline.
        return (
            ngettext(
                "Complete %(missing)s more academic hour of qualification upgrade.",
                "Complete %(missing)s more academic hours of qualification upgrade.",
                b["missing"],
            )
            % figures
        )
    if deadline <= timezone.localdate():
        # Read after the day (a check made as of an earlier date, or kept from before): the
        # oldest training counted has left the window since, and the figure is out of date.
        return (
            ngettext(
                "%(missing)s more academic hour of qualification upgrade was needed before "
                "%(date)s; that day has passed and the oldest training counted here no longer "
                "counts: run the check again.",
                "%(missing)s more academic hours of qualification upgrade were needed before "
                "%(date)s; that day has passed and the oldest training counted here no longer "
                "counts: run the check again.",
                b["missing"],
            )
            % figures
        )
    return (
        ngettext(
            "%(missing)s more academic hour of qualification upgrade before %(date)s.",
            "%(missing)s more academic hours of qualification upgrade before %(date)s.",
            b["missing"],
        )
        % figures
    )


def _retraining_due_by(b) -> str:
    if _date(b["due"]) == timezone.localdate():
        return _("Retraining is due today, %(due)s (overdue from tomorrow).") % {
            "due": _day(b["due"])
        }
    return _("Retraining is due by %(due)s (not overdue yet).") % {"due": _day(b["due"])}


_SENTENCES = {
    "ratings_effective": _ratings_effective,
    "ratings_broken": _ratings_broken,
    "ratings_next_date": _ratings_next,
    "hours_met": _hours_met,
    "hours_short": _hours_short,
    "hours_missing": _hours_missing,
    "retraining_not_due": lambda b: _("No retraining is due."),
    "retraining_done": lambda b: _("Retraining completed on %(date)s.") % {"date": _day(b["date"])},
    "retraining_due_by": _retraining_due_by,
    "retraining_overdue": lambda b: (
        _("Retraining was due by %(due)s (first appointed on %(appointed)s) and is not recorded.")
        % {"due": _day(b["due"]), "appointed": _day(b["appointed"])}
    ),
    "retraining_complete": lambda b: _(
        "Complete a retraining programme (at least 120 academic hours)."
    ),
    "programmes_done": lambda b: (
        _("Required programmes completed: %(codes)s.") % {"codes": _codes(b["codes"])}
    ),
    "programmes_missing": lambda b: (
        _("Required programmes without a valid completion: %(codes)s.")
        % {"codes": _codes(b["codes"])}
    ),
    "programmes_complete": lambda b: _("Complete %(codes)s.") % {"codes": _codes(b["codes"])},
    "service_since": lambda b: _("In civil service since %(date)s.") % {"date": _day(b["date"])},
    "service_short": lambda b: (
        _("%(years)s years in civil service are required.") % {"years": b["years"]}
    ),
    "service_reached": lambda b: _("Reached on %(date)s.") % {"date": _day(b["date"])},
}


def explained_criterion(stored: Mapping) -> dict:
    """A criterion as stored in a check's result, with its words in the active language:
    code, label, met, explanation, gap, evidence. A check stored before the codes keeps its
    stored sentences."""
    basis, gap_basis = stored.get("basis"), stored.get("gap_basis")
    return {
        "code": stored.get("code", ""),
        "label": criterion_label(stored.get("code", "")),
        "met": bool(stored.get("met")),
        "explanation": explain(basis) if basis else stored.get("explanation", ""),
        "gap": explain(gap_basis) if gap_basis else stored.get("gap", ""),
        "evidence": stored.get("evidence", []),
    }


def explain_check_run(data: Mapping) -> str:
    """The words of a `promotions.check.run` history entry, from its data."""
    if "eligible" not in data:
        return ""
    verdict = _("eligible") if data["eligible"] else _("not eligible")
    unmet = data.get("unmet") or []
    if not unmet:
        return verdict
    return _("%(verdict)s; criteria not met: %(criteria)s") % {
        "verdict": verdict,
        "criteria": ", ".join(_in_sentence(criterion_label(code)) for code in unmet),
    }


def _in_sentence(label: str) -> str:
    """A criterion's name as it reads inside a sentence (the screens' names are capitalised)."""
    return label[:1].lower() + label[1:]


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _day(value) -> str:
    """A date of the explanation as the documents write it (dd.mm.yyyy); stored as ISO text."""
    if not value:
        return "—"
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)
