"""Keep role groups in step: each user's membership after a save, the groups' permissions
after every migrate."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.roles import role_groups_update, user_role_groups_sync


@receiver(post_save, sender=User, dispatch_uid="accounts-role-groups")
def _user_saved(sender, instance: User, created: bool, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "role" not in update_fields and not created):
        return
    user_role_groups_sync(user=instance)


def groups_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs) -> None:
    """After `migrate` (once, on accounts' turn): every app's permissions exist, then the
    role groups get exactly their tables' permissions; a change is audited."""
    if sender.label != "accounts":
        return
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    changes = role_groups_update(using=using)
    if changes:
        from audit.models import AuditAction
        from audit.services import audit_record

        audit_record(
            action=AuditAction.USER_CHANGE,
            user=None,
            username="migrate",
            changes={"role_groups": changes},
        )


post_migrate.connect(groups_after_migrate, dispatch_uid="accounts-groups-after-migrate")
