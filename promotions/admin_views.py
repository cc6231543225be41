"""Back-office screens: run an eligibility check, the meritocracy dashboard, a rule dry run."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.routers import reporting_db
from core.backoffice import AdminPage
from core.form_widgets import DateInput
from people.access_log import access_record
from people.authorization import (
    may_check_eligibility,
    may_dry_run_rules,
    may_record_appointment,
    may_view_meritocracy,
    require,
)
from people.categories import CATEGORY_CHOICES, category_above
from people.choosers import use_servant_chooser
from people.models import AccessKind, Agency, CivilServant
from people.scoping import agencies_visible_to

from . import selectors, services
from .models import RuleSet


class CheckForm(forms.Form):
    servant = forms.ModelChoiceField(
        label=gettext_lazy("civil servant"),
        queryset=CivilServant.objects.none(),
        help_text=gettext_lazy("Search by surname, first name, IIN or state body."),
    )
    target_category = forms.ChoiceField(
        label=gettext_lazy("target category"),
        choices=[("", gettext_lazy("the next category up from the person's own"))]
        + CATEGORY_CHOICES,
        required=False,
        help_text=gettext_lazy(
            "Leave it to check a promotion one step up (C-O-3 for a C-O-4 position)."
        ),
    )
    as_of = forms.DateField(label=gettext_lazy("as of"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        use_servant_chooser(self.fields["servant"], user)


def default_target(servant: CivilServant) -> tuple[str | None, str]:
    """The category a check is run for when none is chosen, and the words that say why: the
    next category up from the person's own, or their own at the top of its group."""
    own = servant.position.category if servant.position_id else ""
    above = category_above(own)
    if above:
        return above, _("the next category up from %(own)s") % {"own": own}
    if own:
        return None, _("%(own)s is the highest category of its group: checked for it") % {
            "own": own
        }
    return None, _("the person has no position with a category")


class AppointmentForm(forms.Form):
    """Recording an appointment under the merit rule, from an eligible check's result. Who
    may record whom is the service's rule (promotions.appointments), not this form's."""

    servant = forms.ModelChoiceField(queryset=CivilServant.objects.all(), widget=forms.HiddenInput)
    position_title = forms.CharField(label=gettext_lazy("position appointed to"), max_length=255)
    category = forms.ChoiceField(label=gettext_lazy("category"), choices=CATEGORY_CHOICES)
    appointed_on = forms.DateField(label=gettext_lazy("appointed on"), widget=DateInput())


class EligibilityCheckView(AdminPage):
    template_name = "promotions/admin/check.html"
    page_title = gettext_lazy("Eligibility check")
    header_icon = "success"

    def dispatch(self, request, *args, **kwargs):
        require(may_check_eligibility(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        initial = {"as_of": timezone.localdate()}
        return self.render_to_response(
            self.get_context_data(form=CheckForm(initial=initial, user=request.user))
        )

    def post(self, request, *args, **kwargs):
        form = CheckForm(request.POST, user=request.user)
        context = {"form": form}
        if form.is_valid():
            target = form.cleaned_data["target_category"] or None
            if target is None:
                target, context["target_note"] = default_target(form.cleaned_data["servant"])
            try:
                context["check"] = services.eligibility_check_record(
                    servant=form.cleaned_data["servant"],
                    target_category=target,
                    as_of=form.cleaned_data["as_of"],
                    actor=request.user,
                )
            except services.NoRuleSet as exc:
                form.add_error("as_of", str(exc))
            else:
                check = context["check"]
                access_record(
                    actor=request.user, what=AccessKind.ELIGIBILITY_CHECK, servant=check.servant
                )
                servant = form.cleaned_data["servant"]
                if check.eligible and may_record_appointment(request.user, servant):
                    context["appointment_form"] = AppointmentForm(
                        initial={
                            "servant": check.servant_id,
                            "category": check.target_category,
                            "appointed_on": check.as_of,
                        }
                    )
        return self.render_to_response(self.get_context_data(**context))


class MeritAppointmentView(AdminPage):
    """POST only: record an appointment under the merit rule (the check screen's form)."""

    template_name = "promotions/admin/check.html"
    page_title = gettext_lazy("Eligibility check")
    header_icon = "success"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        require(may_check_eligibility(request.user))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        from .appointments import merit_appointment_record

        form = AppointmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = merit_appointment_record(
                    servant=data["servant"],
                    position_title=data["position_title"],
                    category=data["category"],
                    appointed_on=data["appointed_on"],
                    actor=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                messages_list = getattr(exc, "messages", None) or [str(exc)]
                form.add_error(None, " ".join(messages_list))
            else:
                messages.success(
                    request,
                    _("Recorded: %(name)s appointed under the merit rule on %(date)s.")
                    % {
                        "name": appointment.servant.full_name,
                        "date": appointment.appointed_on.strftime("%d.%m.%Y"),
                    },
                )
                return redirect("promotions_check")
        context = {
            "form": CheckForm(user=request.user, initial={"as_of": timezone.localdate()}),
            "appointment_form": form,
        }
        return self.render_to_response(self.get_context_data(**context), status=400)


def _bar_rows(rows: list[tuple[str, float | None]]) -> list[dict]:
    """Rows for a server-rendered SVG bar chart (no scripts, no CDN)."""
    return [
        {"label": label, "value": value, "width": round(value or 0, 1)} for label, value in rows
    ]


class MeritocracyDashboardView(AdminPage):
    template_name = "promotions/admin/dashboard.html"
    page_title = gettext_lazy("Meritocracy")
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        require(may_view_meritocracy(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Who sees which state bodies: the primary. The figures: the replica, when there is one.
        agencies = list(agencies_visible_to(self.request.user))
        all_agencies = Agency.objects.count()
        with reporting_db():
            years = selectors.competition_years(
                agencies=None if len(agencies) == all_agencies else agencies
            )
            start, end, period_note = self._period(years)
            rows, region = self._figures(agencies, all_agencies, start, end)
        before_start, before_end = selectors.year_earlier(start, end)
        held = region["level"].held if region else sum(r["level"].held for r in rows)
        context.update(
            start=start,
            end=end,
            before_start=before_start,
            before_end=before_end,
            period_note=period_note,
            years=[
                {"year": y, "start": datetime.date(y, 1, 1), "end": datetime.date(y, 12, 31)}
                for y in years
            ],
            register_start=datetime.date(years[0], 1, 1) if years else None,
            register_end=datetime.date(years[-1], 12, 31) if years else None,
            held=held,
            rows=rows,
            region=region,
            level_bars=_bar_rows([(r["agency"].name, r["level"].percent) for r in rows]),
            coverage_bars=_bar_rows([(r["agency"].name, r["coverage"]) for r in rows]),
        )
        return context

    def _period(self, years: list[int]) -> tuple[datetime.date, datetime.date, str]:
        """The period asked for; else this year so far when the register holds competitions
        of this year, else the latest year that has some (a dashboard opened in January, or
        before this year's competitions are imported, shows figures, not zeros)."""
        today = timezone.localdate()
        try:
            start = datetime.date.fromisoformat(self.request.GET.get("start", ""))
            end = datetime.date.fromisoformat(self.request.GET.get("end", ""))
        except ValueError:
            pass
        else:
            if start > end:
                start, end = end, start
            return start, end, _("the period chosen")
        if not years:
            return (
                datetime.date(today.year, 1, 1),
                today,
                _("this year so far: the register holds no competitions yet"),
            )
        if years[-1] >= today.year:
            return datetime.date(today.year, 1, 1), today, _("this year so far")
        latest = years[-1]
        return (
            datetime.date(latest, 1, 1),
            datetime.date(latest, 12, 31),
            _("%(year)s, the latest year with competitions in the register") % {"year": latest},
        )

    def _figures(self, agencies, all_agencies, start, end):
        """A constant number of queries whatever the number of state bodies."""
        before_start, before_end = selectors.year_earlier(start, end)
        rows = [
            {"agency": f.agency, "level": f.level, "earlier": f.earlier, "merit": f.merit}
            for f in selectors.meritocracy_by_agency(agencies=agencies, start=start, end=end)
        ]
        # Coverage is read under the rule set in force on the period's last day; a period
        # that ends before the first rule set has none (shown as "—", not an error).
        in_force = services.RuleSet.objects.filter(effective_from__lte=end).exists()
        coverage = services.training_coverage(as_of=end) if in_force else {}
        for row in rows:
            met, total = coverage.get(row["agency"].pk, (0, 0))
            row["coverage"] = round(100 * met / total, 1) if total else None
        region = None
        if len(agencies) == all_agencies:
            region = {
                "level": selectors.meritocracy_level(start=start, end=end),
                "earlier": selectors.meritocracy_level(start=before_start, end=before_end),
                "merit": selectors.merit_appointments(start=start, end=end),
                "monitoring": selectors.monitoring_figures(start=start, end=end),
            }
        return rows, region


class DryRunView(AdminPage):
    template_name = "promotions/admin/dry_run.html"
    page_title = gettext_lazy("Dry run of a rule set")
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        require(may_dry_run_rules(request.user))
        self.rule_set = get_object_or_404(RuleSet, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with reporting_db():  # a report: the replica, when there is one
            total, changes = services.ruleset_dry_run(rule_set=self.rule_set)
            names = {
                s.pk: s
                for s in CivilServant.objects.filter(
                    pk__in=[c.servant_id for c in changes]
                ).select_related("agency")
            }
        # The page names the people whose eligibility would change: one bulk read.
        access_record(
            actor=self.request.user,
            what=AccessKind.ELIGIBILITY_DRY_RUN,
            filters={"rule_set": self.rule_set.pk},
            row_count=len(changes),
            agency_ids={servant.agency_id for servant in names.values()},
        )
        context.update(
            rule_set=self.rule_set, total=total, changes=[(names[c.servant_id], c) for c in changes]
        )
        return context
