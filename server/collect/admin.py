from django.contrib import admin

from collect.models import Attachment, Form, FormMedia, FormVersion, Submission
from collect.selectors import submission_list_for_user


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    fields = ["version", "title", "xform_md5", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["form_id", "title", "is_open", "current_version"]
    list_filter = ["is_open"]
    search_fields = ["form_id", "title"]
    readonly_fields = ["form_id", "current_version", "created_at"]
    inlines = [FormVersionInline]


class FormMediaInline(admin.TabularInline):
    model = FormMedia
    fields = ["filename", "md5", "file"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["form", "version", "title", "published_at", "published_by"]
    list_filter = ["form"]
    readonly_fields = [f.name for f in FormVersion._meta.fields]
    inlines = [FormMediaInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["name", "md5", "size", "content_type", "file", "received_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "instance_id",
        "form",
        "form_version",
        "submitted_by",
        "admin_village",
        "received_at",
        "is_current",
        "attachments_complete",
    ]
    list_filter = ["form", "is_current", "attachments_complete"]
    search_fields = ["instance_id", "submitted_by__username"]
    readonly_fields = [f.name for f in Submission._meta.fields]
    inlines = [AttachmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        # Staff given access here see the same part of the submissions as in the API.
        return submission_list_for_user(user=request.user)
