"""The logins ODK Collect can do: HTTP Digest (RFC 2617) and Basic.

Collect answers a Digest challenge on any URL but sends Basic only over https,
so Digest is what works on a plain-HTTP field server. Digest checks against the
HA1 kept on the user (accounts.User.digest_ha1). Nonces are signed and carry
their time and a random part, so any worker process can check them, and an expired
one is answered with stale=true so Collect retries without asking the worker again.
Each (nonce, nc) pair is accepted once (collect.models.DigestNonceUse, a table both
gunicorn workers share): a replayed request gets a fresh challenge with stale=true,
as RFC 7616 §3.4.5 describes. Failed logins count towards the lock-out of
accounts.lockout (Basic goes through Django's authenticate() and so through
accounts.backends) and send Django's user_login_failed signal, which the audit log records.
"""

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.lockout import (
    LOCKED_MESSAGE,
    client_ip,
    login_failure_record,
    login_failures_clear,
    login_locked,
    login_user_and_lock,
)
from collect.models import DigestNonceUse
from config import sql

DIGEST_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')


def _sign(value: str) -> str:
    key = f"openrosa-digest:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def digest_nonce(now: float | None = None) -> str:
    """A new nonce: issue time, a random part (no two challenges share a nonce, so their
    nc counts never collide) and a signature over both."""
    stamp = str(int(time.time() if now is None else now))
    salt = secrets.token_hex(8)
    return f"{stamp}.{salt}.{_sign(f'{stamp}.{salt}')}"


def digest_opaque() -> str:
    return _sign("opaque")


def _nonce_state(nonce: str) -> str:
    """'valid', 'stale' (ours but expired, or of the older format) or 'invalid'."""
    parts = nonce.split(".")
    if len(parts) == 2 and parts[0].isdigit() and hmac.compare_digest(parts[1], _sign(parts[0])):
        return "stale"  # a nonce without a random part, handed out before nc was tracked
    if len(parts) != 3 or not parts[0].isdigit():
        return "invalid"
    stamp, salt, signature = parts
    if not hmac.compare_digest(signature, _sign(f"{stamp}.{salt}")):
        return "invalid"
    age = time.time() - int(stamp)
    if age < -60 or age > settings.OPENROSA_DIGEST_NONCE_SECONDS:
        return "stale"
    return "valid"


def _nonce_count_first_use(nonce: str, nc: int) -> bool:
    """Record that (nonce, nc) was used; False when it already was (a replay).

    One INSERT that the unique constraint decides, so two workers receiving the same
    request at once cannot both accept it.
    """
    table = connection.ops.quote_name(DigestNonceUse._meta.db_table)
    with sql.cursor() as cursor:  # prepared once it recurs (PostgreSQL)
        cursor.execute(
            f"INSERT INTO {table} (nonce, nc, used_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (nonce, nc) DO NOTHING",
            [nonce, nc, timezone.now()],
        )
        return cursor.rowcount == 1


_purged_at = 0.0
_purge_lock = threading.Lock()


def nonce_uses_purge(*, force: bool = False) -> int:
    """Forget the uses of nonces that have expired (they are refused as stale anyway).

    Runs when a challenge is handed out, at most once a minute per process.
    """
    global _purged_at
    with _purge_lock:
        if not force and time.monotonic() - _purged_at < 60:
            return 0
        _purged_at = time.monotonic()
    lifetime = settings.OPENROSA_DIGEST_NONCE_SECONDS + 120
    cutoff = timezone.now() - dt.timedelta(seconds=lifetime)
    deleted, _ = DigestNonceUse.objects.filter(used_at__lt=cutoff).delete()
    return deleted


def _uri_path(uri: str) -> str:
    # urlsplit() would read "//formList" as a host name; only absolute URIs carry one.
    path = uri.split("?", 1)[0]
    return urlsplit(path).path if "://" in path else path


def basic_allowed(request) -> bool:
    return request.is_secure() or settings.OPENROSA_BASIC_OVER_HTTP


def challenge(request, *, stale: bool = False) -> str:
    """The WWW-Authenticate value: Digest first (what Collect uses), Basic where allowed.

    Django sends one header per name, so both challenges share it (RFC 7235 allows a list).
    """
    realm = settings.OPENROSA_DIGEST_REALM
    nonce_uses_purge()
    digest = (
        f'Digest realm="{realm}", qop="auth", algorithm=MD5, nonce="{digest_nonce()}", '
        f'opaque="{digest_opaque()}", domain="/"'
    )
    if stale:
        digest += ", stale=true"
    if basic_allowed(request):
        return f'{digest}, Basic realm="{realm}", charset="UTF-8"'
    return digest


def _login_failed(request, username: str) -> None:
    # Digest never reveals the password tried, so the device stands for the attempt: a
    # phone resending its queue counts once (see accounts.lockout).
    device = f"{request.META.get('HTTP_USER_AGENT', '')}|{request.query_params.get('deviceID', '')}"
    login_failure_record(
        username=username,
        ip=client_ip(request),
        attempt=f"digest-device:{device}",
        via="digest",
        request=request._request,
    )
    user_login_failed.send(
        sender=__name__, credentials={"username": username}, request=request._request
    )


class DigestAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "digest":
            return None
        params = {
            name.lower(): (quoted.replace('\\"', '"') if quoted else token)
            for name, quoted, token in DIGEST_PARAM.findall(rest)
        }
        required = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
        if any(not params.get(name) for name in required):
            raise exceptions.AuthenticationFailed("登录信息不完整，请重新登录")
        if (
            params["realm"] != settings.OPENROSA_DIGEST_REALM
            or params["qop"] != "auth"
            or params.get("algorithm", "MD5").upper() != "MD5"
            or params.get("opaque", digest_opaque()) != digest_opaque()
            or _uri_path(params["uri"]) != request.path
        ):
            raise exceptions.AuthenticationFailed("登录信息无效，请重新登录")
        state = _nonce_state(params["nonce"])
        if state != "valid":
            request._digest_stale = state == "stale"
            raise exceptions.AuthenticationFailed("登录已过期，请重试")
        try:
            nc = int(params["nc"], 16)
        except ValueError:
            nc = -1
        if len(params["nc"]) != 8 or nc < 1:
            raise exceptions.AuthenticationFailed("登录信息无效，请重新登录")
        user, locked = login_user_and_lock(username=params["username"], ip=client_ip(request))
        if locked:
            raise exceptions.AuthenticationFailed(LOCKED_MESSAGE)
        if user is None or not user.is_active or not user.digest_ha1:
            _login_failed(request, params["username"])
            raise exceptions.AuthenticationFailed("用户名或密码错误")
        ha2 = hashlib.md5(f"{request.method}:{params['uri']}".encode()).hexdigest()
        expected = hashlib.md5(
            f"{user.digest_ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:auth:{ha2}".encode()
        ).hexdigest()
        if not hmac.compare_digest(expected, params["response"].lower()):
            _login_failed(request, params["username"])
            raise exceptions.AuthenticationFailed("用户名或密码错误")
        if not _nonce_count_first_use(params["nonce"], nc):
            # The password was right but this exact request was seen: a replay, or a
            # client resending its header. A fresh nonce lets a real client go on.
            request._digest_stale = True
            raise exceptions.AuthenticationFailed("登录已过期，请重试")
        if nc == 1:
            # The first request with a nonce is the login; the rest continue it.
            login_failures_clear(username=user.username, ip=client_ip(request))
        return (user, None)

    def authenticate_header(self, request):
        return challenge(request, stale=getattr(request, "_digest_stale", False))


class OpenRosaBasicAuthentication(authentication.BasicAuthentication):
    """Basic, refused over plain HTTP unless OPENROSA_BASIC_OVER_HTTP (development) allows it."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.partition(" ")[0].lower() != "basic":
            return None
        if not basic_allowed(request):
            raise exceptions.AuthenticationFailed("请使用 HTTPS 地址，或在 ODK Collect 中重新登录")
        return super().authenticate(request)

    def authenticate_credentials(self, userid, password, request=None):
        if login_locked(username=userid, ip=client_ip(request)):
            raise exceptions.AuthenticationFailed(LOCKED_MESSAGE)
        try:
            user, auth = super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed("用户名或密码错误") from exc
        if not user.digest_ha1:
            # Users created before Digest support get their HA1 at their first Basic login.
            user.set_password(password)
            user.save(update_fields=["password", "digest_ha1"])
        return user, auth

    def authenticate_header(self, request):
        return challenge(request)
