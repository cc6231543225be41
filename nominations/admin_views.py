"""Back-office screens of nominations: pick people and a session, preview, confirm; the
nominations sent and the withdrawal requests to decide. Each calls services or selectors."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.backoffice import AdminPage
from core.form_widgets import DateInput
from people.authorization import require
from people.categories import CATEGORY_CHOICES
from people.models import CivilServant
from people.scoping import agencies_visible_to, scope_queryset

from . import selectors, services
from .models import Assignment, AssignmentStatus

# How many people the selection list shows at once (a narrower filter shows the rest).
LIST_LIMIT = 300


class PeopleFilterForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("State body"))
    category = forms.ChoiceField(required=False, label=gettext_lazy("Position category"))
    due = forms.BooleanField(required=False, label=gettext_lazy("Training due only"))
    q = forms.CharField(required=False, label=gettext_lazy("Surname or first name"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_visible_to(user)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = _("All state bodies I see")
        self.fields["category"].choices = [("", _("Any category")), *CATEGORY_CHOICES]


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return _(
            "%(code)s %(title)s · %(start)s – %(end)s · free seats: %(free)s of %(capacity)s"
        ) % {
            "code": session.programme.code,
            "title": session.programme.title,
            "start": date_format(session.starts_on, "d.m.Y"),
            "end": date_format(session.ends_on, "d.m.Y"),
            "free": session.free_seats,
            "capacity": session.capacity,
        }


class NominateForm(forms.Form):
    servants = forms.ModelMultipleChoiceField(
        queryset=None,
        label=gettext_lazy("People"),
        error_messages={"required": gettext_lazy("Select at least one person.")},
    )
    session = SessionChoiceField(queryset=None, label=gettext_lazy("Session"))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the nomination"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    filters = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people the user may see: another state body's person is not even a choice.
        self.fields["servants"].queryset = selectors.nominable_servants(user)
        self.fields["session"].queryset = selectors.sessions_for_nomination(
            today=timezone.localdate()
        )

    def ordered_servants(self) -> list[CivilServant]:
        """The selected people in the order they were listed (the order of the form data)."""
        chosen = {s.pk: s for s in self.cleaned_data["servants"]}
        order = [int(pk) for pk in self.data.getlist("servants") if str(pk).isdigit()]
        return [chosen[pk] for pk in dict.fromkeys(order) if pk in chosen]


class PeoplePickerMixin:
    """The people chooser both screens share: filter by state body, category, training due
    and name (selectors.nominable_servants, selectors.training_due), and the page's own
    form (`form_class`) below the people found."""

    form_class = None

    def get_context_data(self, form=None, filters="", **kwargs):
        context = super().get_context_data(**kwargs)
        query = QueryDict(filters) if filters else self.request.GET
        filter_form = PeopleFilterForm(query or None, user=self.request.user)
        people, total, _due = self.people(filter_form) if query else ([], 0, {})
        form = form or self.form_class(
            user=self.request.user, initial={"filters": query.urlencode()}
        )
        selected = set(form.data.getlist("servants")) if form.is_bound else set()
        context.update(
            filter_form=filter_form,
            filtered=bool(query),
            people=people,
            total=total,
            limit=LIST_LIMIT,
            form=form,
            selected=selected,
        )
        return context

    def people(self, filter_form):
        if not filter_form.is_valid():
            return [], 0, {}
        data = filter_form.cleaned_data
        servants = selectors.nominable_servants(
            self.request.user,
            agency=data["agency"],
            category=data["category"],
            query=data["q"],
        )
        today = timezone.localdate()
        if data["due"]:
            # The rule reads every person of the filter; the list shows the first ones due.
            everyone = list(servants)
            due = selectors.training_due(everyone, as_of=today)
            people = [s for s in everyone if s.pk in due]
            total = len(people)
            people = people[:LIST_LIMIT]
        else:
            total = servants.count()
            people = list(servants[:LIST_LIMIT])
            due = selectors.training_due(people, as_of=today)
        for person in people:
            person.due = due.get(person.pk)
        return people, total, due


class NominateView(PeoplePickerMixin, AdminPage):
    """Pick people (filter by state body, category, training due), a session and a reason;
    preview what happens to each; confirm."""

    template_name = "nominations/admin/nominate.html"
    form_class = NominateForm
    page_title = gettext_lazy("Nominate people")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        require(services.may_nominate(request.user))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = NominateForm(request.POST, user=request.user)
        action = request.POST.get("action", "preview")
        filters = request.POST.get("filters", "")
        if action == "back" or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, filters=filters))
        servants = form.ordered_servants()
        session = form.cleaned_data["session"]
        reason = form.cleaned_data["reason"]
        try:
            if action == "confirm":
                plan = services.nominations_create(
                    actor=request.user, session=session, servants=servants, reason=reason
                )
            else:
                plan = services.nomination_preview(
                    actor=request.user, session=session, servants=servants
                )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(form=form, filters=filters))
        if action == "confirm":
            return self.confirmed(plan)
        return self.render_to_response(
            {
                **self.get_context_data(form=form, filters=filters),
                "preview": plan,
                "servant_ids": [s.pk for s in servants],
            }
        )

    def confirmed(self, plan):
        for outcome in plan.outcomes:
            if outcome.result == services.REFUSED:
                messages.warning(self.request, outcome.reason)
        nominated = [o.nomination for o in plan.outcomes if o.nomination is not None]
        if not nominated:
            messages.error(self.request, _("Nobody was nominated."))
            return redirect("nominations_nominate")
        messages.success(
            self.request,
            ngettext(
                "%(count)s person nominated: %(enrolled)s enrolled, %(waitlisted)s on the "
                "waiting list.",
                "%(count)s people nominated: %(enrolled)s enrolled, %(waitlisted)s on the "
                "waiting list.",
                len(nominated),
            )
            % {
                "count": len(nominated),
                "enrolled": plan.enrolled,
                "waitlisted": plan.waitlisted,
            },
        )
        return redirect(reverse("nominations_list") + f"?batch={nominated[0].batch}")


class NominationsView(AdminPage):
    """Nominations the user sees (HR: their state bodies), newest first, and the withdrawal
    requests waiting for a decision."""

    template_name = "nominations/admin/nominations.html"
    page_title = gettext_lazy("Nominations")
    header_icon = "group"
    limit = 200

    def dispatch(self, request, *args, **kwargs):
        require(services.may_nominate(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from enrolments.selectors import waitlist_places

        context = super().get_context_data(**kwargs)
        user = self.request.user
        nominations = selectors.nominations_visible_to(user).order_by("-created_at", "-pk")
        batch = self.request.GET.get("batch", "")
        if batch:
            try:
                nominations = nominations.filter(batch=batch).order_by("pk")
            except ValidationError:
                nominations = nominations.none()
        rows = list(nominations[: self.limit])
        places = waitlist_places([n.enrolment for n in rows])
        for nomination in rows:
            nomination.place = places.get(nomination.enrolment_id)
        context.update(
            nominations=rows,
            batch=batch,
            requests=list(selectors.pending_withdrawal_requests(user)),
            nominate_url=reverse("nominations_nominate"),
        )
        return context

    def post(self, request, *args, **kwargs):
        withdrawal = get_object_or_404(
            selectors.pending_withdrawal_requests(request.user), pk=request.POST.get("request")
        )
        approve = request.POST.get("decision") == "approve"
        name = withdrawal.nomination.servant.full_name
        try:
            services.withdrawal_decide(
                request=withdrawal,
                approve=approve,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, f"{name}: {' '.join(error.messages)}")
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not decide this request."))
        else:
            messages.success(
                request,
                (
                    _("Withdrawn at their request: %(name)s")
                    if approve
                    else _("Request rejected: %(name)s")
                )
                % {"name": name},
            )
        return redirect("nominations_list")


# -- mandatory training (assignments) ----------------------------------------------------------


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        return f"{programme.code} {programme.title} · {programme.academic_hours} h"


class AssignForm(forms.Form):
    servants = forms.ModelMultipleChoiceField(
        queryset=None,
        label=gettext_lazy("People"),
        error_messages={"required": gettext_lazy("People: select at least one person.")},
    )
    programme = ProgrammeChoiceField(queryset=None, required=False, label=gettext_lazy("Programme"))
    hours = forms.IntegerField(
        required=False,
        label=gettext_lazy("Or: qualification upgrade of at least N academic hours"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    due_on = forms.DateField(label=gettext_lazy("Due date"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("Reason for the assignment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    filters = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        from courses.models import Programme

        super().__init__(*args, **kwargs)
        servants = self.fields["servants"]
        servants.queryset = selectors.nominable_servants(user)
        # Another state body's person reads exactly as a person who does not exist.
        servants.error_messages["invalid_choice"] = services.unknown_person_message("%(value)s")
        servants.error_messages["invalid_pk_value"] = services.unknown_person_message("%(pk)s")
        self.fields["programme"].queryset = Programme.objects.filter(live=True).order_by("code")
        self.fields["programme"].empty_label = _("No programme: the academic hours below")

    def ordered_servants(self) -> list[CivilServant]:
        chosen = {s.pk: s for s in self.cleaned_data["servants"]}
        order = [int(pk) for pk in self.data.getlist("servants") if str(pk).isdigit()]
        return [chosen[pk] for pk in dict.fromkeys(order) if pk in chosen]


class AssignView(PeoplePickerMixin, AdminPage):
    """Pick people (as for a nomination), a programme or a number of hours, a due date and
    a reason; preview who gets it and who is skipped; confirm."""

    template_name = "nominations/admin/assign.html"
    form_class = AssignForm
    page_title = gettext_lazy("Assign mandatory training")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        require(services.may_assign(request.user))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = AssignForm(request.POST, user=request.user)
        action = request.POST.get("action", "preview")
        filters = request.POST.get("filters", "")
        if action == "back" or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, filters=filters))
        data = form.cleaned_data
        what = {
            "actor": request.user,
            "servants": form.ordered_servants(),
            "programme": data["programme"],
            "hours": data["hours"],
            "due_on": data["due_on"],
        }
        try:
            if action == "confirm":
                plan = services.assignments_create(**what, reason=data["reason"])
            else:
                plan = services.assignment_preview(**what)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form, filters=filters))
        if action == "confirm":
            return self.confirmed(plan)
        return self.render_to_response(
            {
                **self.get_context_data(form=form, filters=filters),
                "preview": plan,
                "servant_ids": [s.pk for s in what["servants"]],
            }
        )

    def confirmed(self, plan):
        for outcome in plan.outcomes:
            if outcome.result == services.SKIPPED:
                messages.warning(self.request, outcome.reason)
        made = [o.assignment for o in plan.outcomes if o.assignment is not None]
        if not made:
            messages.error(self.request, _("Nobody was assigned the training."))
            return redirect("assignments_assign")
        messages.success(
            self.request,
            ngettext(
                "Mandatory training assigned to %(count)s person.",
                "Mandatory training assigned to %(count)s people.",
                len(made),
            )
            % {"count": len(made)},
        )
        return redirect(reverse("assignments_list") + f"?batch={made[0].batch}")


class AssignmentFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, label=gettext_lazy("Status"))
    agency = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("State body"))
    programme = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Programme")
    )

    def __init__(self, *args, user, **kwargs):
        from courses.models import Programme

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All but cancelled")),
            ("open", _("Open (not completed)")),
            *[(s.value, capfirst(s.label)) for s in AssignmentStatus],
        ]
        self.fields["agency"].queryset = agencies_visible_to(user)
        self.fields["agency"].empty_label = _("All state bodies I see")
        # The programmes of the assignments the user sees (not other state bodies' choices).
        assigned = scope_queryset(
            Assignment.objects.filter(programme__isnull=False), user, servant_path="servant"
        ).values("programme")
        self.fields["programme"].queryset = Programme.objects.filter(pk__in=assigned).order_by(
            "code"
        )
        self.fields["programme"].empty_label = _("Any training")


class AssignmentsView(AdminPage):
    """Mandatory training the user sees (HR: their state bodies), with the computed status,
    counts per status, filters; cancel an assignment."""

    template_name = "nominations/admin/assignments.html"
    page_title = gettext_lazy("Mandatory training")
    header_icon = "date"
    limit = 300

    def dispatch(self, request, *args, **kwargs):
        require(services.may_assign(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        assignments = selectors.assignments_visible_to(user, today=today)
        filter_form = AssignmentFilterForm(self.request.GET or None, user=user)
        batch = self.request.GET.get("batch", "")
        if batch:
            try:
                assignments = assignments.filter(batch=batch)
            except ValidationError:
                assignments = assignments.none()
        data = filter_form.cleaned_data if filter_form.is_valid() else {}
        if data.get("agency"):
            assignments = assignments.filter(servant__agency=data["agency"])
        if data.get("programme"):
            assignments = assignments.filter(programme=data["programme"])
        counts = selectors.status_counts(assignments)
        status = data.get("status", "")
        if status == "open":
            assignments = assignments.filter(status__in=selectors.OPEN_STATUSES)
        elif status:
            assignments = assignments.filter(status=status)
        else:
            assignments = assignments.exclude(status=AssignmentStatus.CANCELLED)
        total = assignments.count()
        rows = selectors.attach_completions(
            list(assignments.order_by("due_on", "servant__last_name", "pk")[: self.limit])
        )
        query = self.request.GET.copy()
        query.pop("status", None)
        query.pop("batch", None)
        context.update(
            filter_form=filter_form,
            assignments=rows,
            total=total,
            limit=self.limit,
            batch=batch,
            counts=[
                {
                    "status": s.value,
                    "label": s.label,
                    "count": counts[s.value],
                    "url": "?" + _with(query, status=s.value),
                    "current": status == s.value,
                }
                for s in AssignmentStatus
            ],
            assign_url=reverse("assignments_assign"),
            open_statuses=selectors.OPEN_STATUSES,
        )
        return context

    def post(self, request, *args, **kwargs):
        assignment = get_object_or_404(
            selectors.assignments_visible_to(request.user, today=timezone.localdate()),
            pk=request.POST.get("cancel"),
        )
        name = assignment.servant.full_name
        try:
            services.assignment_cancel(assignment=assignment, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Assignment cancelled: %(name)s, %(training)s")
                % {"name": name, "training": assignment.training},
            )
        back = request.POST.get("next", "")
        return redirect(reverse("assignments_list") + (f"?{back}" if back else ""))


def _with(query: QueryDict, **values) -> str:
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()
