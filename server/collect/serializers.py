"""Input and output shapes of the collect REST API."""

from django.urls import reverse
from rest_framework import serializers

from accounts.models import Role
from collect.models import Attachment, Form, FormMedia, FormVersion, Submission


class FormMediaOutput(serializers.ModelSerializer):
    class Meta:
        model = FormMedia
        fields = ["filename", "md5"]


class FormVersionOutput(serializers.ModelSerializer):
    media = FormMediaOutput(many=True, read_only=True)
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FormVersion
        fields = [
            "id",
            "version",
            "title",
            "xform_md5",
            "media_names",
            "media",
            "published_at",
            "published_by",
        ]


class FormOutput(serializers.ModelSerializer):
    current_version = serializers.CharField(source="current_version.version", default=None)
    versions = FormVersionOutput(many=True, read_only=True)
    submission_count = serializers.SerializerMethodField()

    class Meta:
        model = Form
        fields = [
            "form_id",
            "title",
            "is_open",
            "fill_roles",
            "current_version",
            "versions",
            "submission_count",
        ]

    def get_submission_count(self, form: Form) -> int:
        return form.submissions.filter(is_current=True).count()


class FormPublishInput(serializers.Serializer):
    xlsform = serializers.FileField()
    media = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    fill_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, allow_empty=False
    )


class FormUpdateInput(serializers.Serializer):
    is_open = serializers.BooleanField(required=False)
    fill_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, allow_empty=False
    )


class AttachmentOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["name", "md5", "size", "content_type", "received_at", "download_url"]

    def get_download_url(self, attachment: Attachment) -> str:
        path = reverse(
            "submission-attachment",
            kwargs={"pk": attachment.submission_id, "name": attachment.name},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SubmissionOutput(serializers.ModelSerializer):
    form = serializers.CharField(source="form.form_id")
    form_version = serializers.CharField(source="form_version.version")
    submitted_by = serializers.CharField(source="submitted_by.username")
    admin_village = serializers.CharField(source="admin_village.code", default=None)
    natural_village = serializers.CharField(source="natural_village.code", default=None)
    facility = serializers.CharField(source="facility.code", default=None)
    water_body = serializers.CharField(source="water_body.code", default=None)
    replaces = serializers.CharField(source="replaces.instance_id", default=None)
    replaced_by = serializers.SerializerMethodField()
    attachments = AttachmentOutput(many=True, read_only=True)
    attachments_missing = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "instance_id",
            "form",
            "form_version",
            "submitted_by",
            "device_id",
            "received_at",
            "updated_at",
            "client_started_at",
            "client_ended_at",
            "admin_village",
            "natural_village",
            "facility",
            "water_body",
            "is_current",
            "replaces",
            "replaced_by",
            "attachments_expected",
            "attachments_missing",
            "attachments_complete",
            "attachments",
            "answers",
        ]

    def get_replaced_by(self, submission: Submission) -> str | None:
        try:
            return submission.replaced_by.instance_id
        except Submission.replaced_by.RelatedObjectDoesNotExist:
            return None
