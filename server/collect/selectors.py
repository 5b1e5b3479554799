"""Reads of collect: what a user may fill, see and download. Selectors never write."""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.scopes import (
    admin_villages_for_user,
    facilities_for_user,
    is_district_admin,
    natural_villages_for_user,
)
from collect.models import Form, FormVersion, Submission
from collect.openrosa import md5_hex
from collect.registry_media import REGISTRY_MEDIA, registry_media_content


def user_may_fill(*, user: User, form: Form) -> bool:
    return is_district_admin(user) or (bool(user.role) and user.role in form.fill_roles)


def form_list_for_user(*, user: User) -> list[Form]:
    """Open forms with a published version that this user's role may fill."""
    forms = Form.objects.filter(is_open=True, current_version__isnull=False).select_related(
        "current_version"
    )
    # fill_roles is a short JSON list; filtering it in Python works on SQLite and PostgreSQL.
    return [form for form in forms if user_may_fill(user=user, form=form)]


def form_get(*, form_id: str) -> Form | None:
    return Form.objects.filter(form_id=form_id).select_related("current_version").first()


def form_version_get(*, form: Form, pk: int) -> FormVersion | None:
    return FormVersion.objects.filter(form=form, pk=pk).first()


def form_versions_for_list(*, form: Form, all_versions: bool) -> list[FormVersion]:
    if not all_versions:
        return [form.current_version] if form.current_version else []
    return list(form.versions.all())


def form_visible_list(*, user: User) -> QuerySet[Form]:
    """Forms shown in the REST API: every form to managers, fillable ones to the rest."""
    forms = Form.objects.select_related("current_version").prefetch_related("versions")
    if is_district_admin(user) or user.role == Role.TOWN_OFFICIAL:
        return forms
    return forms.filter(pk__in=[form.pk for form in forms if user_may_fill(user=user, form=form)])


def form_media_list(*, version: FormVersion, user: User) -> list[tuple[str, str]]:
    """(filename, md5) of every media file of a form version, registry lists scoped to the user.

    A generated registry list takes precedence over an uploaded file of the same name.
    """
    files = {
        name: md5_hex(registry_media_content(filename=name, user=user))
        for name in version.media_names
        if name in REGISTRY_MEDIA
    }
    for media in version.media.all():
        files.setdefault(media.filename, media.md5)
    return sorted(files.items())


def form_version_has_media(*, version: FormVersion) -> bool:
    return bool(set(version.media_names) & set(REGISTRY_MEDIA)) or version.media.exists()


def submission_list_for_user(*, user: User) -> QuerySet[Submission]:
    """Submissions this user may see: the same rules as what they may fill and submit.

    District admins see all; town officials their town's villages and their town's staff;
    village workers their villages; contractors their facilities; everyone their own.
    """
    submissions = Submission.objects.select_related(
        "form",
        "form_version",
        "submitted_by",
        "admin_village",
        "natural_village",
        "facility",
        "water_body",
        "replaces",
    ).prefetch_related("attachments")
    if is_district_admin(user):
        return submissions
    visible = Q(submitted_by=user)
    if user.role == Role.CONTRACTOR:
        visible |= Q(facility__in=facilities_for_user(user=user))
    elif user.role in (Role.TOWN_OFFICIAL, Role.VILLAGE_WORKER):
        visible |= Q(admin_village__in=admin_villages_for_user(user=user))
        visible |= Q(natural_village__in=natural_villages_for_user(user=user))
        if user.role == Role.TOWN_OFFICIAL and user.town_id is not None:
            visible |= Q(submitted_by__town_id=user.town_id)
    return submissions.filter(visible)
