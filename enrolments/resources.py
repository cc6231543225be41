"""Import/export kinds of this app (core.resources explains how a kind is built):
- completions: completed trainings, imported as QualificationRecords (source "import") and
  exported as the current records in the same columns, so an export re-imports unchanged.
  Records are never edited: a changed row supersedes the current record;
- records and enrolments: exports only (every record, the history included; every enrolment).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import add_years
from core.i18n import language_of
from core.resources import LINE as LINE_COLUMN
from core.resources import Column, KindResource, RowInvalid
from core.tabular import ImportFileError, text_cell
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
from .models import NAME_LANGUAGES, Enrolment, EnrolmentStatus, QualificationRecord, RecordSource
from .results import provider_names, qualification_records_import

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
                for p in Programme.objects.only(
                    "pk", "code", "kind", "validity_years", "title_kk", "title_ru", "title_en"
                )
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


LANGUAGE_LABELS = {
    "title": {
        "kk": gettext_lazy("title (Kazakh)"),
        "ru": gettext_lazy("title (Russian)"),
        "en": gettext_lazy("title (English)"),
    },
    "provider": {
        "kk": gettext_lazy("provider (Kazakh)"),
        "ru": gettext_lazy("provider (Russian)"),
        "en": gettext_lazy("provider (English)"),
    },
}
TITLES = tuple(f"title_{code}" for code in NAME_LANGUAGES)
PROVIDERS = tuple(f"provider_{code}" for code in NAME_LANGUAGES)
NAMES = (*TITLES, *PROVIDERS)


def name_column(name: str, code: str, *, imported: bool = True) -> Column:
    """A record's title or provider in one language (`title_kk`…), optional in a file."""
    return Column(
        f"{name}_{code}",
        code=f"{name}_{code}",
        label=LANGUAGE_LABELS[name][code],
        widget=TextWidget(max_length=500 if name == "title" else 255),
        required=False,
        imported=imported,
    )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _first(*texts: str) -> str:
    return next((text for text in texts if text), "")


# What an import compares and a correction copies of the current record (as loaded).
_CURRENT = (
    "pk",
    "servant_id",
    *NAMES,
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
    equal to the current record (hours, certificate number, names) is unchanged; a changed one
    supersedes it (enrolments.results.qualification_records_import: the same trail as a
    correction in the admin), except for records the academy made from its own results.

    Titles and providers have a column per language (`title_kk`, `title_ru`, `title_en`,
    `provider_kk`…), which an export writes. A file of the earlier layout, one `programme_title`
    and one `provider` column, still imports: its text goes into the language it is written
    in (core.i18n.language_of), or a title equal to the programme's gives every language of
    the programme, and the academy's name every language of the branch's name."""

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
    title_kk = name_column("title", "kk")
    title_ru = name_column("title", "ru")
    title_en = name_column("title", "en")
    provider_kk = name_column("provider", "kk")
    provider_ru = name_column("provider", "ru")
    provider_en = name_column("provider", "en")
    # The earlier layout's one-language columns: import only, read by `names`.
    programme_title = Column(
        "title",
        code="programme_title",
        label=gettext_lazy("title"),
        aliases=("Программа", "Бағдарлама"),
        widget=TextWidget(max_length=500),
        required=False,
        readonly=True,
        export=False,
    )
    provider = Column(
        "provider",
        code="provider",
        label=gettext_lazy("provider"),
        aliases=("Организация", "Ұйым"),
        widget=TextWidget(empty=gettext_lazy("the provider is empty"), max_length=255),
        required=False,
        readonly=True,
        export=False,
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
            *TITLES,
            "provider",
            *PROVIDERS,
            "hours",
            "completed_on",
            "certificate_number",
        )

    def get_queryset(self):
        """An export holds the current records: what an import compares its rows with."""
        return QualificationRecord.objects.filter(is_current=True)

    def dataset_from_file(self, data: bytes, filename: str = ""):
        """A file must name the title and the provider, in one column or one per language."""
        dataset = super().dataset_from_file(data, filename)
        headers = set(dataset.headers)
        missing = [
            f"{legacy.code} / {legacy.aliases[0]}"
            for legacy, per_language in (
                (self.fields["programme_title"], TITLES),
                (self.fields["provider"], PROVIDERS),
            )
            if legacy.code not in headers and not headers.intersection(per_language)
        ]
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s.") % {"columns": "; ".join(missing)}
            )
        return dataset

    def preload(self, dataset):
        self._seen = {}
        self._academy = provider_names()
        iins = dataset.get_col(dataset.headers.index("iin")) if "iin" in dataset.headers else []
        self._servants = servants_by_iin({i for i in map(_iin_or_none, iins) if i})
        ids = [pk for pk, _agency in self._servants.values()]
        stored = {}
        for start in range(0, len(ids), 5000):
            for record in QualificationRecord.objects.filter(
                servant_id__in=ids[start : start + 5000], is_current=True
            ).only(*_CURRENT):
                # A row may name the training in any of its languages.
                titles = {_key(t) for t in (record.title_kk, record.title_ru, record.title_en)}
                providers = {
                    _key(p) for p in (record.provider_kk, record.provider_ru, record.provider_en)
                }
                for title in titles - {""}:
                    for provider in providers - {""}:
                        key = (record.servant_id, title, provider, record.completed_on)
                        stored.setdefault(key, record)
        return stored

    @staticmethod
    def key_of(record) -> tuple:
        return (
            record.servant_id,
            _key(_first(record.title_ru, record.title_kk, record.title_en)),
            _key(_first(record.provider_ru, record.provider_kk, record.provider_en)),
            record.completed_on,
        )

    def _cells(self, row, codes) -> str:
        """The first filled cell of `codes` the row has."""
        return _first(*(self.fields[code].clean(row) for code in codes if code in row))

    def row_key(self, row):
        found = self._servants.get(_iin_or_none(row.get("iin")))
        if found is None:
            return None
        try:
            title = self._cells(row, ("programme_title", "title_ru", "title_kk", "title_en"))
            if not title and row.get("programme_code"):
                programme = self.fields["programme_code"].clean(row)
                title = _first(programme.title_ru, programme.title_kk, programme.title_en)
            provider = self._cells(row, ("provider", "provider_ru", "provider_kk", "provider_en"))
            completed_on = self.fields["completed_on"].clean(row)
        except (ValueError, KeyError, AttributeError):
            return None  # the columns say why
        return (found[0], _key(title), _key(provider), completed_on)

    def instance_from_stored(self, current):
        record = QualificationRecord(
            pk=current.pk,
            servant_id=current.servant_id,
            completed_on=current.completed_on,
            hours=current.hours,
            certificate_number=current.certificate_number,
            **{name: getattr(current, name) for name in NAMES},
        )
        record._state.adding = False
        record._current = current
        record._stored = self.current_values(current)
        return record

    def current_values(self, record):
        return (record.hours, record.certificate_number, *(getattr(record, n) for n in NAMES))

    def names(self, record, row, programme) -> None:
        """The record's names from the row: the per-language columns (set by the library),
        then the earlier layout's one-language cells, then the programme's titles."""
        if "programme_title" in row:
            title = self.cell(row, "programme_title")
            programme_titles = (
                {_key(getattr(programme, n)) for n in TITLES} - {""} if programme else set()
            )
            if title and _key(title) in programme_titles:
                for name in TITLES:
                    setattr(record, name, getattr(programme, name))
            elif title:
                setattr(record, f"title_{language_of(title)}", title)
        if programme is not None and not any(getattr(record, n) for n in TITLES):
            for name in TITLES:
                setattr(record, name, getattr(programme, name))
        if text_cell(row.get("provider") or ""):  # empty: the per-language cells may name it
            provider = self.cell(row, "provider")
            if _key(provider) in {_key(n) for n in self._academy.values()} - {""}:
                for name in PROVIDERS:
                    setattr(record, name, self._academy[name])
            else:
                setattr(record, f"provider_{language_of(provider)}", provider)
        if not any(getattr(record, n) for n in TITLES):
            raise RowInvalid(
                self._column(row, "programme_title", TITLES), _("the programme title is empty")
            )
        if not any(getattr(record, n) for n in PROVIDERS):
            raise RowInvalid(self._column(row, "provider", PROVIDERS), _("the provider is empty"))

    @staticmethod
    def _column(row, legacy: str, per_language) -> str:
        return legacy if legacy in row else next((c for c in per_language if c in row), legacy)

    def clean_row(self, record, row):
        iin = self.cell(row, "iin")
        servant_id, _agency_id = self.person_in_scope(iin, self._servants, "iin")
        programme = self.fields["programme_code"].clean(row) if "programme_code" in row else None
        record.servant_id = servant_id
        self.names(record, row, programme)
        key = self.key_of(record)
        if key in self._seen:
            raise RowInvalid(
                self._column(row, "programme_title", TITLES),
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
    title_kk = name_column("title", "kk", imported=False)
    title_ru = name_column("title", "ru", imported=False)
    title_en = name_column("title", "en", imported=False)
    record_kind = Column(
        "kind",
        code="kind",
        label=gettext_lazy("kind"),
        widget=WordsWidget(ProgrammeKind.choices),
        imported=False,
    )
    provider_kk = name_column("provider", "kk", imported=False)
    provider_ru = name_column("provider", "ru", imported=False)
    provider_en = name_column("provider", "en", imported=False)
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
            *TITLES,
            "record_kind",
            *PROVIDERS,
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
