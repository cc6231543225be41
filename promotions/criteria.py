"""The names of the eligibility criteria as people read them. The engine's results carry each
criterion's code (`ratings`, `training_hours`…: the API and the batch report keep it); screens
and downloads for people show its name in the reader's language."""

from django.utils.translation import gettext_lazy as _

CRITERION_LABELS = {
    "ratings": _("Quarterly performance ratings"),
    "training_hours": _("Hours of training"),
    "retraining": _("Retraining"),
    "required_programmes": _("Required programmes"),
    "service_years": _("Length of service"),
}


def criterion_label(code: str) -> str:
    """The criterion's name in the active language (the code itself for an unknown one)."""
    return str(CRITERION_LABELS.get(code, code))
