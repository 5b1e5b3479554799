"""gunicorn's request body (``wsgi.input``) read in the sizes asked for.

gunicorn's ``Body.read(n)`` gathers n bytes 1,024 at a time and copies what its socket
reader holds on every step: for a 210 KB submission (a 200 KB photo) about 0.35 ms of a
worker's CPU, some 5 % of what a submission costs. The ``LengthReader`` under it returns n
bytes in one call from the socket reads of up to 8 KB. Django reads the body with
``read(n)`` (64 KB chunks for multipart), so those calls go to the reader directly while
nothing else is buffered; every other call (``readline``, iteration, ``read()`` of all)
goes to ``Body``, which stays consistent since this object keeps no buffer of its own.

Only bodies with a Content-Length (``LengthReader``) are wrapped; chunked ones and every
other server's ``wsgi.input`` pass unchanged. ``Body.reader`` and ``Body.buf`` are gunicorn
internals (gunicorn 23, pinned in constraints.txt); tests/deploy/test_wsgi_input.py checks
them against a real socket.
"""

from typing import Any

try:
    from gunicorn.http.body import Body, LengthReader
except ImportError:  # served by something else (runserver, tests)
    Body = LengthReader = None


class ContentLengthInput:
    """``wsgi.input`` over a gunicorn ``Body`` whose reader is a ``LengthReader``."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def read(self, size: int | None = None) -> bytes:
        body = self._body
        if size is None or size < 0 or body.buf.tell():
            return body.read(size)
        return body.reader.read(size)

    def readline(self, size: int | None = None) -> bytes:
        return self._body.readline(size)

    def readlines(self, size: int | None = None) -> list[bytes]:
        return self._body.readlines(size)

    def __iter__(self):
        return iter(self._body)


def fast_input(environ: dict) -> None:
    """Put ContentLengthInput in ``environ`` where gunicorn's Body with a length is."""
    body = environ.get("wsgi.input")
    if Body is not None and type(body) is Body and type(body.reader) is LengthReader:
        environ["wsgi.input"] = ContentLengthInput(body)
