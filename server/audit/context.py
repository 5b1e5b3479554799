"""The request being served, so that signal receivers can tell who acted and from where;
and the one place that records export downloads (every URL named export-*).

A ContextVar, not a thread-local: it follows the request under threads and asyncio alike.
"""

from contextvars import ContextVar

from django.http import HttpRequest

from accounts.lockout import client_ip  # noqa: F401  (re-exported for audit.services)

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            match = request.resolver_match
            if (
                match
                and (match.url_name or "").startswith("export-")
                and response.status_code == 200
            ):
                # Downloads are recorded at the boundary, whichever export view served them.
                from audit.models import AuditAction
                from audit.services import audit_record

                audit_record(
                    action=AuditAction.EXPORT_DOWNLOAD,
                    request=request,
                    changes={"export": match.url_name, "query": request.GET.urlencode()},
                )
            return response
        finally:
            _current_request.reset(token)
