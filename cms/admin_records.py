"""Back-office import (upload → preview → confirm) and export screens for every kind."""

import math
import secrets
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.storage import storages
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import MediaStorage

from core.backoffice import AdminPage
from core.exporting import csv_chunks, json_chunks, write_xlsx
from core.form_widgets import DateInput
from core.resources import PREVIEW_ROWS
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


class PendingFile(MediaStorage):
    """django-import-export's media temporary storage for the file checked and not yet
    confirmed, under a random name in the shared media storage (any web machine may serve the
    confirmation). The library makes a storage handler of its own on every use; this one uses
    the process's configured storages, so every step sees the same storage."""

    def __init__(self, name: str):
        super().__init__(name=name, MEDIA_FOLDER=PENDING_DIR)

    def _configure_storage(self):
        self._storage = (
            storages["import_export"]
            if "import_export" in storages.backends
            else storages["default"]
        )

    def remove(self):
        if self._storage.exists(self.get_full_path()):
            super().remove()


def _discard_pending(request) -> None:
    """Forget the session's checked-but-unconfirmed file, and delete it."""
    pending = request.session.pop("pending_import", None)
    if pending:
        PendingFile(pending["token"]).remove()


class KindImportForm(ImportForm):
    """django-import-export's upload form offering (and accepting) only the kinds the user may
    import (people.authorization). `resource` carries the kind's code rather than the library's
    index, so a list that changed between two requests cannot swap kinds. There is no `format`
    field: core.tabular tells CSV from XLSX (and the encoding and delimiter) by itself."""

    def __init__(self, *args, user, **kwargs):
        if args:
            kwargs.setdefault("data", args[0])
        if len(args) > 1:
            kwargs.setdefault("files", args[1])
        super().__init__(formats=(), resources=import_kinds(user), **kwargs)
        upload = self.fields["import_file"]
        upload.label = gettext_lazy("file (CSV or XLSX)")
        upload.widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def _init_resources(self, kinds):
        field = self.fields["resource"]
        field.label = gettext_lazy("what")
        field.required = True
        field.choices = [(kind, KIND_LABELS[kind]) for kind in kinds]

    def _init_formats(self, formats):
        del self.fields["format"]

    @property
    def media(self):
        return forms.Media()  # not the library's format-guessing script: there is no format field

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": f"{math.ceil(upload.size * 10 / 2**20) / 10:g}",
                    "limit": f"{math.floor(settings.IMPORT_MAX_BYTES * 10 / 2**20) / 10:g}",
                }
            )
        return upload


class KindConfirmForm(ConfirmImportForm):
    """django-import-export's confirmation form: `import_file_name` is the kept file's random
    name (the library cleans it to a bare name). What was checked — the kind and the file's
    name — is read from the session, never from the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["format"]
        self.fields["original_file_name"].required = False


class ImportView(AdminPage):
    template_name = "cms/admin/import.html"
    page_title = gettext_lazy("Import")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        require(may_import(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", KindImportForm(user=self.request.user))
        context["agencies"] = agencies_visible_to(self.request.user)
        context["preview_limit"] = PREVIEW_ROWS
        return context

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST or "import_file_name" in request.POST:
            return self.confirm(request)
        form = KindImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["import_file"]
        data, name = upload.read(), upload.name
        kind = form.cleaned_data["resource"]
        report = importer_for(kind)(user=request.user).run_file(data, name, dry_run=True)
        _discard_pending(request)
        token, confirm_form = "", None
        if report.ok:
            # Kept until the user confirms; the random name is the only handle, and it is
            # good only in the session that checked the file.
            pending = PendingFile(secrets.token_urlsafe(16))
            pending.save(data)
            token = pending.name
            request.session["pending_import"] = {"token": token, "kind": kind, "name": name}
            confirm_form = KindConfirmForm(
                initial={"import_file_name": token, "original_file_name": name, "resource": kind}
            )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report=report,
                token=token,
                confirm_form=confirm_form,
                kind=kind,
                kind_label=KIND_LABELS[kind],
                filename=name,
            )
        )

    def confirm(self, request):
        form = KindConfirmForm(request.POST)
        token = form.cleaned_data["import_file_name"] if form.is_valid() else None
        pending = request.session.get("pending_import")
        if not pending or not token or pending["token"] != token:
            _discard_pending(request)
            messages.error(request, _("The checked file has expired; upload it again."))
            return redirect("cms_import")
        try:
            data = PendingFile(token).read()
        except OSError:
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
        return self.render_to_response(
            self.get_context_data(
                report=report,
                kind=pending["kind"],
                kind_label=KIND_LABELS[pending["kind"]],
                filename=pending["name"],
            )
        )


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
        widget=DateInput(),
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
