"""REST API for HR systems. Every endpoint scopes through people.scoping with the token's user.

Reads use cursor pagination (stable under inserts) and `updated_since` for incremental sync.
Writes (ratings, completions) go through the same Resources as files (core.resources,
`run_rows`: django-import-export's import_data): same validation, all-or-nothing, idempotent.
"""

import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates.models import Certificate
from enrolments.models import Enrolment, QualificationRecord
from people.access_log import access_record
from people.authorization import may_import, may_read, may_use_api
from people.models import AccessKind, CivilServant
from people.resources import ApiRatingResource
from people.scoping import scope_queryset

from . import serializers


class MayRead(permissions.BasePermission):
    """The view's `kind` may be read by the token's user (people.authorization.may_read, the
    same policy as the Export screen); never civil servants' tokens."""

    def has_permission(self, request, view):
        user = request.user
        return may_use_api(user) and may_read(user, view.kind)


class MayWrite(permissions.BasePermission):
    """The view's `kind` may be imported by the token's user (people.authorization.may_import,
    the same policy as the Import screen)."""

    def has_permission(self, request, view):
        user = request.user
        return may_use_api(user) and may_import(user, view.kind)


class ByIdCursor(CursorPagination):
    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


UPDATED_SINCE = OpenApiParameter(
    "updated_since", OpenApiTypes.DATETIME, description="only rows changed at or after this time"
)


class ScopedList(ListAPIView):
    permission_classes = [MayRead]
    pagination_class = ByIdCursor
    servant_path = "servant"
    kind = ""

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = scope_queryset(
            self.base_queryset(), self.request.user, servant_path=self.servant_path
        )
        since = self.request.query_params.get("updated_since")
        if since:
            try:
                value = parse_datetime(since)
                if value is not None and value.tzinfo is not None:
                    # Normalise odd offsets (PostgreSQL refuses displacements over ±15:59).
                    value = value.astimezone(datetime.UTC)
            except (ValueError, OverflowError):
                value = None
            if value is None:
                raise ValidationError({"updated_since": _("Use an ISO 8601 date-time.")})
            queryset = queryset.filter(updated_at__gte=value)
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # The read-access log: one entry per page served, with the state bodies it covered.
        path = self.servant_path
        access_record(
            actor=self.request.user,
            what=self.access_kind,
            filters={k: v for k, v in self.request.query_params.items() if k != "cursor"},
            row_count=len(page),
            agency_ids={(getattr(row, path) if path else row).agency_id for row in page},
        )
        return page

    @extend_schema(parameters=[UPDATED_SINCE])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServantList(ScopedList):
    access_kind = AccessKind.API_SERVANTS
    serializer_class = serializers.ServantSerializer
    servant_path = ""
    kind = "servants"

    def base_queryset(self):
        return CivilServant.objects.select_related("agency", "position")


class RecordList(ScopedList):
    access_kind = AccessKind.API_RECORDS
    serializer_class = serializers.RecordSerializer
    kind = "records"

    def base_queryset(self):
        return QualificationRecord.objects.select_related("servant", "programme", "supersedes")


class EnrolmentList(ScopedList):
    access_kind = AccessKind.API_ENROLMENTS
    serializer_class = serializers.EnrolmentSerializer
    kind = "enrolments"

    def base_queryset(self):
        return Enrolment.objects.select_related("servant", "session__programme")


class CertificateList(ScopedList):
    access_kind = AccessKind.API_CERTIFICATES
    serializer_class = serializers.CertificateSerializer
    kind = "certificates"

    def base_queryset(self):
        return Certificate.objects.select_related(
            "servant", "record", "supersedes"
        ).prefetch_related("superseded_by")


class ImportEndpoint(APIView):
    permission_classes = [MayWrite]
    kind = ""
    importer_class = None
    row_serializer = None

    @staticmethod
    def _refused(message: str, column: str = "") -> Response:
        # Every 400 has the same shape as a row-level refusal, so clients parse one format.
        return Response(
            {
                "new": 0,
                "updated": 0,
                "unchanged": 0,
                "errors": [{"line": 0, "column": column, "message": message}],
            },
            status=status.HTTP_400_BAD_REQUEST,
        )

    def post(self, request):
        try:
            data = request.data
        except ParseError as exc:
            return self._refused(str(exc.detail))
        payload = data if isinstance(data, list) else [data]
        if not payload or len(payload) > 10000:
            return self._refused(_("Send one object or a list of 1 to 10000 objects."))
        rows = []
        shape_errors = []
        for index, item in enumerate(payload, start=1):
            serializer = self.row_serializer(data=item)
            if serializer.is_valid():
                rows.append((index, dict(serializer.validated_data)))
            else:
                for column, problems in serializer.errors.items():
                    shape_errors.append(
                        {"line": index, "column": column, "message": str(problems[0])}
                    )
        if shape_errors:
            return Response(
                {"new": 0, "updated": 0, "unchanged": 0, "errors": shape_errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        report = self.importer_class(user=request.user).run_rows(rows)
        body = {
            "new": report.new if report.ok else 0,
            "updated": report.updated if report.ok else 0,
            "unchanged": report.unchanged if report.ok else 0,
            "errors": [
                {"line": e.line, "column": e.column, "message": e.message} for e in report.errors
            ],
        }
        if report.file_error:
            body["errors"].append({"line": 0, "column": "", "message": report.file_error})
        code = status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)


class RatingImport(ImportEndpoint):
    kind = "ratings"
    importer_class = ApiRatingResource
    row_serializer = serializers.RatingInSerializer

    @extend_schema(
        request=serializers.RatingInSerializer(many=True),
        responses={
            200: serializers.ImportResultSerializer,
            400: serializers.ImportResultSerializer,
        },
    )
    def post(self, request):
        return super().post(request)


class CompletionImport(ImportEndpoint):
    kind = "completions"
    row_serializer = serializers.CompletionInSerializer

    @property
    def importer_class(self):
        from enrolments.resources import CompletionResource

        return CompletionResource

    @extend_schema(
        request=serializers.CompletionInSerializer(many=True),
        responses={
            200: serializers.ImportResultSerializer,
            400: serializers.ImportResultSerializer,
        },
    )
    def post(self, request):
        return super().post(request)
