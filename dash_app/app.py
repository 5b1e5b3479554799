"""Create the Dash app and its page container; pages live in dash_app/pages/."""

import os

from dash import Dash

from dash_app.django_setup import django_setup


def create_app() -> Dash:
    django_setup()
    from django.conf import settings

    from dash_app import auth, data, figures, labels, shell

    app = Dash(
        __name__,
        title=labels.TEXT["browser_title"],
        update_title=None,
        url_base_pathname=settings.DASH_URL_BASE_PATHNAME,
        suppress_callback_exceptions=True,
        serve_locally=True,
        # Django brings asgiref, which would make Dash run callbacks in an event loop, where
        # the Django ORM refuses synchronous queries.
        use_async=False,
        on_error=shell.on_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    auth.install(app.server)
    # A function, so every page load reads the viewer and nothing loads at import.
    app.layout = shell.layout
    if os.environ.get("DASH_WARM", "1") != "0":
        data.warm(settings.DEFAULT_TOWN_CODE, then=figures.preload)
    return app


def server():
    """WSGI callable for gunicorn: `gunicorn 'dash_app.app:server()'`."""
    return create_app().server
