"""People and what they are responsible for.

The four roles of the 五位一体 model that use this system. Scoping rules (who
sees and submits what) live in accounts.scopes, so every entry point — OpenRosa,
REST API, exports, dashboard — asks the same functions.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from registry.models import AdministrativeVillage, SewageFacility, Town


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区级管理员"
    TOWN_OFFICIAL = "town_official", "镇级管理人员"
    VILLAGE_WORKER = "village_worker", "村级工作人员"
    CONTRACTOR = "contractor", "第三方运维人员"


class UserManager(DjangoUserManager):
    def _create_user_object(self, username, email, password, **extra_fields):
        # Django's create_user() hashes the password without calling set_password().
        user = super()._create_user_object(username, email, password, **extra_fields)
        user.digest_ha1 = digest_ha1(user.username, password) if password else ""
        return user


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
    # HTTP Digest (ODK Collect on plain HTTP) needs md5(username:realm:password); Django's
    # password hash cannot produce it. Kept in step with the password by set_password().
    digest_ha1 = models.CharField("Digest HA1", max_length=32, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def save(self, *args, **kwargs) -> None:
        # The role decides admin access (accounts.roles); the role's group is set after the
        # save (accounts.signals).
        from accounts.roles import staff_for_role

        staff = staff_for_role(self.role)
        if staff is not None:
            self.is_staff = staff
        super().save(*args, **kwargs)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.digest_ha1 = "" if raw_password is None else digest_ha1(self.username, raw_password)

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self.digest_ha1 = ""

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username


def digest_ha1(username: str, password: str) -> str:
    """HA1 of RFC 2617 for the configured realm; a realm change needs every password reset."""
    realm = settings.OPENROSA_DIGEST_REALM
    return hashlib.md5(f"{username}:{realm}:{password}".encode()).hexdigest()


class LoginFailure(models.Model):
    """One failed login, kept for the lock-out window (accounts.lockout)."""

    username = models.CharField("用户名", max_length=150)
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    # HMAC of what was tried (the password, or for Digest the device): a phone resending
    # the same wrong password from its queue counts once.
    fingerprint = models.CharField("尝试指纹", max_length=64)
    via = models.CharField("登录方式", max_length=20)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"
        indexes = [models.Index(fields=["username", "ip", "at"], name="login_failure_lookup")]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip or '-'} {self.via}"


class LoginLock(models.Model):
    """A (username, IP) — or with ``all_addresses`` the username from everywhere — refused
    until ``until``; deleting the row lifts the lock."""

    username = models.CharField("用户名", max_length=150)
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    all_addresses = models.BooleanField(
        "所有地址", default=False, help_text="多个地址累计失败过多：该用户名从任何地址都不能登录"
    )
    locked_at = models.DateTimeField("锁定时间", auto_now_add=True)
    until = models.DateTimeField("锁定至")

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"
        indexes = [models.Index(fields=["username", "ip", "until"], name="login_lock_lookup")]

    def __str__(self) -> str:
        return f"{self.username} @ {'所有地址' if self.all_addresses else self.ip or '-'}"
