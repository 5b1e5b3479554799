"""Receivers that turn changes made anywhere (admin, API, OpenRosa, management commands)
into audit entries. Review actions are recorded by review.services itself."""

import datetime as dt
import decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from collect.models import FormVersion, Submission

# Fields that change on their own or hold secrets: never compared or shown.
_IGNORED_FIELDS = {"last_login", "password", "digest_ha1", "updated_at"}


def _plain(value):
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def _field_values(instance: Model) -> dict:
    return {
        field.attname: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in _IGNORED_FIELDS
    }


def _remember_before(sender, instance: Model, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _field_values(before) if before is not None else None


def _changes(instance: Model, created: bool) -> dict:
    after = _field_values(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        return {"created": after}
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _registry_saved(sender, instance: Model, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    changes = _changes(instance, created)
    if changes:
        audit_record(action=AuditAction.REGISTRY_CHANGE, target=instance, changes=changes)


def _registry_deleted(sender, instance: Model, **kwargs) -> None:
    audit_record(
        action=AuditAction.REGISTRY_CHANGE,
        target=instance,
        changes={"deleted": _field_values(instance)},
    )


for _model in apps.get_app_config("registry").get_models():
    pre_save.connect(_remember_before, sender=_model, dispatch_uid=f"audit-pre-{_model.__name__}")
    post_save.connect(_registry_saved, sender=_model, dispatch_uid=f"audit-{_model.__name__}")
    post_delete.connect(
        _registry_deleted, sender=_model, dispatch_uid=f"audit-del-{_model.__name__}"
    )


@receiver(post_save, sender=Submission, dispatch_uid="audit-submission")
def _submission_saved(sender, instance: Submission, created: bool, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    action = (
        AuditAction.SUBMISSION_EDITED if instance.replaces_id else AuditAction.SUBMISSION_RECEIVED
    )
    changes = {"form": instance.form.form_id, "instance_id": instance.instance_id}
    if instance.replaces_id:
        changes["replaces"] = instance.replaces.instance_id
    audit_record(action=action, target=instance, user=instance.submitted_by, changes=changes)


@receiver(post_save, sender=FormVersion, dispatch_uid="audit-form-version")
def _form_published(sender, instance: FormVersion, created: bool, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    audit_record(
        action=AuditAction.FORM_PUBLISH,
        target=instance,
        user=instance.published_by,
        changes={"form": instance.form.form_id, "version": instance.version},
    )


@receiver(pre_save, sender=User, dispatch_uid="audit-pre-user")
def _user_before(sender, instance: User, raw=False, **kwargs) -> None:
    _remember_before(sender, instance, raw=raw)
    instance._audit_password_before = (
        User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
        if instance.pk is not None and not raw
        else None
    )


@receiver(post_save, sender=User, dispatch_uid="audit-user")
def _user_saved(sender, instance: User, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    changes = _changes(instance, created)
    before_password = getattr(instance, "_audit_password_before", None)
    if not created and before_password is not None and before_password != instance.password:
        # The hash itself is never logged; only that it changed.
        changes["password"] = "已修改"
    if changes:
        audit_record(action=AuditAction.USER_CHANGE, target=instance, changes=changes)


def _user_relations_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or not isinstance(instance, User):
        return
    relation = {
        User.villages.through: "villages",
        User.facilities.through: "facilities",
        User.groups.through: "groups",
        User.user_permissions.through: "user_permissions",
    }[sender]
    audit_record(
        action=AuditAction.USER_CHANGE,
        target=instance,
        changes={relation: {action.removeprefix("post_"): sorted(pk_set or [])}},
    )


for _through in (
    User.villages.through,
    User.facilities.through,
    User.groups.through,
    User.user_permissions.through,
):
    m2m_changed.connect(
        _user_relations_changed, sender=_through, dispatch_uid=f"audit-m2m-{_through.__name__}"
    )


@receiver(post_save, sender=Group, dispatch_uid="audit-group")
def _group_saved(sender, instance: Group, created: bool, raw=False, **kwargs) -> None:
    if not raw:
        audit_record(action=AuditAction.USER_CHANGE, target=instance, changes={"created": created})


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=username,
        request=request,
        user=None,
        changes={"path": request.path if request is not None else "", "via": str(sender)[:60]},
    )


@receiver(post_delete, sender=Token, dispatch_uid="audit-token-revoke")
def _token_revoked(sender, instance: Token, **kwargs) -> None:
    audit_record(
        action=AuditAction.TOKEN_REVOKE,
        target=instance.user,
        changes={"token_of": instance.user.get_username()},
    )
