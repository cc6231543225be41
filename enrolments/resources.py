"""Import/export kinds of this app (core.resources explains how a kind is built):
- completions: completed trainings, imported as QualificationRecords (source "import") and
  exported as the current records in the same columns, so an export re-imports unchanged.
  Records are never edited: a changed row supersedes the current record;
- records and enrolments: exports only (every record, the history included; every enrolment).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import add_years
from core.resources import LINE as LINE_COLUMN
from core.resources import Column, KindResource, RowInvalid
from core.tabular import text_cell
from core.widgets import (
    BooleanWidget,
    DateWidget,
    IinWidget,
    IntegerWidget,
    TextWidget,
    Widget,
    WordsWidget,
)
from courses.models import Programme, ProgrammeKind
from people.importing import AgencyScopedResource
from people.resources import servants_by_iin

from . import explanations
from .models import Enrolment, EnrolmentStatus, QualificationRecord, RecordSource
from .results import qualification_records_import

DEFAULT_VALIDITY_YEARS = 3


class ProgrammeWidget(Widget):
    """A programme of the academy's catalogue by its code (any case); an empty cell is no
    programme (an external course). Exports write the code. The catalogue is read once per
    widget (one import)."""

    lookup = "code"

    def __init__(self):
        self._programmes = None

    def programmes(self) -> dict[str, Programme]:
        if self._programmes is None:
            self._programmes = {
                p.code.upper(): p
                for p in Programme.objects.only("pk", "code", "kind", "validity_years", "title_ru")
            }
        return self._programmes

    def clean(self, value, row=None, **kwargs):
        code = text_cell("" if value is None else value).upper()
        if not code:
            return None
        programme = self.programmes().get(code)
        if programme is None:
            raise ValueError(_("no programme with code %(code)s") % {"code": code})
        return programme

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


def _iin_or_none(value):
    try:
        return IinWidget().clean(value)
    except ValueError:
        return None


# What an import compares and a correction copies of the current record (as loaded).
_CURRENT = (
    "pk",
    "servant_id",
    "title",
    "provider",
    "completed_on",
    "hours",
    "certificate_number",
    "programme_id",
    "source",
    "kind",
    "valid_until",
    "is_current",
    "updated_at",
)


class CompletionResource(AgencyScopedResource):
    """Completed trainings, keyed by the person, the title, the provider and the date. A row
    equal to the current record (hours, certificate number) is unchanged; a changed one
    supersedes it (enrolments.results.qualification_records_import: the same trail as a
    correction in the admin), except for records the academy made from its own results."""

    kind = "completions"

    iin = Column(
        "servant",
        code="iin",
        label=gettext_lazy("IIN"),
        aliases=("ИИН", "ЖСН"),
        widget=IinWidget(lookup="iin"),
        readonly=True,
    )
    last_name = Column(
        "servant__last_name", code="last_name", label=gettext_lazy("last name"), imported=False
    )
    first_name = Column(
        "servant__first_name", code="first_name", label=gettext_lazy("first name"), imported=False
    )
    programme_code = Column(
        "programme",
        code="programme_code",
        label=gettext_lazy("programme code"),
        aliases=("Код программы", "Бағдарлама коды"),
        widget=ProgrammeWidget(),
        required=False,
    )
    programme_title = Column(
        "title",
        code="programme_title",
        label=gettext_lazy("title"),
        aliases=("Программа", "Бағдарлама"),
        widget=TextWidget(max_length=500),
    )
    provider = Column(
        "provider",
        code="provider",
        label=gettext_lazy("provider"),
        aliases=("Организация", "Ұйым"),
        widget=TextWidget(empty=gettext_lazy("the provider is empty"), max_length=255),
    )
    hours = Column(
        "hours",
        code="hours",
        label=gettext_lazy("academic hours"),
        aliases=("Часы", "Сағат"),
        widget=IntegerWidget(low=1, high=2000),
    )
    completed_on = Column(
        "completed_on",
        code="completed_on",
        label=gettext_lazy("completed on"),
        aliases=("Дата окончания", "Аяқталған күні"),
        widget=DateWidget(not_after_today=True),
    )
    certificate_number = Column(
        "certificate_number",
        code="certificate_number",
        label=gettext_lazy("certificate number"),
        aliases=("Номер сертификата", "Сертификат нөмірі"),
        widget=TextWidget(max_length=64),
        required=False,
    )

    class Meta:
        model = QualificationRecord
        fields = (
            "iin",
            "last_name",
            "first_name",
            "programme_code",
            "programme_title",
            "provider",
            "hours",
            "completed_on",
            "certificate_number",
        )

    def get_queryset(self):
        """An export holds the current records: what an import compares its rows with."""
        return QualificationRecord.objects.filter(is_current=True)

    def preload(self, dataset):
        self._seen = {}
        iins = dataset.get_col(dataset.headers.index("iin")) if "iin" in dataset.headers else []
        self._servants = servants_by_iin({i for i in map(_iin_or_none, iins) if i})
        ids = [pk for pk, _agency in self._servants.values()]
        stored = {}
        for start in range(0, len(ids), 5000):
            for record in QualificationRecord.objects.filter(
                servant_id__in=ids[start : start + 5000], is_current=True
            ).only(*_CURRENT):
                stored[self.key_of(record)] = record
        return stored

    @staticmethod
    def key_of(record) -> tuple:
        return (
            record.servant_id,
            record.title.casefold(),
            record.provider.casefold(),
            record.completed_on,
        )

    def training(self, row) -> tuple:
        """The row's (programme, title): a row with a programme code may leave the title to
        the catalogue."""
        programme = self.fields["programme_code"].clean(row) if "programme_code" in row else None
        title = self.fields["programme_title"].clean(row)
        return programme, title or (programme.title_ru if programme else "")

    def row_key(self, row):
        found = self._servants.get(_iin_or_none(row.get("iin")))
        if found is None:
            return None
        try:
            _programme, title = self.training(row)
            provider = self.fields["provider"].clean(row)
            completed_on = self.fields["completed_on"].clean(row)
        except (ValueError, KeyError):
            return None  # the columns say why
        return (found[0], title.casefold(), provider.casefold(), completed_on)

    def instance_from_stored(self, current):
        record = QualificationRecord(
            pk=current.pk,
            servant_id=current.servant_id,
            title=current.title,
            provider=current.provider,
            completed_on=current.completed_on,
            hours=current.hours,
            certificate_number=current.certificate_number,
        )
        record._state.adding = False
        record._current = current
        record._stored = (current.hours, current.certificate_number)
        return record

    def current_values(self, record):
        return (record.hours, record.certificate_number)

    def clean_row(self, record, row):
        iin = self.cell(row, "iin")
        servant_id, _agency_id = self.person_in_scope(iin, self._servants, "iin")
        programme, title = self.training(row)
        if not title:
            raise RowInvalid("programme_title", _("the programme title is empty"))
        record.servant_id = servant_id
        record.title = title
        key = self.key_of(record)
        if key in self._seen:
            raise RowInvalid(
                "programme_title",
                _("the same training already appears on line %(line)s") % {"line": self._seen[key]},
            )
        self._seen[key] = row[LINE_COLUMN]
        current = getattr(record, "_current", None)
        if (
            current is not None
            and current.source == RecordSource.ENROLMENT
            and not self.unchanged(record)
        ):
            raise RowInvalid(
                "hours",
                _(
                    "this training was recorded by the academy from its results; ask the "
                    "academy to correct it"
                ),
            )
        record.kind = programme.kind if programme else ProgrammeKind.QUALIFICATION_UPGRADE
        validity = programme.validity_years if programme else DEFAULT_VALIDITY_YEARS
        record.valid_until = add_years(record.completed_on, validity)
        record.source = RecordSource.IMPORT
        record.created_by = self.user if getattr(self.user, "is_authenticated", False) else None

    def write(self, creates, updates):
        supersede = []
        for record in updates:  # a correction is a new record superseding the current one
            current = record._current
            record.pk = None
            record._state.adding = True
            record.supersedes_id = current.pk
            record.correction_basis = explanations.basis(explanations.IMPORT_CORRECTION)
            supersede.append((current, record))
        # The same service and the same trail (history, audit) as a correction in the admin.
        qualification_records_import(creates=creates, supersede=supersede, actor=self.user)


class RecordResource(KindResource):
    """Qualification records, exported only: every record, superseded ones included (the
    "current" column tells them apart). The completions kind imports trainings."""

    kind = "records"

    uid = Column("uid", code="uid", label=gettext_lazy("record id"), imported=False)
    iin = Column("servant__iin", code="iin", label=gettext_lazy("IIN"), imported=False)
    last_name = Column(
        "servant__last_name", code="last_name", label=gettext_lazy("last name"), imported=False
    )
    first_name = Column(
        "servant__first_name", code="first_name", label=gettext_lazy("first name"), imported=False
    )
    programme_code = Column(
        "programme__code",
        code="programme_code",
        label=gettext_lazy("programme code"),
        imported=False,
    )
    title = Column("title", code="title", label=gettext_lazy("title"), imported=False)
    record_kind = Column(
        "kind",
        code="kind",
        label=gettext_lazy("kind"),
        widget=WordsWidget(ProgrammeKind.choices),
        imported=False,
    )
    provider = Column("provider", code="provider", label=gettext_lazy("provider"), imported=False)
    hours = Column("hours", code="hours", label=gettext_lazy("academic hours"), imported=False)
    completed_on = Column(
        "completed_on", code="completed_on", label=gettext_lazy("completed on"), imported=False
    )
    valid_until = Column(
        "valid_until", code="valid_until", label=gettext_lazy("valid until"), imported=False
    )
    certificate_number = Column(
        "certificate_number",
        code="certificate_number",
        label=gettext_lazy("certificate number"),
        imported=False,
    )
    source = Column(
        "source",
        code="source",
        label=gettext_lazy("source"),
        widget=WordsWidget(RecordSource.choices),
        imported=False,
    )
    is_current = Column(
        "is_current",
        code="is_current",
        label=gettext_lazy("current"),
        widget=BooleanWidget(),
        imported=False,
    )
    updated_at = Column(
        "updated_at", code="updated_at", label=gettext_lazy("updated at"), imported=False
    )

    class Meta:
        model = QualificationRecord
        fields = (
            "uid",
            "iin",
            "last_name",
            "first_name",
            "programme_code",
            "title",
            "record_kind",
            "provider",
            "hours",
            "completed_on",
            "valid_until",
            "certificate_number",
            "source",
            "is_current",
            "updated_at",
        )


class EnrolmentResource(KindResource):
    """Enrolments in the academy's sessions, exported only."""

    kind = "enrolments"

    iin = Column("servant__iin", code="iin", label=gettext_lazy("IIN"), imported=False)
    last_name = Column(
        "servant__last_name", code="last_name", label=gettext_lazy("last name"), imported=False
    )
    programme_code = Column(
        "session__programme__code",
        code="programme_code",
        label=gettext_lazy("programme code"),
        imported=False,
    )
    starts_on = Column(
        "session__starts_on", code="starts_on", label=gettext_lazy("starts on"), imported=False
    )
    status = Column(
        "status",
        code="status",
        label=gettext_lazy("status"),
        widget=WordsWidget(EnrolmentStatus.choices),
        imported=False,
    )
    requested_at = Column(
        "requested_at", code="requested_at", label=gettext_lazy("requested at"), imported=False
    )
    attended_hours = Column(
        "attended_hours",
        code="attended_hours",
        label=gettext_lazy("attended hours"),
        imported=False,
    )
    updated_at = Column(
        "updated_at", code="updated_at", label=gettext_lazy("updated at"), imported=False
    )

    class Meta:
        model = Enrolment
        fields = (
            "iin",
            "last_name",
            "programme_code",
            "starts_on",
            "status",
            "requested_at",
            "attended_hours",
            "updated_at",
        )
