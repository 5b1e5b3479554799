"""config.wsgi_input: gunicorn's request body read in the sizes asked for gives the same
bytes as gunicorn's own Body, mixed with Body's other calls, over a real socket (it relies
on gunicorn internals: Body.reader, Body.buf, LengthReader)."""

import contextlib
import os
import socket
import threading

import pytest
from gunicorn.http.body import Body, ChunkedReader, LengthReader
from gunicorn.http.unreader import SocketUnreader

from config.wsgi_input import ContentLengthInput, fast_input


@pytest.fixture
def body_of():
    pairs = []

    def make(data: bytes) -> Body:
        sender, receiver = socket.socketpair()

        def send() -> None:
            # OSError: the test stopped reading and closed the receiving end.
            with contextlib.suppress(OSError):
                sender.sendall(data)

        thread = threading.Thread(target=send, daemon=True)
        pairs.append((sender, receiver, thread))
        thread.start()
        return Body(LengthReader(SocketUnreader(receiver), len(data)))

    yield make
    # The receiver first, so a sender still blocked in sendall fails and ends before its
    # socket is closed under it.
    for sender, receiver, thread in pairs:
        receiver.close()
        thread.join(timeout=5)
        sender.close()


DATA = b"".join(
    [b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n', os.urandom(210_000), b"\n"]
    + [f"line {i}\r\n".encode() for i in range(50)]
)


@pytest.mark.parametrize("size", [1, 1000, 1024, 8191, 8192, 65536, len(DATA), len(DATA) + 1])
def test_reads_of_any_size_give_the_body(body_of, size):
    stream = ContentLengthInput(body_of(DATA))
    chunks = []
    while chunk := stream.read(size):
        assert len(chunk) <= size
        chunks.append(chunk)
    assert b"".join(chunks) == DATA
    assert stream.read(size) == b""


def test_mixed_with_readline_and_whole_reads(body_of):
    body = body_of(DATA)
    stream = ContentLengthInput(body)
    got = [stream.readline(), stream.read(100), stream.readline(10), stream.read(70_000)]
    got.append(stream.read(5))
    got.append(stream.read())
    assert b"".join(got) == DATA
    assert body.read(8192) == b""  # what gunicorn drains before the next request


def test_what_is_left_unread_gunicorn_can_still_drain(body_of):
    body = body_of(DATA)
    stream = ContentLengthInput(body)
    start = stream.read(65_536)
    rest = []
    while chunk := body.read(8192):
        rest.append(chunk)
    assert start + b"".join(rest) == DATA


def test_only_bodies_with_a_length_are_wrapped(body_of):
    body = body_of(b"abc")
    environ = {"wsgi.input": body}
    fast_input(environ)
    assert isinstance(environ["wsgi.input"], ContentLengthInput)

    sender, receiver = socket.socketpair()
    try:
        chunked = Body(ChunkedReader(None, SocketUnreader(receiver)))
        environ = {"wsgi.input": chunked}
        fast_input(environ)
        assert environ["wsgi.input"] is chunked
    finally:
        sender.close()
        receiver.close()
    other = object()
    environ = {"wsgi.input": other}
    fast_input(environ)
    assert environ["wsgi.input"] is other
