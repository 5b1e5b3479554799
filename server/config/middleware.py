"""Middleware the OpenRosa endpoints do without.

ODK Collect logs in with Digest or Basic on every request and reads fixed Chinese
OpenRosaResponse messages: it never uses a session, Django messages or the
Accept-Language negotiation (the OpenRosa views are CSRF-exempt, so the stock CSRF
middleware does nothing for them). Those middleware still run for every other path (web
pages, admin, API); for /formList, /submission and /forms/… they are passed through, which
saves their work on the busiest path, the submissions. Security, common, audit and
clickjacking middleware run for every path.
"""

import re

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.locale import LocaleMiddleware

# The paths of collect.urls.openrosa_patterns (a server URL with a trailing slash gives "//").
OPENROSA_PATH = re.compile(r"^//?(?:(?:formList|submission)$|forms/[^/]+/versions/\d+/)")


def is_openrosa_path(path: str) -> bool:
    return OPENROSA_PATH.match(path) is not None


def _passed_through_for_openrosa(middleware: type) -> type:
    class PassedThroughForOpenRosa(middleware):
        # WSGI only: Django adapts a sync-only middleware when it serves under ASGI.
        sync_capable = True
        async_capable = False

        def __call__(self, request):
            if is_openrosa_path(request.path_info):
                return self.get_response(request)
            return super().__call__(request)

    PassedThroughForOpenRosa.__name__ = middleware.__name__
    PassedThroughForOpenRosa.__qualname__ = middleware.__qualname__
    PassedThroughForOpenRosa.__doc__ = f"{middleware.__name__}, except on OpenRosa paths."
    return PassedThroughForOpenRosa


# Authentication needs the session; an OpenRosa view gets its user from DRF (Digest/Basic),
# which also sets it on the Django request.
SessionMiddlewareExceptOpenRosa = _passed_through_for_openrosa(SessionMiddleware)
LocaleMiddlewareExceptOpenRosa = _passed_through_for_openrosa(LocaleMiddleware)
AuthenticationMiddlewareExceptOpenRosa = _passed_through_for_openrosa(AuthenticationMiddleware)
MessageMiddlewareExceptOpenRosa = _passed_through_for_openrosa(MessageMiddleware)
