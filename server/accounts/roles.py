"""Roles → Django admin groups and permissions, kept in step with each user's role.

A user's role decides everything in the admin: 区级管理员 and 镇级管理人员 are staff and
belong to their role's group; village workers and contractors are not staff and belong to
no role group. The groups' permissions are the tables below, applied on every `migrate`
(accounts.apps connects role_groups_update to post_migrate), so a change here reaches every
database without a new migration. What rows a town official sees and may change in the
admin is decided per request (registry.admin, review.admin, accounts.admin) by
accounts.scopes.
"""

from django.apps import apps as global_apps
from django.db.models import Q

from accounts.models import Role, User

VIEW = ("view",)
EDIT = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

TOWN_GROUP = "镇级管理员"
DISTRICT_GROUP = "区级管理员"

# "app_label.model" -> permitted actions.
TOWN_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "registry.town": VIEW,
    "registry.administrativevillage": VIEW,
    "registry.naturalvillage": ALL,
    "registry.sewagefacility": ALL,
    "registry.facilityvillage": ALL,
    "registry.waterbody": ALL,
    "registry.contractor": EDIT,
    "collect.form": VIEW,
    "collect.formversion": VIEW,
    "collect.submission": VIEW,
    "review.review": VIEW,
    "review.reviewcomment": VIEW,
    "review.reviewpolicy": VIEW,
    "accounts.user": VIEW,
    "indicators.indicatortarget": VIEW,
}

DISTRICT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "registry.town": ALL,
    "registry.administrativevillage": ALL,
    "registry.naturalvillage": ALL,
    "registry.sewagefacility": ALL,
    "registry.facilityvillage": ALL,
    "registry.waterbody": ALL,
    "registry.contractor": ALL,
    "registry.registrychange": VIEW,
    "collect.form": ("view", "change"),
    "collect.formversion": VIEW,
    "collect.submission": VIEW,
    "collect.attachment": VIEW,
    "review.review": VIEW,
    "review.reviewcomment": VIEW,
    "review.reviewpolicy": VIEW,
    "review.notice": VIEW,
    "accounts.user": ALL,
    "accounts.loginlock": ("view", "delete"),
    "accounts.loginfailure": VIEW,
    "authtoken.token": ("view", "delete"),
    "authtoken.tokenproxy": ("view", "delete"),
    "indicators.indicatortarget": ("view", "change"),
    "indicators.indicatorsnapshot": VIEW,
    "indicators.alertthreshold": ("view", "change"),
    "audit.auditentry": VIEW,
    "auth.group": VIEW,
}

ROLE_GROUPS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    Role.TOWN_OFFICIAL: (TOWN_GROUP, TOWN_PERMISSIONS),
    Role.DISTRICT_ADMIN: (DISTRICT_GROUP, DISTRICT_PERMISSIONS),
}
STAFF_ROLES = frozenset(ROLE_GROUPS)
MANAGED_GROUPS = frozenset(name for name, _ in ROLE_GROUPS.values())


def permission_query(grants: dict[str, tuple[str, ...]]) -> Q:
    query = Q(pk__in=[])
    for label, actions in grants.items():
        app_label, model = label.split(".")
        codenames = [f"{action}_{model}" for action in actions]
        query |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=codenames,
        )
    return query


def role_groups_update(*, apps=global_apps, using: str = "default") -> dict[str, dict]:
    """Create the role groups and give each exactly the permissions of its table.

    Permissions of models not (yet) installed are skipped; the next `migrate` adds them.
    Returns, per group, the codenames added and removed.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    changes = {}
    for name, grants in ROLE_GROUPS.values():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = set(Permission.objects.using(using).filter(permission_query(grants)))
        current = set(group.permissions.all())
        if wanted != current:
            group.permissions.set(wanted)
            changes[name] = {
                "add": sorted(p.codename for p in wanted - current),
                "remove": sorted(p.codename for p in current - wanted),
            }
    return changes


def staff_for_role(role: str) -> bool | None:
    """Whether a user of this role may use the admin; None for no role (left as set)."""
    return (role in STAFF_ROLES) if role else None


def user_role_groups_sync(*, user: User) -> None:
    """Put the user in their role's group and in no other role group."""
    from django.contrib.auth.models import Group

    wanted = ROLE_GROUPS[user.role][0] if user.role in ROLE_GROUPS else None
    current = set(user.groups.filter(name__in=MANAGED_GROUPS).values_list("name", flat=True))
    if current == ({wanted} if wanted else set()):
        return
    stale = current - {wanted}
    if stale:
        user.groups.remove(*Group.objects.filter(name__in=stale))
    if wanted and wanted not in current:
        group, _ = Group.objects.get_or_create(name=wanted)
        user.groups.add(group)
