"""Login forms that say so when the account is locked (accounts.lockout), instead of the
usual "wrong username or password"."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts.lockout import LOCKED_MESSAGE, client_ip, login_locked


def _locked_error(form: AuthenticationForm) -> forms.ValidationError | None:
    username = form.cleaned_data.get("username") or form.data.get("username") or ""
    if username and login_locked(username=str(username), ip=client_ip(form.request)):
        return forms.ValidationError(LOCKED_MESSAGE, code="locked")
    return None


class LockoutAuthenticationForm(AuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        return _locked_error(self) or super().get_invalid_login_error()


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        return _locked_error(self) or super().get_invalid_login_error()
