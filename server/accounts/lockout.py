"""Lock-out after repeated failed logins, shared by every login path.

Web and admin logins, DRF's session login, the API token endpoint and Collect's Basic
login go through accounts.backends.LockoutModelBackend; Collect's Digest login calls
these functions itself (collect.authentication).

Two limits, both over the last 15 minutes:

- per (username, IP): five *different* attempts lock that pair for 15 minutes;
- per username across all addresses: twenty different (address, attempt) failures lock the
  username everywhere for 15 minutes, so guessing one account from many addresses stops too.

The same attempt repeated (a phone resending its queue after one typo) counts once: each
failure carries an HMAC of what was tried. Digest never shows the password, so there the
fingerprint is the device (User-Agent and deviceID), and a hard cap of twenty Digest
failures from one address still stops guessing from one device. No failure is recorded
while a lock holds, so when it ends the window is empty again; an administrator who lifts a
lock early (deleting it in the admin) clears the failures with it (login_lock_lift).
"""

import datetime as dt
import hashlib
import hmac
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import LoginFailure, LoginLock, User
from config import sql

FAILURES_TO_LOCK = 5  # different attempts from one address
ATTEMPTS_TO_LOCK = 20  # Digest attempts from one address, whatever the device
USERNAME_FAILURES_TO_LOCK = 20  # different (address, attempt) pairs over all addresses
WINDOW = dt.timedelta(minutes=15)
LOCK_DURATION = dt.timedelta(minutes=15)
LOCKED_MESSAGE = "登录失败次数过多，账号已临时锁定，请15分钟后再试；急需使用请联系管理员解锁"


def client_ip(request) -> str | None:
    """The caller's address; behind our nginx (which appends to X-Forwarded-For) the last hop."""
    if request is None:
        return None
    meta = request.META
    if settings.TRUST_X_FORWARDED_PROTO:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            return hops[-1]
    return meta.get("REMOTE_ADDR") or None


def attempt_fingerprint(*, username: str, attempt: str) -> str:
    key = f"login-attempt:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{username}\0{attempt}".encode(), hashlib.sha256).hexdigest()


def login_locked(*, username: str, ip: str | None) -> bool:
    """Whether this username is locked from this address, or from every address."""
    return LoginLock.objects.filter(
        Q(ip=ip) | Q(all_addresses=True), username=username[:150], until__gt=timezone.now()
    ).exists()


@cache
def _user_and_lock_sql(vendor: str, without_ip: bool) -> str:
    address = "l.ip IS NULL" if without_ip else "l.ip = %s"
    return (
        f"SELECT EXISTS (SELECT 1 FROM {sql.table(LoginLock)} l WHERE l.username = %s"
        f" AND ({address} OR l.all_addresses = %s) AND l.until > %s),"
        f" {sql.columns(User, 'u')}"
        f" FROM (SELECT 1 AS one) AS x LEFT JOIN {sql.table(User)} u ON u.username = %s"
    )


def login_user_and_lock(*, username: str, ip: str | None) -> tuple[User | None, bool]:
    """The active-or-not user named ``username`` (None when there is none) and whether
    login_locked() holds, in one statement: what a Digest login asks on every request
    (config.sql: no ORM compilation)."""
    params: list = [username[:150]]
    if ip is not None:
        params.append(connection.ops.adapt_ipaddressfield_value(ip))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    row = sql.fetch_one(
        _user_and_lock_sql(sql.vendor(), ip is None), [*params, True, now, username]
    )
    user = sql.instance(User, row, 1)[0] if row[1] is not None else None
    return user, bool(row[0])


def _lock(*, username: str, ip: str | None, via: str, request, all_addresses: bool, now):
    from audit.models import AuditAction
    from audit.services import audit_record

    until = now + LOCK_DURATION
    LoginLock.objects.create(
        username=username,
        ip=None if all_addresses else ip,
        all_addresses=all_addresses,
        until=until,
    )
    changes = {"ip": ip, "via": via, "until": until.isoformat()}
    if all_addresses:
        addresses = (
            LoginFailure.objects.filter(username=username, at__gte=now - WINDOW)
            .values("ip")
            .distinct()
            .count()
        )
        changes.update(scope="所有地址", addresses=addresses)
    audit_record(
        action=AuditAction.LOCKED_OUT,
        username=username,
        user=None,
        request=request,
        changes=changes,
    )


def login_failure_record(
    *, username: str, ip: str | None, attempt: str, via: str, request=None
) -> bool:
    """Count one failed login; returns True when it locks the username (from that address
    or from every address)."""
    username = username[:150]
    now = timezone.now()
    since = now - WINDOW
    with transaction.atomic():
        # Older failures no longer count for anything.
        LoginFailure.objects.filter(username=username, at__lt=since).delete()
        LoginFailure.objects.create(
            username=username,
            ip=ip,
            fingerprint=attempt_fingerprint(username=username, attempt=attempt),
            via=via[:20],
        )
        of_user = LoginFailure.objects.filter(username=username, at__gte=since)
        from_ip = of_user.filter(ip=ip)
        ip_locks = (
            from_ip.values("fingerprint").distinct().count() >= FAILURES_TO_LOCK
            or from_ip.filter(via="digest").count() >= ATTEMPTS_TO_LOCK
        )
        user_locks = (
            of_user.values("ip", "fingerprint").distinct().count() >= USERNAME_FAILURES_TO_LOCK
            and not LoginLock.objects.filter(
                username=username, all_addresses=True, until__gt=now
            ).exists()
        )
        if ip_locks:
            _lock(username=username, ip=ip, via=via, request=request, all_addresses=False, now=now)
        if user_locks:
            _lock(username=username, ip=ip, via=via, request=request, all_addresses=True, now=now)
    return ip_locks or user_locks


def login_failures_clear(*, username: str, ip: str | None) -> None:
    """A successful login forgets the earlier failures from that address (not those from
    other addresses: someone else may still be guessing)."""
    LoginFailure.objects.filter(username=username[:150], ip=ip).delete()


def login_lock_lift(*, lock: LoginLock) -> None:
    """An administrator ends a lock early: the failures behind it are forgotten too."""
    failures = LoginFailure.objects.filter(username=lock.username)
    if not lock.all_addresses:
        failures = failures.filter(ip=lock.ip)
    with transaction.atomic():
        failures.delete()
        lock.delete()
