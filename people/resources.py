"""Import/export kinds of this app: civil servants and quarterly performance ratings
(core.resources explains how a kind is built; docs/imports.md how to add a column)."""

from contextlib import nullcontext

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.resources import LINE as LINE_COLUMN
from core.resources import Column, RowInvalid, stored_values
from core.tabular import code_cell
from core.widgets import DateWidget, EmailWidget, IinWidget, IntegerWidget, TextWidget, WordsWidget

from .importing import AgencyScopedResource, registered_elsewhere_message
from .models import (
    Agency,
    CivilServant,
    PerformanceRating,
    Position,
    Rating,
)
from .ratings import VIA_API, VIA_IMPORT, rating_changes_record
from .services import SERVANT_STORED, new_servants_stream, ratings_import, servants_import
from .widgets import AgencyWidget, CategoryWidget


def agencies_by_code() -> dict[str, Agency]:
    """Every state body under its BIN and its short code (case-insensitive): files use either."""
    agencies = {}
    for agency in Agency.objects.all():
        agencies[agency.bin] = agency
        agencies[agency.code.casefold()] = agency
    return agencies


def _iin_or_none(value):
    try:
        return IinWidget().clean(value)
    except ValueError:
        return None


class ServantResource(AgencyScopedResource):
    """Civil servants, keyed by IIN. A row names the position by its title and category in the
    row's state body; a position not yet registered there is created with the import."""

    kind = "servants"

    iin = Column(
        "iin", code="iin", label=gettext_lazy("IIN"), aliases=("ИИН", "ЖСН"), widget=IinWidget()
    )
    last_name = Column(
        "last_name",
        code="last_name",
        label=gettext_lazy("last name"),
        aliases=("Фамилия", "Тегі"),
        widget=TextWidget(empty=gettext_lazy("the last name is empty"), max_length=100),
    )
    first_name = Column(
        "first_name",
        code="first_name",
        label=gettext_lazy("first name"),
        aliases=("Имя", "Аты"),
        widget=TextWidget(empty=gettext_lazy("the first name is empty"), max_length=100),
    )
    middle_name = Column(
        "middle_name",
        code="middle_name",
        label=gettext_lazy("patronymic"),
        aliases=("Отчество", "Әкесінің аты"),
        widget=TextWidget(max_length=100),
        required=False,
    )
    email = Column(
        "email",
        code="email",
        label=gettext_lazy("e-mail"),
        aliases=("Email", "E-mail", "Электронная почта", "Электрондық пошта"),
        widget=EmailWidget(),
        required=False,
    )
    agency = Column(
        "agency",
        code="agency_code",
        label=gettext_lazy("BIN"),
        aliases=("Код органа", "Органның коды", "БИН", "БСН"),
        widget=AgencyWidget(),
    )
    position = Column(
        "position__title_ru",
        code="position",
        label=gettext_lazy("position"),
        aliases=("Должность", "Лауазым", "Лауазымы"),
        widget=TextWidget(empty=gettext_lazy("the position is empty"), max_length=255),
        readonly=True,
    )
    category = Column(
        "position__category",
        code="category",
        label=gettext_lazy("category"),
        aliases=("Категория", "Санат", "Санаты"),
        widget=CategoryWidget(),
        readonly=True,
    )
    appointed_on = Column(
        "appointed_on",
        code="appointed_on",
        label=gettext_lazy("appointed on"),
        aliases=("Дата назначения", "Тағайындалған күні"),
        widget=DateWidget(),
    )
    pseudonym = Column(
        "pseudonym", code="pseudonym", label=gettext_lazy("pseudonymous id"), imported=False
    )
    updated_at = Column(
        "updated_at", code="updated_at", label=gettext_lazy("updated at"), imported=False
    )

    class Meta:
        model = CivilServant
        import_id_fields = ("iin",)
        fields = (
            "pseudonym",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "email",
            "agency",
            "position",
            "category",
            "appointed_on",
            "updated_at",
        )

    STORED = SERVANT_STORED  # the service reads `_stored` in this order (the trail's old values)
    _stream = None

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        """A real run streams each checked new servant to the database while the next rows
        are checked (people.services.NewServantsStream; 100k servants: ~2 s less)."""
        self._stream = None if dry_run or not using_transactions else new_servants_stream()
        try:
            with self._stream or nullcontext():
                return super().import_data_inner(
                    dataset, dry_run, raise_errors, using_transactions, *args, **kw
                )
        finally:
            self._stream = None

    def preload(self, dataset):
        self._seen = {}
        self._positions = {
            (p.agency_id, p.title_ru.casefold(), p.category): p.pk
            for p in Position.objects.all().only("pk", "agency_id", "title_ru", "category")
        }
        self._new_positions = {}
        # The IINs as written (code_cell), unchecked: the column's widget checks each one
        # once, and reports a bad one whatever it matches here.
        iins = set(map(code_cell, dataset.get_col(dataset.headers.index("iin"))))
        iins.discard("")
        found = stored_values(CivilServant.objects.all(), "iin", iins, "pk", "iin", *self.STORED)
        if self._stream is not None:
            self._stream.reserve(len(iins) - len(found))  # at most this many new servants
        return {values[1]: values for values in found}

    def row_key(self, row):
        return code_cell(row.get("iin") or "")

    def instance_from_stored(self, values):
        pk, iin, *stored = values
        servant = CivilServant(pk=pk, iin=iin, **dict(zip(self.STORED, stored, strict=True)))
        servant._state.adding = False
        servant._stored = tuple(stored)
        return servant

    def current_values(self, servant):
        return tuple(getattr(servant, name) for name in self.STORED)

    def clean_row(self, servant, row):
        iin = servant.iin
        if iin in self._seen:
            raise RowInvalid(
                "iin",
                _("IIN %(iin)s already appeared on line %(line)s.")
                % {"iin": iin, "line": self._seen[iin]},
            )
        self._seen[iin] = row[LINE_COLUMN]
        if servant.pk is not None and not self.may_touch_agency(servant._stored[4]):
            # An officer may only touch people who are already theirs (or new).
            raise RowInvalid("iin", registered_elsewhere_message(iin))
        self.check_agency(servant.agency_id, "agency_code")
        title = self.cell(row, "position")
        category = self.cell(row, "category")
        key = (servant.agency_id, title.casefold(), category)
        position_id = self._positions.get(key)
        if position_id is None:
            servant.position_id = None
            servant._new_position = self._new_positions.setdefault(
                key,
                Position(
                    agency_id=servant.agency_id, title_ru=title, title_kk=title, category=category
                ),
            )
        else:
            servant.position_id = position_id

    def unchanged(self, servant) -> bool:
        return not hasattr(servant, "_new_position") and super().unchanged(servant)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if is_create and self._stream is not None:
            self._stream.send(instance)

    def write(self, creates, updates):
        if self._stream is not None:
            self._stream.end()
        servants_import(
            creates=creates,
            updates=updates,
            new_positions=list(self._new_positions.values()),
            actor=self.user,
        )


_RATING_WORDS = {
    Rating.EFFECTIVE: ("effective", "эффективно", "тиімді"),
    Rating.PROPER: ("proper", "надлежащим образом", "тиісінше"),
    Rating.SATISFACTORY: ("satisfactory", "удовлетворительно", "қанағаттанарлық"),
    Rating.UNSATISFACTORY: ("unsatisfactory", "неудовлетворительно", "қанағаттанарлықсыз"),
}


def servants_by_iin(iins) -> dict[str, tuple[int, int]]:
    """IIN → (servant id, agency id), in chunks (no per-row queries)."""
    found = stored_values(CivilServant.objects.all(), "iin", iins, "iin", "pk", "agency_id")
    return {iin: (pk, agency_id) for iin, pk, agency_id in found}


class RatingResource(AgencyScopedResource):
    """Quarterly performance ratings, keyed by the person's IIN, the year and the quarter."""

    kind = "ratings"
    via = VIA_IMPORT

    iin = Column(
        "servant",
        code="iin",
        label=gettext_lazy("IIN"),
        aliases=("ИИН", "ЖСН"),
        widget=IinWidget(lookup="iin"),
        readonly=True,
    )
    last_name = Column(
        "servant__last_name",
        code="last_name",
        label=gettext_lazy("last name"),
        imported=False,
    )
    year = Column(
        "year",
        code="year",
        label=gettext_lazy("year"),
        aliases=("Год", "Жыл"),
        widget=IntegerWidget(low=2000, high=2100),
    )
    quarter = Column(
        "quarter",
        code="quarter",
        label=gettext_lazy("quarter"),
        aliases=("Квартал", "Тоқсан"),
        widget=IntegerWidget(low=1, high=4),
    )
    rating = Column(
        "rating",
        code="rating",
        label=gettext_lazy("rating"),
        aliases=("Оценка", "Бағалау"),
        widget=WordsWidget(
            Rating.choices,
            aliases={
                Rating.EFFECTIVE: ("эффективно", "тиімді"),
                Rating.PROPER: ("надлежащим образом", "тиісінше"),
                Rating.SATISFACTORY: ("удовлетворительно", "қанағаттанарлық"),
                Rating.UNSATISFACTORY: ("неудовлетворительно", "қанағаттанарлықсыз"),
            },
            prefixes=(
                "выполняет функциональные обязанности",
                "функционалдық міндеттерін",
                "performs functional duties",
            ),
            suffixes=(" орындайды",),
            hint=gettext_lazy(
                "%(value)r is not a rating (effective, proper, satisfactory, unsatisfactory, "
                "or the Russian or Kazakh wording)."
            ),
        ),
    )
    updated_at = Column(
        "updated_at", code="updated_at", label=gettext_lazy("updated at"), imported=False
    )

    class Meta:
        model = PerformanceRating
        fields = ("iin", "last_name", "year", "quarter", "rating", "updated_at")

    def preload(self, dataset):
        self._seen = {}
        self._written = []
        iins = dataset.get_col(dataset.headers.index("iin")) if "iin" in dataset.headers else []
        self._servants = servants_by_iin({i for i in map(_iin_or_none, iins) if i})
        ids = [pk for pk, _agency in self._servants.values()]
        stored = {}
        for start in range(0, len(ids), 5000):
            for pk, servant_id, year, quarter, rating in PerformanceRating.objects.filter(
                servant_id__in=ids[start : start + 5000]
            ).values_list("pk", "servant_id", "year", "quarter", "rating"):
                stored[(servant_id, year, quarter)] = (pk, servant_id, year, quarter, rating)
        return stored

    def row_key(self, row):
        found = self._servants.get(_iin_or_none(row.get("iin")))
        try:
            year = self.fields["year"].clean(row)
            quarter = self.fields["quarter"].clean(row)
        except (ValueError, KeyError):
            return None
        return None if found is None else (found[0], year, quarter)

    def instance_from_stored(self, values):
        pk, servant_id, year, quarter, rating = values
        instance = PerformanceRating(
            pk=pk, servant_id=servant_id, year=year, quarter=quarter, rating=rating
        )
        instance._state.adding = False
        instance._stored = (rating,)
        return instance

    def current_values(self, instance):
        return (instance.rating,)

    def clean_row(self, instance, row):
        iin = self.cell(row, "iin")
        servant_id, _agency_id = self.person_in_scope(iin, self._servants, "iin")
        instance.servant_id = servant_id
        key = (servant_id, instance.year, instance.quarter)
        if key in self._seen:
            raise RowInvalid(
                "quarter",
                _("this quarter is already rated on line %(line)s") % {"line": self._seen[key]},
            )
        self._seen[key] = row[LINE_COLUMN]

    def write(self, creates, updates):
        self._written = ratings_import(creates=creates, updates=updates)

    def after_batch(self):
        # Per person: old → new, the batch and the actor (bulk writes bypass auditlog).
        rating_changes_record(
            changes=self._written, actor=self.user, batch=self.batch, via=self.via
        )


class ApiRatingResource(RatingResource):
    """`POST /api/v1/ratings/`: the same kind; its audit entries say they came by the API."""

    via = VIA_API
