"""Input and output shapes of the review API."""

from rest_framework import serializers

from review.models import Notice, Review, ReviewComment
from review.services import COMMENT_MAX_LENGTH
from review.states import ReviewState


class ReviewInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=ReviewState.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default=""
    )


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)


class BulkApproveInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=5000
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default=""
    )


class CommentOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    submission = serializers.IntegerField(source="submission_id")
    # Plain strings: the schema names the review state choices once (ReviewOutput.state).
    state_from = serializers.CharField(help_text="原状态代码，空表示普通意见")
    state_to = serializers.CharField(help_text="新状态代码，空表示普通意见")

    class Meta:
        model = ReviewComment
        fields = ["id", "submission", "author", "body", "state_from", "state_to", "created_at"]


class ReviewOutput(serializers.ModelSerializer):
    submission = serializers.IntegerField(source="submission_id")
    state_label = serializers.CharField(source="get_state_display")
    changed_by = serializers.CharField(source="changed_by.username", default=None)
    redone_by = serializers.IntegerField(source="redone_by_id", default=None)

    class Meta:
        model = Review
        fields = ["submission", "state", "state_label", "changed_at", "changed_by", "redone_by"]


class NoticeOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    submission = serializers.IntegerField(source="submission_id")
    form = serializers.CharField(source="submission.form.form_id")
    form_title = serializers.CharField(source="submission.form.title")
    facility = serializers.CharField(source="submission.facility.code", default=None)
    water_body = serializers.CharField(source="submission.water_body.code", default=None)
    state = serializers.CharField(help_text="退回时或整改前的审核状态代码")
    redone_by = serializers.IntegerField(source="redone_by_id", default=None)
    redone_by_user = serializers.CharField(
        source="redone_by.submitted_by.username", default=None, help_text="整改提交人"
    )
    read = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="在网页上查看该提交")

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "kind_label",
            "submission",
            "form",
            "form_title",
            "facility",
            "water_body",
            "state",
            "comment",
            "redone_by",
            "redone_by_user",
            "created_at",
            "read",
            "read_at",
            "url",
        ]

    def get_read(self, notice: Notice) -> bool:
        return notice.read_at is not None

    def get_url(self, notice: Notice) -> str:
        return f"/review/submissions/{notice.redone_by_id or notice.submission_id}/"


class NoticeUpdateInput(serializers.Serializer):
    read = serializers.BooleanField()


class NoticeReadInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=1000,
        help_text="不填则全部标为已读",
    )
