"""Back-office screens of training plans: the state body's plan for a year (HR), and the
academy's demand, sessions from it and plan against actual. Each calls services or selectors."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.backoffice import AdminPage
from core.form_widgets import DateInput
from core.formats import quarter_label
from courses.models import Programme, ProgrammeKind, SessionLanguage
from people.authorization import require
from people.models import CivilServant
from people.scoping import agencies_visible_to

from . import selectors, services
from .models import PlanLine, PlanningYear, TrainingPlan


def _year_asked(value) -> int:
    """A year from the query or a form (?year=YYYY); 0, which matches no planning year, when
    it is missing or not a number (a mistyped address then opens the default year)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _quarter_choices(year: int):
    return [(q, quarter_label(year, q)) for q in (1, 2, 3, 4)]


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        return _("%(code)s %(title)s (%(hours)s ac. h)") % {
            "code": programme.code,
            "title": programme.title,
            "hours": programme.academic_hours,
        }


class ServantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, servant):
        return servant.full_name


class LineForm(forms.Form):
    programme = ProgrammeChoiceField(
        queryset=Programme.objects.none(),
        required=False,
        label=gettext_lazy("Programme"),
        help_text=gettext_lazy("Or leave it empty and give the kind and hours below."),
    )
    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind of training"))
    hours = forms.IntegerField(
        required=False, min_value=1, max_value=2000, label=gettext_lazy("Academic hours")
    )
    quarter = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Quarter"))
    people_count = forms.IntegerField(min_value=1, label=gettext_lazy("Number of people"))
    servants = ServantChoiceField(
        queryset=CivilServant.objects.none(),
        required=False,
        label=gettext_lazy("Named people (where known)"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, agency, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(live=True).order_by("code")
        self.fields["programme"].empty_label = _("— kind and hours instead —")
        self.fields["kind"].choices = [("", "—"), *ProgrammeKind.choices]
        self.fields["quarter"].choices = _quarter_choices(year)
        # Only the plan's state body's people: anybody else is not even a choice.
        self.fields["servants"].queryset = CivilServant.objects.filter(agency=agency).order_by(
            "last_name", "first_name"
        )


def _line_kwargs(data: dict) -> dict:
    return {
        "programme": data["programme"],
        "kind": data["kind"] or "",
        "hours": data["hours"],
        "quarter": data["quarter"],
        "people_count": data["people_count"],
        "servants": list(data["servants"]),
    }


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PlanView(AdminPage):
    """A state body's plan for a year: its lines with plan against actual, a form to add or
    change one line, and the submit button."""

    template_name = "plans/admin/plan.html"
    page_title = gettext_lazy("Training plan")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        require(services.may_plan(request.user))
        return super().dispatch(request, *args, **kwargs)

    def choose(self, params):
        """The state body and the year the page is about (from the query or the form)."""
        agencies = agencies_visible_to(self.request.user).order_by("name_ru")
        if params.get("agency"):
            # Another state body's plan is not found, whoever asks for it by its id.
            agency = (
                agencies.filter(pk=str(params["agency"])).first()
                if str(params["agency"]).isdigit()
                else None
            )
            if agency is None:
                raise Http404
        else:
            agency = agencies.first()
        years = PlanningYear.objects.order_by("-year")
        year = years.filter(year=_year_asked(params.get("year"))).first() or (
            selectors.current_planning_year(timezone.localdate())
        )
        return agencies, agency, years, year

    def url(self, agency, year, **extra) -> str:
        query = {"agency": agency.pk, "year": year.year, **extra}
        return reverse("plans_plan") + "?" + urlencode(query)

    def get_context_data(self, form=None, editing=None, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        agencies, agency, years, year = self.choose(params)
        context.update(agencies=agencies, agency=agency, years=years, year=year)
        if agency is None or year is None:
            return context
        plan = TrainingPlan.objects.filter(agency=agency, year=year).first()
        lines = selectors.plan_lines(plan)
        actual = {
            (r.programme.pk if r.programme else None, r.kind, r.hours, r.quarter): r
            for r in selectors.plan_against_actual(year, agencies=[agency])
        }
        for line in lines:
            line.actual = actual.get((line.programme_id, line.kind, line.hours, line.quarter))
        if editing is None and self.request.GET.get("edit"):
            editing = next((x for x in lines if str(x.pk) == self.request.GET["edit"]), None)
        if form is None:
            initial = {}
            if editing is not None:
                initial = {
                    "programme": editing.programme_id,
                    "kind": editing.kind,
                    "hours": editing.hours,
                    "quarter": editing.quarter,
                    "people_count": editing.people_count,
                    "servants": [s.pk for s in editing.servants.all()],
                }
            form = LineForm(initial=initial, agency=agency, year=year.year)
        locked = year.is_locked()
        context.update(
            plan=plan,
            lines=lines,
            form=form,
            editing=editing,
            locked=locked,
            may_change=not locked or services.may_manage_plans(self.request.user),
            manager=services.may_manage_plans(self.request.user),
            planned_total=sum(x.people_count for x in lines),
            here=self.url(agency, year),
        )
        return context

    def post(self, request, *args, **kwargs):
        agencies, agency, years, year = self.choose(request.POST)
        if agency is None or year is None:
            raise PermissionDenied
        action = request.POST.get("action", "")
        plan = TrainingPlan.objects.filter(agency=agency, year=year).first()
        line = None
        if request.POST.get("line"):
            line = get_object_or_404(PlanLine, pk=request.POST["line"], plan=plan)
        try:
            if action == "submit" and plan is not None:
                services.plan_submit(actor=request.user, plan=plan)
                messages.success(
                    request,
                    _("The training plan of %(agency)s for %(year)s is submitted.")
                    % {"agency": agency.name, "year": year.year},
                )
            elif action == "remove" and line is not None:
                services.plan_line_remove(actor=request.user, line=line)
                messages.success(request, _("The line is removed."))
            else:
                form = LineForm(request.POST, agency=agency, year=year.year)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form, editing=line))
                try:
                    if line is not None:
                        services.plan_line_update(
                            actor=request.user, line=line, **_line_kwargs(form.cleaned_data)
                        )
                        messages.success(request, _("The line is saved."))
                    else:
                        services.plan_line_add(
                            actor=request.user,
                            agency=agency,
                            planning_year=year,
                            **_line_kwargs(form.cleaned_data),
                        )
                        messages.success(request, _("The line is added."))
                except ValidationError as error:
                    _add_errors(form, error)
                    return self.render_to_response(self.get_context_data(form=form, editing=line))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not change this plan."))
        return redirect(self.url(agency, year))


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label=gettext_lazy("Year"))
    submission_deadline = forms.DateField(
        label=gettext_lazy("Submission deadline"),
        widget=DateInput(),
    )


class DemandView(AdminPage):
    """The academy: the year's deadline and lock, the demand per programme and quarter with
    the state bodies behind each figure, and plan against actual per state body."""

    template_name = "plans/admin/demand.html"
    page_title = gettext_lazy("Training demand")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require(services.may_manage_plans(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, year_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        years = PlanningYear.objects.order_by("-year")
        year = years.filter(year=_year_asked(self.request.GET.get("year"))).first() or (
            selectors.current_planning_year(timezone.localdate())
        )
        context.update(years=years, year=year)
        if year_form is None:
            initial = (
                {"year": year.year, "submission_deadline": year.submission_deadline}
                if year
                else {
                    "year": timezone.localdate().year + 1,
                    "submission_deadline": datetime.date(timezone.localdate().year, 12, 1),
                }
            )
            year_form = YearForm(initial=initial)
        context["year_form"] = year_form
        if year is None:
            return context
        rows = selectors.demand(year)
        today = timezone.localdate()
        for row in rows:
            # A quarter already over gets no new sessions (they would start in the past).
            row.open = services.quarter_bounds(year.year, row.quarter)[1] >= today
            row.sessions_url = (
                reverse("plans_sessions_create")
                + "?"
                + urlencode({"year": year.year, "quarter": row.quarter, "row": row.key})
            )
        actual = selectors.plan_against_actual(year)
        context.update(
            rows=rows,
            total=sum(r.people for r in rows),
            missing=list(selectors.agencies_without_submitted_plan(year)),
            actual=actual,
            locked=year.is_locked(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "lock":
            year = get_object_or_404(PlanningYear, year=_year_asked(request.POST.get("year")))
            services.plan_year_lock(actor=request.user, planning_year=year)
            messages.success(
                request, _("The training plans for %(year)s are locked.") % {"year": year.year}
            )
            return redirect(reverse("plans_demand") + f"?year={year.year}")
        form = YearForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(year_form=form))
        year = services.planning_year_set(
            actor=request.user,
            year=form.cleaned_data["year"],
            submission_deadline=form.cleaned_data["submission_deadline"],
        )
        messages.success(
            request,
            _("Plans for %(year)s are collected until %(deadline)s.")
            % {"year": year.year, "deadline": date_format(year.submission_deadline, "d.m.Y")},
        )
        return redirect(reverse("plans_demand") + f"?year={year.year}")


class SessionsForm(forms.Form):
    programme = ProgrammeChoiceField(
        queryset=Programme.objects.none(), label=gettext_lazy("Programme")
    )
    count = forms.IntegerField(min_value=1, max_value=20, label=gettext_lazy("Number of sessions"))
    first_starts_on = forms.DateField(
        label=gettext_lazy("First session starts on"),
        widget=DateInput(),
    )
    days = forms.IntegerField(min_value=1, max_value=90, label=gettext_lazy("Days each"))
    every_days = forms.IntegerField(
        min_value=0,
        max_value=92,
        label=gettext_lazy("Next session starts after (days)"),
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=1000, label=gettext_lazy("Seats in each session")
    )
    language = forms.ChoiceField(
        choices=SessionLanguage.choices, label=gettext_lazy("Language of instruction")
    )
    location_kk = forms.CharField(
        required=False, max_length=255, label=gettext_lazy("Location (Kazakh)")
    )
    location_ru = forms.CharField(
        required=False, max_length=255, label=gettext_lazy("Location (Russian)")
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class SessionsCreateView(AdminPage):
    """Sessions for one demand row (programme or kind and hours, quarter) in one step."""

    template_name = "plans/admin/sessions_create.html"
    page_title = gettext_lazy("Sessions from the demand")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        require(services.may_manage_plans(request.user))
        params = request.POST if request.method == "POST" else request.GET
        self.year = get_object_or_404(PlanningYear, year=_year_asked(params.get("year")))
        try:
            self.quarter = int(params.get("quarter", ""))
        except ValueError:
            self.quarter = 0
        if self.quarter not in (1, 2, 3, 4):
            raise PermissionDenied
        key = params.get("row", "")
        self.row = next(
            (r for r in selectors.demand(self.year) if r.key == key and r.quarter == self.quarter),
            None,
        )
        if self.row is None:
            messages.error(request, _("No state body plans this training in that quarter."))
            return redirect(reverse("plans_demand") + f"?year={self.year.year}")
        if self.row.programme is not None:
            self.programmes = Programme.objects.filter(pk=self.row.programme.pk)
        else:
            self.programmes = Programme.objects.filter(
                kind=self.row.kind, academic_hours__gte=self.row.hours or 0
            ).order_by("code")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            first, _last = services.quarter_bounds(self.year.year, self.quarter)
            today = timezone.localdate()
            if first < today:
                first = today + datetime.timedelta(days=14)
            # The first Monday from there: courses run from the start of a working week.
            first += datetime.timedelta(days=(7 - first.weekday()) % 7)
            form = SessionsForm(
                programmes=self.programmes,
                initial={
                    "programme": self.row.programme.pk if self.row.programme else None,
                    "count": 1,
                    "first_starts_on": first,
                    "days": 5,
                    "every_days": 14,
                    # The demand in one session; the form says how to split it.
                    "capacity": max(self.row.people, 1),
                    "language": SessionLanguage.BOTH,
                },
            )
        first, last = services.quarter_bounds(self.year.year, self.quarter)
        context.update(
            form=form,
            row=self.row,
            year=self.year,
            quarter_name=quarter_label(self.year.year, self.quarter),
            first=first,
            last=last,
            back=reverse("plans_demand") + f"?year={self.year.year}",
        )
        return context

    def post(self, request, *args, **kwargs):
        form = SessionsForm(request.POST, programmes=self.programmes)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            sessions = services.sessions_create_from_demand(
                actor=request.user,
                planning_year=self.year,
                quarter=self.quarter,
                **data,
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            ngettext(
                "%(count)s session of %(programme)s created, %(seats)s seats in all.",
                "%(count)s sessions of %(programme)s created, %(seats)s seats in all.",
                len(sessions),
            )
            % {
                "count": len(sessions),
                "programme": data["programme"].code,
                "seats": len(sessions) * data["capacity"],
            },
        )
        return redirect(reverse("plans_demand") + f"?year={self.year.year}")
