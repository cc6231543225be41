"""Back-office import (upload → preview → confirm) and export screens for every kind."""

import math
import secrets
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.backoffice import AdminPage
from core.exporting import csv_chunks, json_chunks, write_xlsx
from people.access_log import EXPORT_KINDS, access_record
from people.authorization import export_kinds, import_kinds, may_export, may_import, require
from people.scoping import agencies_visible_to

from .records import export_spec, importer_for

KIND_LABELS = {
    "servants": gettext_lazy("civil servants"),
    "ratings": gettext_lazy("performance ratings"),
    "completions": gettext_lazy("completed trainings"),
    "competitions": gettext_lazy("competitions"),
    "records": gettext_lazy("qualification records"),
    "enrolments": gettext_lazy("enrolments"),
}
PENDING_DIR = "imports/pending"


def _pending_path(token: str) -> str:
    return f"{PENDING_DIR}/{token}"


def _discard_pending(request) -> None:
    """Forget the session's checked-but-unconfirmed file, and delete it."""
    pending = request.session.pop("pending_import", None)
    if pending:
        path = _pending_path(pending["token"])
        if default_storage.exists(path):
            default_storage.delete(path)


class ImportForm(forms.Form):
    """Offers (and accepts) only the kinds the user may import (people.authorization)."""

    kind = forms.ChoiceField(label=gettext_lazy("what"))
    file = forms.FileField(label=gettext_lazy("file (CSV or XLSX)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in import_kinds(user)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": f"{math.ceil(upload.size * 10 / 2**20) / 10:g}",
                    "limit": f"{math.floor(settings.IMPORT_MAX_BYTES * 10 / 2**20) / 10:g}",
                }
            )
        return upload


class ImportView(AdminPage):
    template_name = "cms/admin/import.html"
    page_title = gettext_lazy("Import")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        require(may_import(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm(user=self.request.user))
        context["agencies"] = agencies_visible_to(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        name = form.cleaned_data["file"].name
        report = importer_for(kind)(user=request.user).run_file(data, name, dry_run=True)
        token = ""
        _discard_pending(request)
        if report.ok:
            # Keep the checked file until the user confirms, in the shared media storage (any
            # web machine may serve the confirmation); the random token is the only handle.
            token = secrets.token_urlsafe(16)
            default_storage.save(_pending_path(token), ContentFile(data))
            request.session["pending_import"] = {"token": token, "kind": kind, "name": name}
        return self.render_to_response(
            self.get_context_data(form=form, report=report, token=token, kind=kind, filename=name)
        )

    def confirm(self, request):
        pending = request.session.get("pending_import")
        if not pending or pending["token"] != request.POST.get("token"):
            _discard_pending(request)
            messages.error(request, _("The checked file has expired; upload it again."))
            return redirect("cms_import")
        try:
            with default_storage.open(_pending_path(pending["token"])) as handle:
                data = handle.read()
        except (OSError, FileNotFoundError):
            data = None
        _discard_pending(request)
        if data is None:
            messages.error(request, _("The checked file has expired; upload it again."))
            return redirect("cms_import")
        # Asked again: a role may have changed between the check and the confirmation.
        require(may_import(request.user, pending["kind"]))
        report = importer_for(pending["kind"])(user=request.user).run_file(data, pending["name"])
        if report.ok:
            messages.success(request, report.summary())
            return redirect("cms_import")
        return self.render_to_response(self.get_context_data(report=report, kind=pending["kind"]))


class ExportForm(forms.Form):
    """Offers (and accepts) only the kinds the user may export (people.authorization)."""

    kind = forms.ChoiceField(label=gettext_lazy("what"))
    format = forms.ChoiceField(
        label=gettext_lazy("format"), choices=[("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON")]
    )
    agency = forms.ModelChoiceField(label=gettext_lazy("state body"), queryset=None, required=False)
    since = forms.DateField(
        label=gettext_lazy("changed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in export_kinds(user)]
        self.fields["agency"].queryset = agencies_visible_to(user)


class ExportView(AdminPage):
    template_name = "cms/admin/export.html"
    page_title = gettext_lazy("Export")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        require(may_export(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "kind" not in request.GET:
            return self.render_to_response(
                self.get_context_data(form=ExportForm(user=request.user))
            )
        if request.GET["kind"] in KIND_LABELS:
            # A kind the user may not export is refused outright, not offered as a form error.
            require(may_export(request.user, request.GET["kind"]))
        form = ExportForm(request.GET, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        since = form.cleaned_data["since"]
        since_dt = (
            timezone.make_aware(timezone.datetime.combine(since, timezone.datetime.min.time()))
            if since
            else None
        )
        kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
        queryset, columns = export_spec(
            kind, user=request.user, agency=form.cleaned_data["agency"], since=since_dt
        )
        agency = form.cleaned_data["agency"]
        # One entry for the whole export: its filters, rows and the state bodies it covers.
        access_record(
            actor=request.user,
            what=EXPORT_KINDS[kind],
            filters={"format": fmt, "agency": agency and agency.pk, "since": since and str(since)},
            row_count=queryset.count(),
            agency_ids=[agency.pk]
            if agency
            else agencies_visible_to(request.user).values_list("pk", flat=True),
        )
        stamp = timezone.localdate().isoformat()
        filename = f"{kind}-{stamp}.{fmt}"
        if fmt == "xlsx":
            handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
            write_xlsx(handle, queryset, columns, title=kind)
            handle.seek(0)
            return FileResponse(handle, as_attachment=True, filename=filename)
        chunks = csv_chunks(queryset, columns) if fmt == "csv" else json_chunks(queryset, columns)
        content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
