"""Django's model backend with the lock-out of accounts.lockout in front of it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.lockout import (
    client_ip,
    login_failure_record,
    login_failures_clear,
    login_locked,
)


class LockoutModelBackend(ModelBackend):
    """Refuses a locked (username, IP) before checking the password; counts failures.

    Raising PermissionDenied makes django.contrib.auth.authenticate() stop and send
    user_login_failed, so the audit log sees refused attempts too.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request)
        if login_locked(username=username, ip=ip):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(
                username=username, ip=ip, attempt=password, via="password", request=request
            )
        else:
            login_failures_clear(username=username, ip=ip)
        return user
