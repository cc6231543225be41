"""Agency scoping for Wagtail admin viewsets: every list, form and object URL goes through
people.scoping, so an HR officer cannot reach another agency's rows by typing a URL."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from core.backoffice import ScopedModelViewSet

from .choosers import use_servant_chooser
from .importing import registered_elsewhere_message
from .models import CivilServant, Position
from .scoping import agencies_visible_to, agency_scope_queryset, scope_queryset


class ServantScopedViewSet(ScopedModelViewSet):
    servant_path = ""

    def scope_rows(self, queryset, user):
        return scope_queryset(queryset, user, servant_path=self.servant_path)


class AgencyScopedViewSet(ScopedModelViewSet):
    agency_path = "agency"

    def scope_rows(self, queryset, user):
        return agency_scope_queryset(queryset, user, agency_path=self.agency_path)


class ScopedAdminForm(WagtailAdminModelForm):
    """Limits choice fields pointing at agencies, positions and servants to the user's scope."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None:
            return
        agencies = agencies_visible_to(for_user)
        if "agency" in self.fields:
            self.fields["agency"].queryset = agencies
        if "position" in self.fields:
            self.fields["position"].queryset = Position.objects.filter(agency__in=agencies)
        for name in ("servant", "winner"):  # people: the chooser, searching the user's scope
            if name in self.fields:
                use_servant_chooser(self.fields[name], for_user)


class CivilServantAdminForm(ScopedAdminForm):
    """A person's IIN already registered answers the same as the imports do, whoever's it is
    (one bit, unavoidable where people are registered: no name, no state body)."""

    def clean_iin(self):
        iin = self.cleaned_data["iin"]
        taken = CivilServant.objects.filter(iin=iin)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(registered_elsewhere_message(iin))
        return iin
