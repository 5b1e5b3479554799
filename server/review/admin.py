"""Review records in the admin, read-only: decisions are made on the review screens
(/review/), where they are checked and audited. A town official sees their town's only."""

from django.contrib import admin

from accounts.scopes import is_district_admin, towns_for_user
from collect.selectors import submission_list_for_user
from review.models import Notice, Review, ReviewComment, ReviewPolicy


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _OfVisibleSubmissions(_ReadOnly):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_district_admin(request.user):
            return queryset
        return queryset.filter(submission__in=submission_list_for_user(user=request.user))


@admin.register(Review)
class ReviewAdmin(_OfVisibleSubmissions):
    list_display = ["submission", "state", "changed_by", "changed_at", "redone_by"]
    list_filter = ["state"]
    list_select_related = ["submission", "changed_by"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(_OfVisibleSubmissions):
    list_display = ["submission", "author", "state_from", "state_to", "created_at"]
    list_select_related = ["submission", "author"]


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(_ReadOnly):
    list_display = ["town", "counting"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(town__in=towns_for_user(user=request.user))


@admin.register(Notice)
class NoticeAdmin(_ReadOnly):
    """Every notice, for district administrators looking into a complaint; people read
    their own on the web pages and through /api/v1/notices/."""

    list_display = ["recipient", "kind", "submission", "state", "created_at", "read_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["recipient", "submission"]

    def has_module_permission(self, request) -> bool:
        return is_district_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_district_admin(request.user)
