"""Input and output shapes of the review API."""

from rest_framework import serializers

from review.models import Review, ReviewComment
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
