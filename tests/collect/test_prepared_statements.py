"""config.sql's statements run on cursors that PostgreSQL prepares once they recur
(config.postgresql.DatabaseWrapper.prepared_cursor); Django's own cursors never prepare.
They stay Django cursors: queries are seen by execute wrappers and errors are Django's."""

import pytest
from django.db import ProgrammingError, connection, connections
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from config import sql
from config.postgresql.base import PREPARE_THRESHOLD, DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend only"),
]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_recurring_statement_is_prepared_and_gives_the_same_rows(users):
    statement = f"SELECT {sql.columns(User, 'u')} FROM {sql.table(User)} u WHERE u.username = %s"
    rows = [sql.fetch_one(statement, ["worker"]) for _ in range(PREPARE_THRESHOLD + 2)]

    assert any(text.startswith("SELECT u.") for text in _prepared())
    assert len(set(rows)) == 1
    user, _ = sql.instance(User, rows[-1])
    expected = User.objects.get(username="worker")
    assert (user.pk, user.username, user.date_joined, user.role) == (
        expected.pk,
        expected.username,
        expected.date_joined,  # timestamptz read in the connection's time zone, as the ORM
        expected.role,
    )


def test_djangos_own_queries_are_not_prepared(users):
    for _ in range(PREPARE_THRESHOLD + 2):
        list(User.objects.filter(username="worker").values_list("pk"))
    assert not any(text.startswith('SELECT "accounts_user"') for text in _prepared())


def test_they_are_django_cursors_for_wrappers_and_errors():
    with CaptureQueriesContext(connection) as queries:
        assert sql.fetch_one("SELECT %s + 1", [41]) == (42,)
    assert len(queries) == 1
    with pytest.raises(ProgrammingError):  # django.db's, not psycopg's
        sql.fetch_one("SELECT no_such_column FROM accounts_user", [])


def test_without_a_threshold_it_is_djangos_cursor():
    settings = {
        **connections["default"].settings_dict,
        "OPTIONS": {**connections["default"].settings_dict["OPTIONS"], "prepare_threshold": None},
    }
    wrapper = DatabaseWrapper(settings)
    try:
        with wrapper.prepared_cursor() as cursor:
            assert type(cursor.cursor).__name__ == "Cursor"  # Django's client-binding cursor
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()
