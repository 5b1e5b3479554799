"""Django's PostgreSQL backend (``django.db.backends.postgresql``), with two additions for
the submission path.

1. The connection health check of CONN_HEALTH_CHECKS asks the socket before it asks the
   server. With persistent connections Django checks, before the first query of every
   request, that the connection still works: a ``SELECT 1`` round trip (``is_usable``), one
   more statement on every submission. A connection the server has ended (restart,
   ``pg_terminate_backend``, ``idle_session_timeout``, a proxy's reset) has something to read
   while it is idle: the server's FATAL message, or the end of the stream. So an idle
   connection with nothing to read is taken as usable without a query; anything else
   (something to read, a transaction open, errors since the last commit) gets Django's
   ``SELECT 1`` as before. A connection cut without a word (a cable pulled) is caught by
   neither check before its first query.

2. ``prepared_cursor()``: a cursor whose statements PostgreSQL prepares (parses and plans
   once per connection) after psycopg has seen them ``prepare_threshold`` times. Django's
   own cursors bind parameters on the client and never prepare (psycopg's ClientCursor), so
   the threshold that Django leaves off by default (for connection poolers) is set here and
   only these cursors use it. config.sql runs the fixed statements of the submission path
   with them: a point lookup costs PostgreSQL about half the CPU prepared. With
   ``OPTIONS["prepare_threshold"] = None`` (a pooler in transaction mode) it is Django's cursor.

Subclassing a built-in backend is how Django's documentation says to change one. Not
documented Django API, hence tests/deploy/test_health_check.py and
tests/collect/test_prepared_statements.py: ``is_usable`` (Django 5.2 calls it from
``close_if_health_check_failed`` and ``close_if_unusable_or_obsolete``), ``_prepare_cursor``
and the backend's ``ServerBindingCursor`` and time zone loader (as ``create_cursor`` uses them).
"""

import select

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from psycopg import pq

PREPARE_THRESHOLD = 5  # psycopg's default


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
            params["prepare_threshold"] = PREPARE_THRESHOLD
        return params

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

    def prepared_cursor(self) -> CursorWrapper:
        """cursor(), binding parameters on the server so that psycopg prepares each statement
        from its ``prepare_threshold``-th run on this connection. For fixed statement texts
        with placeholders only: every distinct text takes a place in psycopg's cache."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            return self.cursor()
        with self.wrap_database_errors:
            cursor = base.ServerBindingCursor(self.connection)
            # As create_cursor: the time zone loader when the connection's differs.
            loader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, pq.Format.TEXT)
            if self.timezone != loader.timezone:
                register_tzloader(self.timezone, cursor)
        return self._prepare_cursor(cursor)  # Django's wrapping (query log, execute wrappers)
