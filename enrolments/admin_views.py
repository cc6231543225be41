"""Back-office screens of the enrolment lifecycle. Each one calls services; none holds rules."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.backoffice import AdminPage
from courses.admin_views import SessionAdminPage
from courses.models import Session
from people.authorization import may_correct_records, may_decide_enrolments, require
from people.scoping import scope_queryset

from . import results, services
from .models import Enrolment, EnrolmentStatus, QualificationRecord
from .selectors import sessions_with_seats


def pending_for(user):
    """The requests awaiting approval that `user` may decide (HR: their state bodies only)."""
    pending = Enrolment.objects.filter(status=EnrolmentStatus.PENDING_APPROVAL)
    return scope_queryset(pending, user, servant_path="servant")


class ApprovalQueueView(AdminPage):
    """Pending requests the user may decide: HR for their agencies, managers for all. One at a
    time (approve, or reject with a reason), or several approved at once: each through the
    same service, in turn, and the page says what happened to each."""

    template_name = "enrolments/admin/approvals.html"
    page_title = gettext_lazy("Approvals")
    header_icon = "check"

    def dispatch(self, request, *args, **kwargs):
        require(may_decide_enrolments(request.user))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def session(self) -> Session | None:
        """The session the queue is narrowed to (`?session=<pk>`, as the home page's "awaiting
        approval" figure links), or None for the whole queue."""
        pk = self.request.GET.get("session", "")
        if not pk.isdigit():
            return None
        return get_object_or_404(Session.objects.select_related("programme"), pk=pk)

    def queue_url(self) -> str:
        """This queue as the user is looking at it (narrowed to a session or not)."""
        url = reverse("enrolments_approvals")
        return f"{url}?{urlencode({'session': self.session.pk})}" if self.session else url

    def get_pending(self):
        pending = pending_for(self.request.user)
        if self.session is not None:
            pending = pending.filter(session=self.session)
        return pending.select_related(
            "servant__agency", "servant__position", "session__programme"
        ).order_by("session__starts_on", "requested_at", "pk")

    def get_page_subtitle(self):
        count = pending_for(self.request.user).count()
        return ngettext(
            "%(count)s request awaits a decision",
            "%(count)s requests await a decision",
            count,
        ) % {"count": count}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = self.get_pending()
        if self.session is not None:
            context["only_session"] = _("Only the requests for %(title)s from %(starts)s.") % {
                "title": self.session.programme.title,
                "starts": formats.date_format(self.session.starts_on, "DATE_FORMAT"),
            }
            context["all_url"] = reverse("enrolments_approvals")
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("decision") == "approve_selected":
            return self.approve_selected(request)
        enrolment = get_object_or_404(self.get_pending(), pk=request.POST.get("enrolment"))
        approve = request.POST.get("decision") == "approve"
        try:
            services.enrolment_decide(
                enrolment=enrolment,
                approve=approve,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                (_("Approved: %(name)s") if approve else _("Rejected: %(name)s"))
                % {"name": enrolment.servant.full_name},
            )
        return redirect(self.queue_url())

    def approve_selected(self, request):
        ids = [pk for pk in request.POST.getlist("enrolments") if pk.isdigit()]
        if not ids:
            messages.warning(request, _("Select the requests to approve first."))
            return redirect(self.queue_url())
        # Only requests the user may decide are looked up; the rest (someone else's, or
        # decided meanwhile) are reported as no longer waiting.
        found = {str(e.pk): e for e in self.get_pending().filter(pk__in=ids)}
        approved, refused = [], []
        for pk in dict.fromkeys(ids):
            enrolment = found.get(pk)
            if enrolment is None:
                refused.append(_("request no. %(id)s no longer awaits your decision") % {"id": pk})
                continue
            name = enrolment.servant.full_name
            try:
                services.enrolment_decide(enrolment=enrolment, approve=True, actor=request.user)
            except ValidationError as error:
                refused.append(f"{name}: {' '.join(error.messages)}")
            except PermissionDenied as error:
                refused.append(f"{name}: {error}")
            else:
                approved.append(name)
        if approved:
            messages.success(
                request,
                ngettext(
                    "Approved %(count)s request: %(names)s.",
                    "Approved %(count)s requests: %(names)s.",
                    len(approved),
                )
                % {"count": len(approved), "names": ", ".join(approved)},
            )
        if refused:
            messages.error(
                request,
                ngettext(
                    "%(count)s request was not approved: %(why)s.",
                    "%(count)s requests were not approved: %(why)s.",
                    len(refused),
                )
                % {"count": len(refused), "why": "; ".join(refused)},
            )
        return redirect(self.queue_url())


class ResultRowForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    # Blank: not recorded yet (the row is left as it is). Nothing is filled in for the academy.
    attended_hours = forms.IntegerField(
        min_value=0, required=False, label=gettext_lazy("attended hours")
    )
    passed = forms.BooleanField(required=False, label=gettext_lazy("passed"))
    score = forms.DecimalField(
        required=False, max_digits=5, decimal_places=1, label=gettext_lazy("score")
    )


ResultFormSet = forms.formset_factory(ResultRowForm, extra=0)
RESULT_ROW_STATUSES = (EnrolmentStatus.ENROLLED, *results.RESULT_STATUSES)


class SessionResultsView(SessionAdminPage):
    """Attendance and results for a whole session on one screen (one row per participant).
    Before the session starts there is nothing to record: one message, no grid."""

    template_name = "enrolments/admin/results.html"
    page_title = gettext_lazy("Attendance and results")
    header_icon = "form"

    def get_page_subtitle(self):
        return str(self.session)

    def participants(self):
        return list(
            Enrolment.objects.filter(session=self.session, status__in=RESULT_ROW_STATUSES)
            .select_related("servant")
            .order_by("servant__last_name", "servant__first_name")
        )

    def initial(self, participants):
        # What was recorded, and nothing more: no hours and no "passed" ticked in advance.
        return [
            {
                "enrolment": e.pk,
                "attended_hours": e.attended_hours,
                "passed": bool(e.passed),
                "score": e.score,
            }
            for e in participants
        ]

    def get_context_data(self, formset=None, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.session.programme
        started = self.session.has_started()
        context.update(
            session=self.session,
            started=started,
            required_hours=results.required_hours(programme),
        )
        if not started:
            return context
        participants = self.participants()
        formset = formset or ResultFormSet(initial=self.initial(participants))
        reasons = [
            results.result_reason(
                programme=programme, attended_hours=e.attended_hours, passed=e.passed
            )
            if e.status in results.RESULT_STATUSES
            else ""
            for e in participants
        ]
        context.update(
            formset=formset,
            rows=list(zip(participants, formset.forms, reasons, strict=False)),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.session.has_started():
            messages.error(request, _("Results can be recorded once the session has started."))
            return redirect("enrolments_session_results", session_id=self.session.pk)
        participants = {e.pk: e for e in self.participants()}
        formset = ResultFormSet(request.POST, initial=self.initial(list(participants.values())))
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset))
        rows, forms_by_row = [], []
        for form in formset.forms:
            enrolment = participants.get(form.cleaned_data["enrolment"])
            if enrolment is None:  # no longer a participant (e.g. withdrew meanwhile)
                continue
            if form.cleaned_data["attended_hours"] is None:  # not recorded yet: left as it is
                continue
            rows.append(
                results.ResultRow(
                    enrolment=enrolment,
                    attended_hours=form.cleaned_data["attended_hours"],
                    passed=form.cleaned_data["passed"],
                    score=form.cleaned_data.get("score"),
                )
            )
            forms_by_row.append(form)
        try:
            results.session_results_record(session=self.session, results=rows, actor=request.user)
        except results.ResultsRefused as refused:
            for position, message in refused.row_errors.items():
                forms_by_row[position].add_error(None, message)
            messages.error(request, " ".join(refused.messages))
            return self.render_to_response(self.get_context_data(formset=formset))
        messages.success(request, _("Attendance and results saved."))
        return redirect("enrolments_session_results", session_id=self.session.pk)


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("reason for cancellation")
    )


class SessionCancelView(SessionAdminPage):
    template_name = "enrolments/admin/cancel.html"
    page_title = gettext_lazy("Cancel session")
    header_icon = "warning"

    def session_queryset(self):
        return sessions_with_seats(super().session_queryset())

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(session=self.session, form=form or CancelSessionForm())
        return context

    def post(self, request, *args, **kwargs):
        form = CancelSessionForm(request.POST)
        if form.is_valid():
            try:
                count = services.session_cancel(
                    session=self.session, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Session cancelled; %(count)s enrolment was cancelled and notified.",
                        "Session cancelled; %(count)s enrolments were cancelled and notified.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(reverse("wagtailsnippets_courses_session:list"))
        return self.render_to_response(self.get_context_data(form=form))


class CorrectRecordForm(forms.ModelForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Reason for the correction")
    )

    class Meta:
        model = QualificationRecord
        fields = list(results.CORRECTABLE) + ["certificate_number"]


class RecordCorrectView(AdminPage):
    """Correct a qualification record: a new record supersedes it (the old one stays visible).
    Academy managers only, as `qualification_record_correct` checks."""

    template_name = "enrolments/admin/correct.html"
    page_title = gettext_lazy("Correct a qualification record")
    header_icon = "success"

    def dispatch(self, request, *args, **kwargs):
        require(may_correct_records(request.user))
        self.record = get_object_or_404(
            QualificationRecord.objects.select_related("servant"), pk=kwargs["record_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.record.servant} · {self.record}"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(record=self.record, form=form or CorrectRecordForm(instance=self.record))
        return context

    def post(self, request, *args, **kwargs):
        form = CorrectRecordForm(request.POST, instance=QualificationRecord(pk=self.record.pk))
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in CorrectRecordForm.Meta.fields
                if form.cleaned_data[name] != getattr(self.record, name)
            }
            try:
                new = results.qualification_record_correct(
                    record=self.record,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    **changes,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Corrected: the new record supersedes the old one."))
                return redirect(reverse("records:inspect", args=[new.pk]))
        return self.render_to_response(self.get_context_data(form=form))
