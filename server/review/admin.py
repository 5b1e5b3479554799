"""Review records in the admin, read-only: decisions are made on the review screens
(/review/), where they are checked and audited."""

from django.contrib import admin

from review.models import Review, ReviewComment, ReviewPolicy


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(_ReadOnly):
    list_display = ["submission", "state", "changed_by", "changed_at", "redone_by"]
    list_filter = ["state"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(_ReadOnly):
    list_display = ["submission", "author", "state_from", "state_to", "created_at"]


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(_ReadOnly):
    list_display = ["town", "counting"]
