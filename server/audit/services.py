"""The one write of the audit app: add entries. Nothing updates or deletes entries."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from audit.context import client_ip, current_request
from audit.models import AuditEntry
from config import sql

_FROM_REQUEST = object()


def _request_user(request: Any) -> Any:
    # A DRF Request would authenticate again on `.user` (and a failed login would recurse);
    # the Django request underneath holds whoever was authenticated already.
    django_request = getattr(request, "_request", request)
    user = getattr(django_request, "user", None)
    return user if user is not None and user.is_authenticated else None


def audit_record(
    *,
    action: str,
    target: models.Model | None = None,
    user: Any = _FROM_REQUEST,
    username: str = "",
    changes: dict | None = None,
    request: Any = None,
) -> AuditEntry:
    """Record one action. ``user`` and ``request`` default to those of the current request;
    pass ``user=None`` for an action nobody logged in did (a failed login)."""
    request = request if request is not None else current_request()
    if user is _FROM_REQUEST:
        user = _request_user(request) if request is not None else None
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    object_type = object_id = object_repr = ""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
        object_repr = str(target)[:200]
    entry = AuditEntry(
        action=action,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        ip=client_ip(request),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes or {},
    )
    sql.insert(entry)  # as entry.save(), one statement compiled once (every submission has one)
    return entry


def audit_record_many(
    *,
    action: str,
    entries: Iterable[tuple[models.Model, dict]],
    user: Any,
    request: Any = None,
) -> int:
    """Record the same action by one user on many objects at once: (target, changes) pairs.
    The entries are those audit_record would write one by one."""
    request = request if request is not None else current_request()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    username = user.get_username()[:150] if user is not None else ""
    ip = client_ip(request)
    rows = [
        AuditEntry(
            action=action,
            user=user,
            username=username,
            ip=ip,
            object_type=target._meta.label_lower,
            object_id=str(target.pk),
            object_repr=str(target)[:200],
            changes=changes or {},
        )
        for target, changes in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
