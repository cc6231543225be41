"""Import/export kind of this app: the competitions register (core.resources explains how a
kind is built)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.resources import LINE as LINE_COLUMN
from core.resources import Column, RowInvalid
from core.widgets import DateWidget, IinWidget, TextWidget, WordsWidget
from people.importing import AgencyScopedResource
from people.resources import servants_by_iin
from people.widgets import AgencyWidget, CategoryWidget

from .models import Competition, CompetitionKind, CompetitionOutcome
from .services import COMPETITION_UPDATE_FIELDS, competitions_import


def _iin_or_none(value):
    try:
        return IinWidget().clean(value)
    except ValueError:
        return None


class CompetitionResource(AgencyScopedResource):
    """Competitions, keyed by the state body, the position, its category and the day. The
    kind, the outcome and the winner may change; a winner is a civil servant the user may
    import for, named by IIN."""

    kind = "competitions"

    agency = Column(
        "agency",
        code="agency_code",
        label=gettext_lazy("BIN"),
        aliases=("Код органа", "Органның коды", "БИН", "БСН"),
        widget=AgencyWidget(),
    )
    position = Column(
        "position_title",
        code="position",
        label=gettext_lazy("position"),
        aliases=("Должность", "Лауазым"),
        widget=TextWidget(empty=gettext_lazy("the position is empty"), max_length=255),
    )
    category = Column(
        "category",
        code="category",
        label=gettext_lazy("category"),
        aliases=("Категория", "Санат"),
        widget=CategoryWidget(),
    )
    held_on = Column(
        "held_on",
        code="held_on",
        label=gettext_lazy("held on"),
        aliases=("Дата проведения", "Өткізілген күні"),
        widget=DateWidget(),
    )
    competition_kind = Column(
        "kind",
        code="kind",
        label=gettext_lazy("kind"),
        aliases=("Вид", "Түрі"),
        widget=WordsWidget(
            CompetitionKind.choices,
            aliases={
                CompetitionKind.GENERAL: ("общий", "жалпы"),
                CompetitionKind.INTERNAL: ("внутренний", "ішкі"),
            },
            hint=gettext_lazy("use general/общий or internal/внутренний"),
        ),
    )
    outcome = Column(
        "outcome",
        code="outcome",
        label=gettext_lazy("outcome"),
        aliases=("Итог", "Нәтижесі"),
        widget=WordsWidget(
            CompetitionOutcome.choices,
            aliases={
                CompetitionOutcome.PROMOTED: (
                    "назначен на вышестоящую",
                    "назначен на вышестоящую должность",
                    "жоғары тұрған лауазымға тағайындалды",
                ),
                CompetitionOutcome.APPOINTED: ("назначен", "тағайындалды"),
                CompetitionOutcome.FAILED: ("не состоялся", "өткізілмеді"),
            },
            hint=gettext_lazy("use promoted, appointed or failed (or the Russian wording)"),
        ),
    )
    winner_iin = Column(
        "winner",
        code="winner_iin",
        label=gettext_lazy("winner"),
        aliases=("ИИН победителя", "Жеңімпаздың ЖСН"),
        widget=IinWidget(lookup="iin"),
        required=False,
        readonly=True,
    )
    updated_at = Column(
        "updated_at", code="updated_at", label=gettext_lazy("updated at"), imported=False
    )

    class Meta:
        model = Competition
        fields = (
            "agency",
            "position",
            "category",
            "held_on",
            "competition_kind",
            "outcome",
            "winner_iin",
            "updated_at",
        )

    STORED = COMPETITION_UPDATE_FIELDS

    def preload(self, dataset):
        self._seen = {}
        winners = (
            dataset.get_col(dataset.headers.index("winner_iin"))
            if "winner_iin" in dataset.headers
            else []
        )
        self._winners = servants_by_iin({i for i in map(_iin_or_none, winners) if i})
        return {
            (agency_id, title.casefold(), category, held_on): (
                pk,
                agency_id,
                title,
                category,
                held_on,
                *stored,
            )
            for pk, agency_id, title, category, held_on, *stored in Competition.objects.values_list(
                "pk", "agency_id", "position_title", "category", "held_on", *self.STORED
            )
        }

    def row_key(self, row):
        try:
            agency = self.fields["agency"].clean(row)
            title = self.fields["position"].clean(row)
            category = self.fields["category"].clean(row)
            held_on = self.fields["held_on"].clean(row)
        except (ValueError, KeyError):
            return None  # the columns say why
        return (agency.pk, title.casefold(), category, held_on)

    def instance_from_stored(self, values):
        pk, agency_id, title, category, held_on, *stored = values
        competition = Competition(
            pk=pk,
            agency_id=agency_id,
            position_title=title,
            category=category,
            held_on=held_on,
            **dict(zip(self.STORED, stored, strict=True)),
        )
        competition._state.adding = False
        competition._stored = tuple(stored)
        return competition

    def current_values(self, competition):
        return tuple(getattr(competition, name) for name in self.STORED)

    def clean_row(self, competition, row):
        self.check_agency(competition.agency_id, "agency_code")
        winner_id = None
        if row.get("winner_iin") not in (None, ""):
            iin = self.cell(row, "winner_iin")
            # The winner is scoped like the row: a servant of the user's state bodies.
            winner_id, _agency_id = self.person_in_scope(iin, self._winners, "winner_iin")
        if competition.outcome == CompetitionOutcome.FAILED and winner_id:
            raise RowInvalid("winner_iin", _("a competition that did not take place has no winner"))
        competition.winner_id = winner_id
        key = (
            competition.agency_id,
            competition.position_title.casefold(),
            competition.category,
            competition.held_on,
        )
        if key in self._seen:
            raise RowInvalid(
                "position",
                _("the same competition already appears on line %(line)s")
                % {"line": self._seen[key]},
            )
        self._seen[key] = row[LINE_COLUMN]

    def write(self, creates, updates):
        competitions_import(creates=creates, updates=updates, actor=self.user)
