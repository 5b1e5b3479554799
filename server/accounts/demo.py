"""Demo accounts; they exist only in a database made by `manage.py load_demo`."""

from django.db import transaction

from accounts.models import Role, User
from registry.models import AdministrativeVillage, SewageFacility, Town

DEMO_PASSWORD = "zouqu-demo"
WORKER_VILLAGES = ["320404116201", "320404116203", "320404116205"]  # 杨庄村, 龙潭村, 戴庄村
CONTRACTOR_FACILITY_COUNT = 6

DEMO_ACCOUNTS = [
    ("district", "区级管理员", Role.DISTRICT_ADMIN),
    ("official", "邹区镇管理人员", Role.TOWN_OFFICIAL),
    ("worker", "村级工作人员", Role.VILLAGE_WORKER),
    ("contractor", "第三方运维人员", Role.CONTRACTOR),
]


@transaction.atomic
def demo_users_write(*, town: Town) -> list[User]:
    users = []
    for username, name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"last_name": name, "role": role}
        )
        user.role = role
        user.town = town
        user.is_staff = role in (Role.DISTRICT_ADMIN, Role.TOWN_OFFICIAL)
        user.is_superuser = role == Role.DISTRICT_ADMIN
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    worker = users[2]
    worker.villages.set(AdministrativeVillage.objects.filter(code__in=WORKER_VILLAGES))
    contractor = users[3]
    facilities = SewageFacility.objects.filter(contractor__code="OM-01", in_service=True).order_by(
        "code"
    )[:CONTRACTOR_FACILITY_COUNT]
    contractor.facilities.set(facilities)
    return users
