"""The import engine (core.importing) limited to the state bodies the importing user may touch."""

from django.utils.translation import gettext as _

from core.importing import Importer, RowInvalid

from .models import Agency
from .scoping import agencies_visible_to


class AgencyScopedImporter(Importer):
    """An importer whose rows belong to state bodies: a row of a body outside the user's scope
    (or outside `agency_code`, when given) is an error of that row."""

    def prepare(self) -> None:
        self._allowed = self.allowed_agencies()

    def allowed_agencies(self) -> dict[int, Agency] | None:
        """None = every agency (the shell without --agency); else the ones rows may touch."""
        if self.user is None and not self.agency_code:
            return None
        queryset = agencies_visible_to(self.user) if self.user is not None else Agency.objects.all()
        if self.agency_code:
            queryset = queryset.filter(code=self.agency_code) | queryset.filter(
                bin=self.agency_code
            )
        return {a.pk: a for a in queryset}

    def check_agency(self, agency_id: int, column: str) -> None:
        allowed = self._allowed
        if allowed is not None and agency_id not in allowed:
            raise RowInvalid(column, _("this row belongs to a state body you may not import for"))
