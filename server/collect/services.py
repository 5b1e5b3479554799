"""Writes of collect: publishing questionnaires and receiving what the phones send.

Every service runs in one database transaction and raises the exceptions of
collect.exceptions. Files go to Django's default storage (local media directory,
or S3 when configured); a failed request removes the files it stored, so nothing
is left half-written.
"""

import hashlib
import io
import logging
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import PurePath

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.text import get_valid_filename
from pyxform.xls2xform import convert

from accounts.models import Role, User
from accounts.scopes import (
    admin_village_reportable,
    facility_for_user,
    natural_village_and_facility_for_user,
    natural_village_for_user,
    water_body_reportable,
)
from collect import openrosa, signals
from collect.exceptions import (
    DuplicateSubmission,
    EditOfSupersededVersion,
    EditTargetNotFound,
    FormClosed,
    FormNotFound,
    FormPublishError,
    FormVersionNotFound,
    InvalidAttachmentName,
    OutOfScope,
    SubmissionConflict,
    SubmissionForbidden,
)
from collect.models import Attachment, Form, FormMedia, FormVersion, Submission
from collect.selectors import user_may_fill
from config import sql
from registry.models import AdministrativeVillage, NaturalVillage, SewageFacility, WaterBody

logger = logging.getLogger(__name__)

XLSFORM_TYPES = {".xlsx": ".xlsx", ".xls": ".xls"}


@contextmanager
def _stored_files_removed_on_failure():
    """Collect the storage names written inside the block; delete them if the block fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("could not remove %s after a failed request", name)
        raise


def _plain_name(name: str) -> bool:
    return (
        bool(name)
        and len(name) <= 255
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and all(ord(char) >= 32 and char != "\x7f" for char in name)
    )


# --- publishing ----------------------------------------------------------------


@dataclass(frozen=True)
class PublishResult:
    version: FormVersion
    created: bool


def _default_fill_roles(summary: openrosa.XFormSummary) -> list[str]:
    # Contractors operate sewage facilities: they fill the forms about one facility.
    roles = [Role.DISTRICT_ADMIN, Role.TOWN_OFFICIAL, Role.VILLAGE_WORKER]
    if "facility" in summary.field_paths:
        roles.append(Role.CONTRACTOR)
    return [role.value for role in roles]


def form_publish(
    *,
    xlsform_name: str,
    xlsform: bytes,
    media: Mapping[str, bytes] | None = None,
    user: User | None = None,
    fill_roles: Iterable[str] | None = None,
) -> PublishResult:
    """Convert an XLSForm with pyxform and publish it as a new version of its form.

    Publishing the same version with the same XForm again changes nothing (created=False);
    the same version with a different XForm is refused, since phones cache by version.
    """
    media = dict(media or {})
    file_type = XLSFORM_TYPES.get(PurePath(xlsform_name).suffix.lower())
    if file_type is None:
        raise FormPublishError("只接受 .xlsx 或 .xls 格式的 XLSForm")
    for name in media:
        if not _plain_name(name):
            raise FormPublishError(f"媒体文件名不合法：{name}")
    warnings: list[str] = []
    try:
        result = convert(xlsform=io.BytesIO(xlsform), warnings=warnings, file_type=file_type)
    except Exception as exc:
        raise FormPublishError(f"XLSForm 转换失败：{exc}") from exc
    if result.itemsets:
        media.setdefault("itemsets.csv", result.itemsets.encode("utf-8"))
    summary = openrosa.xform_summary(result.xform)
    xform_md5 = openrosa.md5_hex(result.xform.encode("utf-8"))
    media_md5 = {name: openrosa.md5_hex(content) for name, content in media.items()}

    with _stored_files_removed_on_failure() as stored, transaction.atomic():
        form, _ = Form.objects.select_for_update().get_or_create(
            form_id=summary.form_id,
            defaults={
                "title": summary.title,
                "fill_roles": list(fill_roles or _default_fill_roles(summary)),
            },
        )
        existing = form.versions.filter(version=summary.version).first()
        if existing is not None:
            stored_media = {m.filename: m.md5 for m in existing.media.all()}
            same_media = not media or media_md5 == stored_media
            if existing.xform_md5 == xform_md5 and same_media:
                return PublishResult(version=existing, created=False)
            raise FormPublishError(
                f"表单 {summary.form_id} 的版本 {summary.version or '(空)'} 已发布且内容不同，"
                "请在 settings 工作表中修改 version 后再发布"
            )
        version = FormVersion(
            form=form,
            version=summary.version,
            title=summary.title,
            xform=result.xform,
            xform_md5=xform_md5,
            repeat_paths=summary.repeat_paths,
            binary_paths=summary.binary_paths,
            media_names=summary.media_names,
            published_by=user,
        )
        version.xlsform.save(
            get_valid_filename(PurePath(xlsform_name).name), ContentFile(xlsform), save=False
        )
        stored.append(version.xlsform.name)
        version.save()
        for name, content in sorted(media.items()):
            item = FormMedia(version=version, filename=name, md5=media_md5[name])
            item.file.save(get_valid_filename(name), ContentFile(content), save=False)
            stored.append(item.file.name)
            item.save()
        form.title = summary.title
        form.current_version = version
        if fill_roles is not None:
            form.fill_roles = list(fill_roles)
        form.save(update_fields=["title", "current_version", "fill_roles"])
    return PublishResult(version=version, created=True)


def form_open_set(*, form: Form, is_open: bool) -> Form:
    """Open or close a form for new submissions (closed forms leave the form list)."""
    form.is_open = is_open
    form.save(update_fields=["is_open"])
    return form


def form_fill_roles_set(*, form: Form, fill_roles: Iterable[str]) -> Form:
    form.fill_roles = list(fill_roles)
    form.save(update_fields=["fill_roles"])
    return form


# --- receiving submissions -------------------------------------------------------


@dataclass(frozen=True)
class SubmissionReceipt:
    submission: Submission
    created: bool
    attachments_added: list[str]


@dataclass(frozen=True)
class _Subjects:
    admin_village: AdministrativeVillage | None = None
    natural_village: NaturalVillage | None = None
    facility: SewageFacility | None = None
    water_body: WaterBody | None = None


def _subjects_in_scope(answers: dict, user: User) -> _Subjects:
    """The registry entries the answers are about, each checked against the user's scope.

    A code the user may not report on is refused; so is an unknown village or facility
    code, since the lists on the phone come from the same scopes. An unknown water body
    code is a newly reported water body and stays unlinked.
    """
    codes = openrosa.answers_by_name(
        answers, ("admin_village", "natural_village", "facility", "water_body")
    )
    admin_code = codes["admin_village"]
    natural_code = codes["natural_village"]
    facility_code = codes["facility"]
    water_code = codes["water_body"]

    natural_village = facility = None
    if natural_code and facility_code:  # an inspection: both in one statement
        natural_village, facility = natural_village_and_facility_for_user(
            user=user, natural_code=natural_code, facility_code=facility_code
        )
    elif natural_code:
        natural_village = natural_village_for_user(user=user, code=natural_code)
    elif facility_code:
        facility = facility_for_user(user=user, code=facility_code)
    if natural_code and natural_village is None:
        raise OutOfScope(f"自然村 {natural_code} 不在您的负责范围内")
    if facility_code and facility is None:
        raise OutOfScope(f"设施 {facility_code} 不在您的负责范围内")
    water_body = None
    if water_code:
        water_body = (
            WaterBody.objects.select_related("admin_village").filter(code=water_code).first()
        )
        if water_body is not None and not water_body_reportable(user=user, water_body=water_body):
            raise OutOfScope(f"水体 {water_code} 不在您的负责范围内")
    admin_village = None
    if natural_village is not None and natural_village.admin_village.code == admin_code:
        admin_village = natural_village.admin_village  # already checked with its natural village
    elif admin_code:
        # Contractors report on the villages their facilities serve.
        admin_village = AdministrativeVillage.objects.filter(code=admin_code).first()
        if admin_village is None or not admin_village_reportable(
            user=user, admin_village=admin_village
        ):
            raise OutOfScope(f"村 {admin_code} 不在您的负责范围内")
    if admin_village is None:
        if natural_village is not None:
            admin_village = natural_village.admin_village
        elif water_body is not None:
            admin_village = water_body.admin_village
        elif facility is not None:
            served = facility.natural_villages.select_related("admin_village").order_by("code")
            first = served.first()
            admin_village = first.admin_village if first else None
    return _Subjects(admin_village, natural_village, facility, water_body)


def _client_time(answers: dict, name: str) -> datetime | None:
    value = answers.get(name)
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _attachments_checked(files: Mapping[str, File]) -> dict[str, File]:
    """Attachments by file name; a name carrying a path is refused, never silently cut."""
    checked: dict[str, File] = {}
    for part_name, upload in files.items():
        name = PurePath(upload.name or part_name).name
        if not _plain_name(part_name) or not _plain_name(name):
            raise InvalidAttachmentName(f"附件文件名不合法：{part_name[:80]}")
        checked[name] = upload
    return checked


# Every field but the XForm text (tens of KB), which storing an instance does not need.
_VERSION_FIELDS = tuple(
    field.name for field in FormVersion._meta.concrete_fields if field.name != "xform"
)


@cache
def _form_version_sql(vendor: str) -> str:
    return (
        f"SELECT {sql.columns(FormVersion, 'v', _VERSION_FIELDS)}, {sql.columns(Form, 'f')}"
        f" FROM {sql.table(FormVersion)} v JOIN {sql.table(Form)} f ON f.id = v.form_id"
        " WHERE f.form_id = %s AND v.version = %s"
    )


def _form_version_for(instance: openrosa.Instance) -> FormVersion:
    """The version the instance was filled with, and its form, read in one statement
    (config.sql: no ORM compilation on this path), fresh on every request, so a form closed
    or a version published by either worker counts at once."""
    row = sql.fetch_one(_form_version_sql(sql.vendor()), [instance.form_id, instance.version])
    if row is None:
        if not Form.objects.filter(form_id=instance.form_id).exists():
            raise FormNotFound(f"服务器上没有表单 {instance.form_id}，请先获取最新表单")
        raise FormVersionNotFound(
            f"服务器上没有表单 {instance.form_id} 的版本 {instance.version}，请获取最新表单"
        )
    version, after = sql.instance(FormVersion, row, fields=_VERSION_FIELDS)
    version.form, _ = sql.instance(Form, row, after)
    if not version.form.is_open:
        raise FormClosed()
    return version


def _attachment_store(
    submission: Submission, name: str, upload: File, stored: list[str]
) -> Attachment:
    digest = hashlib.md5()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    attachment = Attachment(
        submission=submission,
        name=name,
        md5=digest.hexdigest(),
        size=size,
        content_type=(getattr(upload, "content_type", "") or "")[:100],
    )
    attachment.file.save(get_valid_filename(name), upload, save=False)
    stored.append(attachment.file.name)
    sql.insert(attachment)
    return attachment


def _locked(form: Form, instance_id: str) -> Submission | None:
    return Submission.objects.select_for_update().filter(form=form, instance_id=instance_id).first()


def submission_receive(
    *,
    xml: bytes,
    files: Mapping[str, File],
    user: User,
    device_id: str = "",
    client_date: str = "",
) -> SubmissionReceipt:
    """Store one submission request from ODK Collect: a new instance, more files of a
    known one (split upload or retry), or an edit (meta/deprecatedID).

    Raises DuplicateSubmission when the identical XML and all its files are already here.
    """
    instance = openrosa.instance_parse(xml)
    attachments = _attachments_checked(files)
    version = _form_version_for(instance)
    form = version.form
    if not user_may_fill(user=user, form=form):
        raise SubmissionForbidden(f"您没有提交表单 {form.title} 的权限")
    answers = openrosa.instance_answers(instance, repeat_paths=version.repeat_paths)
    subjects = _subjects_in_scope(answers, user)
    xml_md5 = openrosa.md5_hex(xml)
    expected = openrosa.instance_values(answers, version.binary_paths)
    fields = {
        "form": form,
        "form_version": version,
        "instance_id": instance.instance_id,
        "xml": xml.decode("utf-8"),
        "xml_md5": xml_md5,
        "answers": answers,
        "submitted_by": user,
        "device_id": device_id[:255],
        "client_started_at": _client_time(answers, "start"),
        "client_ended_at": _client_time(answers, "end"),
        "client_date_header": client_date[:100],
        "admin_village": subjects.admin_village,
        "natural_village": subjects.natural_village,
        "facility": subjects.facility,
        "water_body": subjects.water_body,
        "attachments_expected": expected,
        "attachments_complete": set(expected) <= set(attachments),
    }

    with _stored_files_removed_on_failure() as stored, transaction.atomic():
        submission = None
        previous = None
        if instance.deprecated_id:
            # A resent edit is a duplicate, not a second edit of the same version.
            submission = _locked(form, instance.instance_id)
            if submission is None:
                previous = _edit_target_locked(form, instance.deprecated_id)
        created = False
        if submission is None:
            # A concurrent retry may insert the same instanceID first (or a rival edit the
            # same `replaces`): the unique constraint decides, INSERT … ON CONFLICT DO
            # NOTHING writes nothing, and we continue with the row that won.
            candidate = Submission(replaces=previous, **fields)
            if sql.insert(candidate, ignore_conflicts=True):
                submission, created = candidate, True
            else:
                submission = _locked(form, instance.instance_id)
                if submission is None:
                    if previous is not None:
                        raise EditOfSupersededVersion()
                    raise IntegrityError(f"submission {instance.instance_id} conflicts")
            if created and previous is not None:
                previous.is_current = False
                previous.save(update_fields=["is_current", "updated_at"])
        if created:
            added = [
                _attachment_store(submission, name, upload, stored).name
                for name, upload in attachments.items()
            ]
        else:
            if submission.xml_md5 != xml_md5:
                raise SubmissionConflict()
            received = set(submission.attachments.values_list("name", flat=True))
            added = [
                _attachment_store(submission, name, upload, stored).name
                for name, upload in attachments.items()
                if name not in received
            ]
            if not added:
                raise DuplicateSubmission()
            complete = set(submission.attachments_expected) <= received | set(added)
            submission.attachments_complete = complete
            submission.save(update_fields=["attachments_complete", "updated_at"])
    if created:
        transaction.on_commit(
            lambda: signals.submission_accepted.send(sender=Submission, submission=submission)
        )
    return SubmissionReceipt(submission=submission, created=created, attachments_added=added)


def _edit_target_locked(form: Form, deprecated_id: str) -> Submission | None:
    if not deprecated_id:
        return None
    previous = _locked(form, deprecated_id)
    if previous is None:
        raise EditTargetNotFound()
    if not previous.is_current:
        raise EditOfSupersededVersion()
    return previous
