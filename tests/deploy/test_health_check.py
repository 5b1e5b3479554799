"""The PostgreSQL backend's connection health check (config/postgresql): an idle connection
with nothing to read passes without a query; one the server has ended is found and closed,
and the next query opens a new one."""

import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend only"),
]


@pytest.fixture
def own_connection():
    """A second connection to the test database, in autocommit like a server's between
    requests (the test's own one sits in the test's transaction)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _terminate(wrapper) -> None:
    pid = wrapper.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the server's message reaches the socket
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.05)


def test_the_settings_use_this_backend(own_connection):
    assert type(own_connection).__module__ == "config.postgresql.base"
    assert own_connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_idle_connection_passes_without_a_query(own_connection):
    with mock.patch.object(DjangoWrapper, "is_usable") as select_one:
        assert own_connection.is_usable() is True
    select_one.assert_not_called()


def test_after_errors_the_server_is_asked(own_connection):
    own_connection.errors_occurred = True
    with mock.patch.object(DjangoWrapper, "is_usable", return_value=True) as select_one:
        assert own_connection.is_usable() is True
    select_one.assert_called_once()


def test_a_connection_the_server_ended_is_found_and_replaced(own_connection):
    _terminate(own_connection)
    assert own_connection.is_usable() is False

    # What Django does before a request's first query with CONN_HEALTH_CHECKS.
    own_connection.health_check_enabled = True
    own_connection.health_check_done = False
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
