"""Django's PostgreSQL backend (``django.db.backends.postgresql``), with one change: the
connection health check of CONN_HEALTH_CHECKS asks the socket before it asks the server.

With persistent connections Django checks, before the first query of every request, that
the connection still works: a ``SELECT 1`` round trip (``is_usable``), one more statement
on every submission. A connection the server has ended (restart, ``pg_terminate_backend``,
``idle_session_timeout``, a proxy's reset) has something to read while it is idle: the
server's FATAL message, or the end of the stream. So an idle connection with nothing to
read is taken as usable without a query; anything else (something to read, a transaction
open, errors since the last commit) gets Django's ``SELECT 1`` as before. A connection cut
without a word (a cable pulled) is not caught by either check before its first query.

Subclassing a built-in backend is how Django's documentation says to change one; the
overridden method, ``is_usable``, is not documented API (Django 5.2: called by
``close_if_health_check_failed`` and ``close_if_unusable_or_obsolete``), hence the tests in
tests/deploy/test_health_check.py.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        raw = self.connection
        if raw is None:
            return False
        if (
            not self.errors_occurred
            and not raw.closed
            and raw.info.transaction_status == pq.TransactionStatus.IDLE
        ):
            try:
                readable, _, _ = select.select([raw.fileno()], [], [], 0)
            except (OSError, ValueError):
                readable = True  # let SELECT 1 decide
            if not readable:
                return True
        return super().is_usable()
