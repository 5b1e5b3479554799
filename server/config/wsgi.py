"""WSGI entry point: `gunicorn --chdir server config.wsgi`."""

import os
from collections.abc import Callable, Iterable

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.wsgi_input import fast_input

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()
# Import the URLconf, and with it every view module (DRF, drf-spectacular, pyxform…), while
# the worker starts instead of in its first request: about half a second of CPU that
# otherwise delays the first answers of every new worker.
get_resolver().url_patterns  # noqa: B018


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    fast_input(environ)  # gunicorn's body read without its 1 KB steps (config/wsgi_input.py)
    return django_application(environ, start_response)
