from rest_framework import serializers

from certificates.models import Certificate
from enrolments.models import Enrolment, QualificationRecord
from people.models import CivilServant


class ServantSerializer(serializers.ModelSerializer):
    agency_bin = serializers.CharField(source="agency.bin", read_only=True)
    position = serializers.CharField(source="position.title_ru", read_only=True, default="")
    category = serializers.CharField(source="position.category", read_only=True, default="")

    class Meta:
        model = CivilServant
        fields = [
            "pseudonym",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "email",
            "agency_bin",
            "position",
            "category",
            "appointed_on",
            "updated_at",
        ]


class RecordSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="uid", read_only=True)
    iin = serializers.CharField(source="servant.iin", read_only=True)
    programme_code = serializers.CharField(source="programme.code", read_only=True, default=None)
    supersedes = serializers.CharField(source="supersedes.uid", read_only=True, default=None)
    # In the request's language (Accept-Language), falling back kk → ru → en; then each language.
    title = serializers.CharField(read_only=True)
    provider = serializers.CharField(read_only=True)

    class Meta:
        model = QualificationRecord
        fields = [
            "id",
            "iin",
            "programme_code",
            "title",
            "title_kk",
            "title_ru",
            "title_en",
            "kind",
            "provider",
            "provider_kk",
            "provider_ru",
            "provider_en",
            "hours",
            "completed_on",
            "valid_until",
            "certificate_number",
            "source",
            "is_current",
            "supersedes",
            "updated_at",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    iin = serializers.CharField(source="servant.iin", read_only=True)
    programme_code = serializers.CharField(source="session.programme.code", read_only=True)
    starts_on = serializers.DateField(source="session.starts_on", read_only=True)
    ends_on = serializers.DateField(source="session.ends_on", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "iin",
            "programme_code",
            "starts_on",
            "ends_on",
            "status",
            "requested_at",
            "attended_hours",
            "passed",
            "updated_at",
        ]


class CertificateSerializer(serializers.ModelSerializer):
    iin = serializers.CharField(source="servant.iin", read_only=True)
    status = serializers.CharField(read_only=True)
    verification_url = serializers.CharField(source="verify_url", read_only=True)
    record_id = serializers.CharField(source="record.uid", read_only=True)
    supersedes = serializers.CharField(source="supersedes.serial", read_only=True, default=None)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "iin",
            "record_id",
            "title_kk",
            "title_ru",
            "hours",
            "completed_on",
            "valid_until",
            "issued_at",
            "status",
            "revoked_at",
            "verification_url",
            "supersedes",
            "updated_at",
        ]


class RatingInSerializer(serializers.Serializer):
    iin = serializers.CharField(max_length=12)
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    rating = serializers.CharField(max_length=100)


class CompletionInSerializer(serializers.Serializer):
    iin = serializers.CharField(max_length=12)
    programme_code = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    # The title and the provider: one text in any language (it goes into the language it is
    # written in), or one field per language; a row needs one of them.
    programme_title = serializers.CharField(max_length=500, required=False)
    title_kk = serializers.CharField(max_length=500, required=False, allow_blank=True)
    title_ru = serializers.CharField(max_length=500, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=500, required=False, allow_blank=True)
    provider = serializers.CharField(max_length=255, required=False)
    provider_kk = serializers.CharField(max_length=255, required=False, allow_blank=True)
    provider_ru = serializers.CharField(max_length=255, required=False, allow_blank=True)
    provider_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    hours = serializers.IntegerField()
    completed_on = serializers.CharField(max_length=10, help_text="YYYY-MM-DD or DD.MM.YYYY")
    certificate_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="1-based position in the submitted list")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
