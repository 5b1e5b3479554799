"""Lock-out after repeated failed logins, shared by every login path.

Web and admin logins, DRF's session login, the API token endpoint and Collect's Basic
login go through accounts.backends.LockoutModelBackend; Collect's Digest login calls
these functions itself (collect.authentication).

Failures count per (username, IP). Five *different* attempts within 15 minutes lock that
pair for 15 minutes. The same attempt repeated (a phone resending its queue after one
typo) counts once: each failure carries an HMAC of what was tried. Digest never shows the
password, so there the fingerprint is the device (User-Agent and deviceID), and a hard cap
of twenty failures of any kind in the window still stops guessing from one device.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import LoginFailure, LoginLock

FAILURES_TO_LOCK = 5
ATTEMPTS_TO_LOCK = 20
WINDOW = dt.timedelta(minutes=15)
LOCK_DURATION = dt.timedelta(minutes=15)
LOCKED_MESSAGE = "登录失败次数过多，账号已临时锁定，请15分钟后再试"


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
    return LoginLock.objects.filter(
        username=username[:150], ip=ip, until__gt=timezone.now()
    ).exists()


def login_failure_record(
    *, username: str, ip: str | None, attempt: str, via: str, request=None
) -> bool:
    """Count one failed login; returns True when it locks the (username, IP) pair."""
    from audit.models import AuditAction
    from audit.services import audit_record

    username = username[:150]
    now = timezone.now()
    with transaction.atomic():
        LoginFailure.objects.create(
            username=username,
            ip=ip,
            fingerprint=attempt_fingerprint(username=username, attempt=attempt),
            via=via[:20],
        )
        recent = LoginFailure.objects.filter(username=username, ip=ip, at__gte=now - WINDOW)
        distinct = recent.values("fingerprint").distinct().count()
        if distinct < FAILURES_TO_LOCK and recent.count() < ATTEMPTS_TO_LOCK:
            return False
        LoginLock.objects.create(username=username, ip=ip, until=now + LOCK_DURATION)
        recent.delete()
        audit_record(
            action=AuditAction.LOCKED_OUT,
            username=username,
            user=None,
            request=request,
            changes={"ip": ip, "via": via, "until": (now + LOCK_DURATION).isoformat()},
        )
    return True


def login_failures_clear(*, username: str, ip: str | None) -> None:
    """A successful login forgets the earlier failures of that pair."""
    LoginFailure.objects.filter(username=username[:150], ip=ip).delete()
