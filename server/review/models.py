"""Review of submissions: the state of each, the comment thread, the per-town counting
rule and the notices that tell officials a sent-back submission was redone."""

from django.conf import settings
from django.db import models

from collect.models import Submission
from registry.models import Town
from review.states import ReviewState


class Review(models.Model):
    """The review state of one submission version; created when the submission arrives."""

    submission = models.OneToOneField(
        Submission,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="review",
        verbose_name="提交",
    )
    state = models.CharField(
        "审核状态",
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.RECEIVED,
    )
    changed_at = models.DateTimeField("状态更新时间", auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    # Set when an edit or a new submission about the same facility/water body redoes a
    # sent-back submission: the loop is closed and it leaves the collector's 待整改 list.
    redone_by = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="redoes",
        verbose_name="整改提交",
    )

    class Meta:
        verbose_name = "审核状态"
        verbose_name_plural = "审核状态"
        # Not db_index=True: on PostgreSQL that adds a text-pattern twin nobody queries.
        indexes = [models.Index(fields=["state"], name="review_state")]

    def __str__(self) -> str:
        return f"{self.submission} {self.get_state_display()}"


class ReviewComment(models.Model):
    """One entry of a submission's thread; a state change carries the state it set."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="review_comments", verbose_name="提交"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作者"
    )
    body = models.TextField("意见", blank=True)
    state_from = models.CharField("原状态", max_length=20, choices=ReviewState.choices, blank=True)
    state_to = models.CharField("新状态", max_length=20, choices=ReviewState.choices, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:30]}"


class CountingRule(models.TextChoices):
    ALL_BUT_REJECTED = "all_but_rejected", "除已驳回外全部计入"
    APPROVED_ONLY = "approved_only", "仅计入已核准"


class ReviewPolicy(models.Model):
    """Which submissions of a town count towards its indicators (default: all but rejected)."""

    town = models.OneToOneField(
        Town, on_delete=models.CASCADE, related_name="review_policy", verbose_name="镇"
    )
    counting = models.CharField(
        "指标计入规则",
        max_length=20,
        choices=CountingRule.choices,
        default=CountingRule.ALL_BUT_REJECTED,
    )

    class Meta:
        verbose_name = "审核计入规则"
        verbose_name_plural = "审核计入规则"

    def __str__(self) -> str:
        return f"{self.town} {self.get_counting_display()}"


class NoticeKind(models.TextChoices):
    SENT_BACK = "sent_back", "提交被退回"
    REDONE = "redone", "整改已提交"


class Notice(models.Model):
    """A message of the send-back loop to one person.

    ``sent_back``: to whoever sent a submission an official marked 有问题 or 已驳回, with the
    official's comment. ``redone``: to the town's officials (and whoever sent it back) when
    an edit or a new submission redoes it. A sent-back notice is marked read by itself when
    there is nothing left to do (redone, or approved after all).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="接收人",
    )
    kind = models.CharField("类型", max_length=20, choices=NoticeKind.choices)
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="+", verbose_name="原提交"
    )
    redone_by = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="整改提交",
    )
    state = models.CharField("审核状态", max_length=20, choices=ReviewState.choices, blank=True)
    comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.get_kind_display()} #{self.submission_id}"
