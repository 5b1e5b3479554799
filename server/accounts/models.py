"""People and what they are responsible for.

The four roles of the 五位一体 model that use this system. Scoping rules (who
sees and submits what) live in accounts.scopes, so every entry point — OpenRosa,
REST API, exports, dashboard — asks the same functions.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models

from registry.models import AdministrativeVillage, SewageFacility, Town


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区级管理员"
    TOWN_OFFICIAL = "town_official", "镇级管理人员"
    VILLAGE_WORKER = "village_worker", "村级工作人员"
    CONTRACTOR = "contractor", "第三方运维人员"


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属镇",
    )
    villages = models.ManyToManyField(
        AdministrativeVillage,
        blank=True,
        related_name="workers",
        verbose_name="负责行政村",
        help_text="村级工作人员负责的行政村/社区",
    )
    facilities = models.ManyToManyField(
        SewageFacility,
        blank=True,
        related_name="operators",
        verbose_name="负责设施",
        help_text="第三方运维人员负责的污水处理设施",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
