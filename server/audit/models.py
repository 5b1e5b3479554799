"""The audit log: who did what, when and from where. Rows are only ever added."""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    SUBMISSION_RECEIVED = "submission_received", "收到提交"
    SUBMISSION_EDITED = "submission_edited", "提交被修改"
    REVIEW_STATE = "review_state", "审核状态变更"
    REVIEW_COMMENT = "review_comment", "审核意见"
    REVIEW_POLICY = "review_policy", "计入规则变更"
    REGISTRY_CHANGE = "registry_change", "台账变更"
    FORM_PUBLISH = "form_publish", "发布表单"
    USER_CHANGE = "user_change", "用户或权限变更"
    TOKEN_REVOKE = "token_revoke", "撤销API令牌"
    EXPORT_DOWNLOAD = "export_download", "下载导出"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED_OUT = "locked_out", "账号被临时锁定"


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    # Kept as text too: failed logins name no real user, and users may be deleted.
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    action = models.CharField("操作", max_length=30, choices=AuditAction.choices)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象ID", max_length=100, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-pk"]
        # What the log is read by: time (the admin's order and date filter), action, one
        # object's history, a user. Every submission writes an entry, so no more than
        # that: no text-pattern twins (the admin's search is a substring search, which no
        # b-tree serves) and no index on username (user covers it).
        indexes = [
            models.Index(fields=["action"], name="audit_action"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"
