"""Master data every questionnaire, indicator and chart refers to.

Town → AdministrativeVillage → NaturalVillage; SewageFacility serves natural
villages; WaterBody is a (candidate) black-odorous water body. Codes are stable
strings used by the questionnaires' CSV media and by exports, so they are
unique and never reused. Deleting a village that something still refers to is
refused (PROTECT), never cascaded.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from registry.choices import (
    FacilityScale,
    FacilityStatus,
    OmMode,
    ProcessType,
    SewageMode,
    VillageKind,
    WaterBodyKind,
    WaterBodyStage,
)

# WGS-84 as ODK Collect records it; mainland China only.
LATITUDE_VALIDATORS = [MinValueValidator(3.0), MaxValueValidator(54.0)]
LONGITUDE_VALIDATORS = [MinValueValidator(73.0), MaxValueValidator(136.0)]


class Located(models.Model):
    latitude = models.FloatField(
        "纬度", null=True, blank=True, validators=LATITUDE_VALIDATORS, help_text="WGS-84"
    )
    longitude = models.FloatField(
        "经度", null=True, blank=True, validators=LONGITUDE_VALIDATORS, help_text="WGS-84"
    )

    class Meta:
        abstract = True

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Town(Located):
    code = models.CharField(
        "统计用区划代码", max_length=9, unique=True, validators=[RegexValidator(r"^\d{9}$")]
    )
    name = models.CharField("名称", max_length=50)
    name_en = models.CharField("英文名", max_length=100, blank=True)
    district = models.CharField("所属区", max_length=50, default="钟楼区")

    class Meta:
        verbose_name = "镇"
        verbose_name_plural = "镇"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AdministrativeVillage(Located):
    code = models.CharField(
        "统计用区划代码", max_length=12, unique=True, validators=[RegexValidator(r"^\d{12}$")]
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="admin_villages", verbose_name="镇"
    )
    name = models.CharField("名称", max_length=50)
    name_en = models.CharField("英文名", max_length=100, blank=True)
    kind = models.CharField("类型", max_length=16, choices=VillageKind.choices)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "行政村/社区"
        verbose_name_plural = "行政村/社区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class NaturalVillage(Located):
    code = models.CharField(
        "自然村编码",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{12}\d{3}$", "编码为行政村12位代码加3位序号")],
        help_text="行政村12位统计代码 + 3位序号",
    )
    admin_village = models.ForeignKey(
        AdministrativeVillage,
        on_delete=models.PROTECT,
        related_name="natural_villages",
        verbose_name="行政村/社区",
    )
    name = models.CharField("名称", max_length=50)
    households = models.PositiveIntegerField("总户数", default=0)
    households_connected = models.PositiveIntegerField("已接入户数", default=0)
    population = models.PositiveIntegerField("常住人口", default=0)
    is_planned_development = models.BooleanField("规划发展村庄", default=False)
    is_planned_relocation = models.BooleanField("规划搬迁撤并", default=False)
    sewage_mode = models.CharField(
        "污水治理模式", max_length=16, choices=SewageMode.choices, default=SewageMode.NONE
    )

    class Meta:
        verbose_name = "自然村"
        verbose_name_plural = "自然村"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(households_connected__lte=F("households")),
                name="natural_village_connected_le_total",
                violation_error_message="已接入户数不能大于总户数",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_treated(self) -> bool:
        return self.sewage_mode != SewageMode.NONE


class Contractor(models.Model):
    code = models.CharField("单位编码", max_length=20, unique=True)
    name = models.CharField("单位名称", max_length=100)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "第三方运维单位"
        verbose_name_plural = "第三方运维单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SewageFacility(Located):
    code = models.CharField(
        "设施编码",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}-WS-\d{3,5}$", "编码格式如 ZQ-WS-001")],
    )
    name = models.CharField("设施名称", max_length=100)
    natural_villages = models.ManyToManyField(
        NaturalVillage,
        through="FacilityVillage",
        related_name="facilities",
        verbose_name="服务自然村",
    )
    process_type = models.CharField("处理工艺", max_length=20, choices=ProcessType.choices)
    scale = models.CharField(
        "规模", max_length=16, choices=FacilityScale.choices, default=FacilityScale.VILLAGE
    )
    design_capacity = models.DecimalField(
        "设计规模(吨/日)",
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    commissioned_on = models.DateField("投运日期", null=True, blank=True)
    contractor = models.ForeignKey(
        Contractor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name="第三方运维单位",
    )
    om_mode = models.CharField(
        "运维模式", max_length=16, choices=OmMode.choices, default=OmMode.THIRD_PARTY
    )
    in_service = models.BooleanField("在用", default=True)
    status = models.CharField(
        "最近运行状态",
        max_length=16,
        choices=FacilityStatus.choices,
        default=FacilityStatus.UNINSPECTED,
    )
    status_date = models.DateField("最近巡查日期", null=True, blank=True)
    faults = models.JSONField(
        "最近巡查故障", default=list, blank=True, help_text="最近一次巡查记录的故障类型和严重程度"
    )

    class Meta:
        verbose_name = "农村生活污水处理设施"
        verbose_name_plural = "农村生活污水处理设施"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(design_capacity__gte=0),
                name="facility_capacity_non_negative",
                violation_error_message="设计规模不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FacilityVillage(models.Model):
    """A facility serves a natural village; the village cannot be deleted while it does."""

    facility = models.ForeignKey(SewageFacility, on_delete=models.CASCADE, verbose_name="设施")
    natural_village = models.ForeignKey(
        NaturalVillage, on_delete=models.PROTECT, verbose_name="自然村"
    )

    class Meta:
        verbose_name = "设施服务自然村"
        verbose_name_plural = "设施服务自然村"
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "natural_village"], name="facility_village_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility.code} → {self.natural_village.name}"


class WaterBody(Located):
    code = models.CharField(
        "水体编码",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}-HC-\d{3,5}$", "编码格式如 ZQ-HC-001")],
    )
    name = models.CharField("水体名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=WaterBodyKind.choices)
    admin_village = models.ForeignKey(
        AdministrativeVillage,
        on_delete=models.PROTECT,
        related_name="water_bodies",
        verbose_name="行政村/社区",
    )
    natural_village = models.ForeignKey(
        NaturalVillage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="water_bodies",
        verbose_name="自然村",
    )
    length_m = models.DecimalField(
        "长度(米)",
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    area_m2 = models.DecimalField(
        "面积(平方米)",
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    stage = models.CharField(
        "整治阶段", max_length=16, choices=WaterBodyStage.choices, default=WaterBodyStage.SCREENED
    )
    stage_date = models.DateField("阶段日期", null=True, blank=True)
    is_confirmed = models.BooleanField(
        "已确认", default=True, help_text="现场新报告的水体在镇级确认前为未确认"
    )

    class Meta:
        verbose_name = "黑臭水体"
        verbose_name_plural = "黑臭水体"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RegistryObject(models.TextChoices):
    NATURAL_VILLAGE = "natural_village", "自然村"
    FACILITY = "facility", "处理设施"
    WATER_BODY = "water_body", "黑臭水体"


class RegistryChange(models.Model):
    """One change of one registry field made by following the field's submissions.

    ``old_value`` of an object's first change is the state before any submission counted
    (the registered baseline the ETL uses for periods before the first submission).
    ``field`` ``created`` records a water body created from a field report.
    """

    object_type = models.CharField("对象类型", max_length=20, choices=RegistryObject.choices)
    code = models.CharField("编码", max_length=20)
    field = models.CharField("字段", max_length=40)
    old_value = models.JSONField("原值", null=True, blank=True)
    new_value = models.JSONField("新值", null=True, blank=True)
    submission = models.ForeignKey(
        "collect.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registry_changes",
        verbose_name="依据提交",
    )
    changed_at = models.DateTimeField("变更时间", auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="变更人",
    )

    class Meta:
        verbose_name = "名录变更记录"
        verbose_name_plural = "名录变更记录"
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "code", "field"], name="registry_change_object")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.field}: {self.old_value} → {self.new_value}"
