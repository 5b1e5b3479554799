"""``etl.memory.small_pages``: numpy's huge-page advice off inside, as it was afterwards."""

import os
import threading

import pytest

from etl import memory

toggle = memory._hugepage_toggle()
pytestmark = pytest.mark.skipif(
    toggle is None or "NUMPY_MADVISE_HUGEPAGE" in os.environ,
    reason="no runtime switch, or numpy's environment variable decides",
)


def _current() -> bool:
    setting = toggle(True)
    toggle(setting)
    return setting


@pytest.mark.parametrize("before", [True, False])
def test_off_inside_and_restored(before):
    previous = toggle(before)
    try:
        with memory.small_pages():
            assert _current() is False
            with memory.small_pages():
                assert _current() is False
            assert _current() is False
        assert _current() is before
    finally:
        toggle(previous)


def test_threads_inside_at_once_restore_it_once_all_left():
    previous = toggle(True)
    inside, leave = threading.Event(), threading.Event()

    def work():
        with memory.small_pages():
            inside.set()
            leave.wait(5)

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert inside.wait(5)
        with memory.small_pages():
            pass
        assert _current() is False  # the other thread is still inside
        leave.set()
        worker.join(5)
        assert _current() is True
    finally:
        leave.set()
        worker.join(5)
        toggle(previous)
