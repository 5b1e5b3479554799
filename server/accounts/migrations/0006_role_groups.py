"""The role groups (镇级管理员, 区级管理员) and every existing user put in their role's group,
staff or not by role. The groups' permissions follow accounts.roles; permissions of apps
not migrated yet are added by the post_migrate step of the same `migrate`."""

from django.db import migrations

from accounts.roles import ROLE_GROUPS, STAFF_ROLES, role_groups_update


def groups_and_members(apps, schema_editor):
    using = schema_editor.connection.alias
    role_groups_update(apps=apps, using=using)
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    managed = [name for name, _ in ROLE_GROUPS.values()]
    for user in User.objects.using(using).exclude(role=""):
        user.groups.remove(*Group.objects.using(using).filter(name__in=managed))
        if user.role in ROLE_GROUPS:
            user.groups.add(Group.objects.using(using).get(name=ROLE_GROUPS[user.role][0]))
        staff = user.role in STAFF_ROLES
        if user.is_staff != staff:
            User.objects.using(using).filter(pk=user.pk).update(is_staff=staff)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_loginlock_all_addresses"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(groups_and_members, migrations.RunPython.noop)]
