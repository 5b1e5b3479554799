"""Indicator definitions with their targets, and the published results the API and
dashboard read.

IndicatorTarget is seeded from etl/targets.py (``manage.py load_targets``) and edited in the
admin. IndicatorSnapshot holds one computed value per indicator, level, area and period;
``indicators.services.indicators_publish`` replaces all of them in one transaction.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"


class Level(models.TextChoices):
    TOWN = "town", "镇"
    ADMIN_VILLAGE = "admin_village", "行政村/社区"
    NATURAL_VILLAGE = "natural_village", "自然村"


class IndicatorTarget(models.Model):
    code = models.CharField("指标代码", max_length=40, unique=True)
    name_zh = models.CharField("指标名称", max_length=100)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    category_zh = models.CharField("类别", max_length=50, blank=True)
    unit = models.CharField("单位", max_length=20, default="%")
    target = models.FloatField("目标值")
    comparison = models.CharField(
        "比较方式", max_length=8, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    deadline_year = models.PositiveSmallIntegerField("目标年份", default=2025)
    source_note = models.TextField("依据", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "指标目标值"
        verbose_name_plural = "指标目标值"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh} {self.get_comparison_display()} {self.target:g}{self.unit}"


class IndicatorSnapshot(models.Model):
    code = models.CharField("指标代码", max_length=40)
    name_zh = models.CharField("指标名称", max_length=100)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    unit = models.CharField("单位", max_length=20)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    area_code = models.CharField("区域代码", max_length=20)
    area_name = models.CharField("区域名称", max_length=100, blank=True)
    admin_village_code = models.CharField(
        "所属行政村代码", max_length=20, blank=True, help_text="村级行的行政村，用于按角色筛选"
    )
    town_code = models.CharField(
        "所属镇代码", max_length=9, blank=True, db_index=True, help_text="按镇增量发布时使用"
    )
    period = models.CharField("期间", max_length=7)
    value = models.FloatField("现状值", null=True)
    numerator = models.FloatField("分子")
    denominator = models.FloatField("分母")
    target = models.FloatField("目标值", null=True)
    met = models.BooleanField("是否达标", null=True)
    record_count = models.PositiveIntegerField("记录数")
    # The ids behind the value (natural village, facility, water body codes or submission
    # instance ids). ``basis``, on administrative-village rows only (see
    # selectors.snapshot_basis): per id [id, natural village, numerator, denominator,
    # category, deciding submission].
    records = models.JSONField("记录", default=list)
    basis = models.JSONField("明细", default=list)
    details = models.JSONField("分项", default=dict)
    # Of everything above: a publish rewrites only the rows whose content changed.
    content_hash = models.CharField("内容摘要", max_length=32)
    as_of = models.DateField("数据截止日")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "指标结果"
        verbose_name_plural = "指标结果"
        ordering = ["code", "period", "level", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "level", "area_code", "period"], name="indicator_snapshot_unique"
            )
        ]
        indexes = [models.Index(fields=["level", "period"], name="indicator_snapshot_lp")]

    def __str__(self) -> str:
        return f"{self.code} {self.level}:{self.area_code} {self.period}"


class AlertThreshold(models.Model):
    """An alert rule's limit, edited in the admin (the dashboard's 预警 and lists read it).
    Seeded from ``indicators.thresholds.SEED_THRESHOLDS`` by a migration and ``load_targets``.
    """

    code = models.CharField("规则代码", max_length=40, unique=True)
    name_zh = models.CharField("规则名称", max_length=100)
    value = models.PositiveIntegerField("阈值", validators=[MinValueValidator(1)])
    unit = models.CharField("单位", max_length=20, default="天")
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "预警阈值"
        verbose_name_plural = "预警阈值"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh}：{self.value}{self.unit}"

    def clean(self) -> None:
        from indicators.thresholds import thresholds_check

        others = dict(AlertThreshold.objects.exclude(code=self.code).values_list("code", "value"))
        error = thresholds_check({**others, self.code: self.value})
        if error:
            raise ValidationError({"value": error})


class JudgementThreshold(models.Model):
    """A limit the ETL judges raw readings by (black-odorous water, banned film), edited in
    the admin because its source is unverified. Seeded from ``etl.judgements.SEED_JUDGEMENTS``
    by a migration and ``load_targets``; a change re-tidies every submission (``etl.store``).
    """

    code = models.CharField("规则代码", max_length=40, unique=True)
    name_zh = models.CharField("规则名称", max_length=100)
    value = models.DecimalField("阈值", max_digits=9, decimal_places=3)
    unit = models.CharField("单位", max_length=20)
    source = models.CharField("依据", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "判定阈值"
        verbose_name_plural = "判定阈值"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh}：{self.value.normalize():f} {self.unit}"

    def clean(self) -> None:
        from indicators.thresholds import judgement_check

        error = judgement_check(self.code, self.value)
        if error:
            raise ValidationError({"value": error})


class TidyRow(models.Model):
    """One row of one tidy ETL table (``etl.tidy``) for one submission, kept so the
    indicators are recomputed from these compact rows instead of parsing every submission's
    answers again (``etl.store``). ``line`` is the row as CSV in the columns of its table's
    schema. ``is_current`` and ``review_state`` follow the submission (an edit, a review
    decision); the rows of a deleted submission go with it.
    """

    submission = models.ForeignKey(
        "collect.Submission", on_delete=models.CASCADE, related_name="+", verbose_name="提交"
    )
    frame = models.CharField("表", max_length=24)
    town_code = models.CharField("镇代码", max_length=9, blank=True)
    is_current = models.BooleanField("当前版本", default=True)
    review_state = models.CharField("审核状态", max_length=20, blank=True)
    line = models.TextField("行(CSV)")

    class Meta:
        verbose_name = "整理后数据行"
        verbose_name_plural = "整理后数据行"
        indexes = [models.Index(fields=["frame", "town_code"], name="tidy_row_frame_town")]

    def __str__(self) -> str:
        return f"{self.frame} #{self.submission_id}"


class TidyStoreState(models.Model):
    """How far ``TidyRow`` has followed the submissions (a single row)."""

    version = models.CharField("整理规则版本", max_length=64)
    last_submission_id = models.BigIntegerField("已整理到的提交ID", default=0)
    last_review_at = models.DateTimeField("已跟随的审核时间", null=True, blank=True)
    # The format of the ``TidyBlock`` rows built (``etl.store_blocks.FORMAT``); another
    # format, or none yet, builds them all again from the rows.
    blocks_format = models.CharField("列块格式", max_length=16, blank=True, default="")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "整理数据状态"
        verbose_name_plural = "整理数据状态"

    def __str__(self) -> str:
        return f"{self.version} ≤ #{self.last_submission_id}"


class TidyBlock(models.Model):
    """The ``TidyRow`` rows of one tidy table and one town, parsed once into typed columns
    (an Arrow IPC stream, with each row's submission, id, ``is_current`` and
    ``review_state``), so a full recompute reads a few thousand blocks instead of parsing a
    million CSV lines (``etl.store_blocks``). ``data`` is empty (NULL) while the town's rows
    have changed since the block was built; ``etl.store.refresh`` builds it again, and
    readers take such a town's rows from ``TidyRow``.
    """

    frame = models.CharField("表", max_length=24)
    town_code = models.CharField("镇代码", max_length=9, blank=True)
    data = models.BinaryField("列数据(Arrow)", null=True, blank=True)
    rows = models.IntegerField("行数", default=0)

    class Meta:
        verbose_name = "整理后数据列块"
        verbose_name_plural = "整理后数据列块"
        constraints = [
            models.UniqueConstraint(fields=["frame", "town_code"], name="tidy_block_frame_town")
        ]

    def __str__(self) -> str:
        return f"{self.frame} {self.town_code or '-'} ({self.rows})"
