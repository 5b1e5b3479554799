"""Questionnaires and what the field sends back.

Form → FormVersion (one per published XLSForm version, each keeps receiving
submissions) → FormMedia. Submission is one filled questionnaire, identified by
its instanceID; Attachment is a file that came with it. An edit is a new
Submission that `replaces` the earlier one, which stays as history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Role
from registry.models import AdministrativeVillage, NaturalVillage, SewageFacility, WaterBody

FIELD_ROLES = [role.value for role in Role]


def _all_roles() -> list[str]:
    return list(FIELD_ROLES)


class Form(models.Model):
    form_id = models.CharField("表单ID", max_length=100, unique=True)
    title = models.CharField("表单名称", max_length=200)
    is_open = models.BooleanField(
        "接收提交", default=True, help_text="关闭后不再出现在表单列表中，也不再接收提交"
    )
    fill_roles = models.JSONField(
        "可填报角色", default=_all_roles, help_text="可以下载和提交此表单的角色代码列表"
    )
    current_version = models.ForeignKey(
        "FormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前版本",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "表单"
        verbose_name_plural = "表单"
        ordering = ["form_id"]

    def __str__(self) -> str:
        return f"{self.form_id} {self.title}"


def xlsform_upload_to(version: "FormVersion", filename: str) -> str:
    return f"forms/{version.form.form_id}/{version.xform_md5}/{filename}"


class FormVersion(models.Model):
    form = models.ForeignKey(
        Form, on_delete=models.CASCADE, related_name="versions", verbose_name="表单"
    )
    version = models.CharField("版本", max_length=100, blank=True)
    title = models.CharField("表单名称", max_length=200)
    xlsform = models.FileField("XLSForm", upload_to=xlsform_upload_to, max_length=300)
    xform = models.TextField("XForm")
    xform_md5 = models.CharField("XForm MD5", max_length=32)
    # From the XForm, for parsing its instances: paths are relative to the root element.
    repeat_paths = models.JSONField("重复组路径", default=list)
    binary_paths = models.JSONField("附件字段路径", default=list)
    media_names = models.JSONField("引用的媒体文件", default=list)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = "表单版本"
        verbose_name_plural = "表单版本"
        ordering = ["form", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form.form_id} v{self.version}"


def form_media_upload_to(media: "FormMedia", filename: str) -> str:
    return f"forms/{media.version.form.form_id}/{media.version.xform_md5}/media/{filename}"


class FormMedia(models.Model):
    version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="media", verbose_name="表单版本"
    )
    filename = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to=form_media_upload_to, max_length=400)
    md5 = models.CharField("MD5", max_length=32)

    class Meta:
        verbose_name = "表单媒体文件"
        verbose_name_plural = "表单媒体文件"
        ordering = ["version", "filename"]
        constraints = [
            models.UniqueConstraint(fields=["version", "filename"], name="form_media_unique")
        ]

    def __str__(self) -> str:
        return self.filename


class Submission(models.Model):
    # No index of its own: (form, instance_id) and (form, is_current) below begin with it.
    form = models.ForeignKey(
        Form,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="表单",
        db_index=False,
    )
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="submissions", verbose_name="表单版本"
    )
    instance_id = models.CharField("实例ID", max_length=255)
    xml = models.TextField("原始XML")
    xml_md5 = models.CharField("XML MD5", max_length=32)
    answers = models.JSONField("答案", default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="提交人",
    )
    device_id = models.CharField("设备ID", max_length=255, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)
    client_started_at = models.DateTimeField("开始填写(手机时间)", null=True, blank=True)
    client_ended_at = models.DateTimeField("完成填写(手机时间)", null=True, blank=True)
    client_date_header = models.CharField("手机发送时间(Date头)", max_length=100, blank=True)
    admin_village = models.ForeignKey(
        AdministrativeVillage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="行政村/社区",
    )
    natural_village = models.ForeignKey(
        NaturalVillage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="自然村",
    )
    facility = models.ForeignKey(
        SewageFacility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="设施",
    )
    water_body = models.ForeignKey(
        WaterBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="水体",
    )
    # An edit (orx:deprecatedID) replaces exactly one earlier version; the one-to-one
    # constraint makes two concurrent edits of the same version impossible.
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="修改自",
    )
    is_current = models.BooleanField("当前版本", default=True)
    attachments_expected = models.JSONField("应有附件", default=list)
    attachments_complete = models.BooleanField("附件齐全", default=True)

    class Meta:
        verbose_name = "提交"
        verbose_name_plural = "提交"
        ordering = ["-received_at", "-pk"]
        constraints = [
            # The guarantee against copies from retrying phones: checked by the database,
            # so it holds when two retries arrive at the same moment.
            models.UniqueConstraint(
                fields=["form", "instance_id"], name="submission_instance_unique"
            ),
        ]
        indexes = [models.Index(fields=["form", "is_current"], name="submission_form_current")]

    def __str__(self) -> str:
        return f"{self.form.form_id} {self.instance_id}"

    @property
    def attachments_missing(self) -> list[str]:
        received = {a.name for a in self.attachments.all()}
        return [name for name in self.attachments_expected if name not in received]


def attachment_upload_to(attachment: "Attachment", filename: str) -> str:
    submission = attachment.submission
    folder = submission.instance_id.removeprefix("uuid:")
    return f"submissions/{submission.form.form_id}/{folder}/{filename}"


class Attachment(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments", verbose_name="提交"
    )
    name = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=500)
    md5 = models.CharField("MD5", max_length=32)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("类型", max_length=100, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["submission", "name"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="attachment_name_unique"),
            models.CheckConstraint(condition=~Q(name__contains="/"), name="attachment_name_plain"),
        ]

    def __str__(self) -> str:
        return self.name


class DigestNonceUse(models.Model):
    """One (nonce, nc) pair a Digest login has used. A second use of the same pair is a
    replay and is refused (RFC 7616 §3.4.5); both gunicorn workers see the same table.
    Rows older than a nonce's lifetime are removed as new nonces are handed out."""

    nonce = models.CharField(max_length=100)
    nc = models.BigIntegerField()
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "Digest 随机数使用记录"
        verbose_name_plural = "Digest 随机数使用记录"
        constraints = [
            models.UniqueConstraint(fields=["nonce", "nc"], name="collect_digest_nonce_nc_once")
        ]

    def __str__(self) -> str:
        return f"{self.nonce} nc={self.nc:08x}"
