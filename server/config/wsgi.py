"""WSGI entry point: `gunicorn --chdir server config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import the URLconf, and with it every view module (DRF, drf-spectacular, pyxform…), while
# the worker starts instead of in its first request: about half a second of CPU that
# otherwise delays the first answers of every new worker.
get_resolver().url_patterns  # noqa: B018
