"""The import kinds (core.resources) limited to the state bodies the importing user may touch."""

from django.utils.translation import gettext as _

from core.resources import KindResource, RowInvalid

from .authorization import may_import, require
from .models import Agency
from .scoping import agencies_visible_to


def unknown_person_message(iin: str) -> str:
    """The one answer for "nobody has this IIN" and "this IIN is not yours to touch"."""
    return _("no civil servant with IIN %(iin)s in the state bodies you may import for") % {
        "iin": iin
    }


def registered_elsewhere_message(iin: str) -> str:
    """A new person whose IIN is already registered (IINs are unique nationwide, so this one
    bit cannot be hidden from whoever registers people): no name, no state body."""
    return _(
        "IIN %(iin)s is already registered. If this person moved to your state body, ask the "
        "academy to transfer them."
    ) % {"iin": iin}


class AgencyScopedResource(KindResource):
    """A kind whose rows belong to state bodies: a row of a body outside the user's scope
    (or outside `agency_code`, when given) is an error of that row.

    A user without the permission to import this kind (people.authorization.may_import) gets
    PermissionDenied before any row is read; the screens and the API ask the same policy
    first, this is the last line. Every person a row names (the row's servant, a competition's
    winner) is looked up with `person_in_scope`, so an IIN the user may not touch and an IIN
    nobody has get the same answer."""

    def check_allowed(self) -> None:
        if self.user is not None:
            require(may_import(self.user, self.kind))
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

    def person_in_scope(self, iin: str, people: dict, column: str) -> tuple[int, int]:
        """(servant id, agency id) of the person with `iin` in `people` (`servants_by_iin`),
        when the user may import for their state body. Otherwise the same error whether nobody
        has this IIN or someone of another state body does: no answer tells them apart."""
        found = people.get(iin)
        if found is None or (self._allowed is not None and found[1] not in self._allowed):
            raise RowInvalid(column, unknown_person_message(iin))
        return found

    def may_touch_agency(self, agency_id: int) -> bool:
        return self._allowed is None or agency_id in self._allowed

    def check_agency(self, agency_id: int, column: str) -> None:
        if not self.may_touch_agency(agency_id):
            raise RowInvalid(column, _("this row belongs to a state body you may not import for"))
