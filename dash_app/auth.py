"""Login with the server's accounts: Django's ``authenticate`` against the same database,
a Flask session signed with the server's SECRET_KEY, and a guard in front of every page and
callback. Only town officials and district administrators get in (``data.ALLOWED_ROLES``).

CSRF: every session carries a random token. The login form sends it as a hidden field; Dash's
renderer sends it on every callback as the ``X-CSRFToken`` header, read from the
``_csrf_token`` cookie (dash-renderer does this by itself). A POST without the right token is
refused with 400 before anything else runs."""

import datetime as dt
import html
import secrets
from urllib.parse import quote, urlencode

import flask

from dash_app import data, labels, tables

SESSION_USER = "uid"
SESSION_HASH = "auth"
SESSION_CSRF = "csrf"
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _base() -> str:
    from django.conf import settings

    return settings.DASH_URL_BASE_PATHNAME


def login_path() -> str:
    return f"{_base()}auth/login"


def logout_path() -> str:
    return f"{_base()}auth/logout"


def current_viewer(town: str | None = None) -> data.Viewer | None:
    """The viewer of this request looking at ``town`` (their default town if None or not
    theirs); cached on ``flask.g``."""
    if "viewers" not in flask.g:
        flask.g.viewers = {}
    if town not in flask.g.viewers:
        flask.g.viewers[town] = data.viewer_for(
            flask.session.get(SESSION_USER), flask.session.get(SESSION_HASH), town
        )
    return flask.g.viewers[town]


def _safe_next(target: str | None) -> str:
    base = _base()
    if not target or not target.startswith(base) or target.startswith("//"):
        return base
    return target


def _login_page(error: str = "", next_url: str = "", username: str = "") -> str:
    error_html = f'<p class="login-error" role="alert">{html.escape(error)}</p>' if error else ""
    t = labels.TEXT
    switch = html.escape(language_path(other_language(), next_url))
    page_language = "en" if labels.language() == "en" else "zh-CN"
    return f"""<!doctype html>
<html lang="{page_language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t["login_title"]} · {t["app_title"]}</title>
<link rel="icon" href="{_base()}_favicon.ico">
<link rel="stylesheet" href="{_base()}assets/style.css"></head>
<body class="login-body"><main class="login-box">
<h1>{t["app_title"]}</h1>
<p class="login-language"><a href="{switch}" id="language">{t["other_language"]}</a></p>
<form method="post" action="{login_path()}" id="login-form">
{error_html}
<label for="username">{t["username"]}</label>
<input id="username" name="username" autocomplete="username" required
 value="{html.escape(username)}">
<label for="password">{t["password"]}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<input type="hidden" name="next" value="{html.escape(next_url)}">
<input type="hidden" name="{CSRF_FIELD}" value="{csrf_token()}">
<button type="submit">{t["login"]}</button>
</form></main></body></html>"""


def login():
    if flask.request.method == "GET":
        return _login_page(next_url=flask.request.args.get("next", ""))
    form = flask.request.form
    username = form.get("username", "")
    user_id, auth_hash, error = data.login_check(username, form.get("password", ""))
    if user_id is None:
        page = _login_page(labels.TEXT[error], form.get("next", ""), username)
        return page, 403 if error == "login_forbidden" else 401
    language = flask.session.get("lang")
    flask.session.clear()  # a new session (and CSRF token) for the logged-in user
    if language:
        flask.session["lang"] = language
    flask.session.permanent = True
    flask.session[SESSION_USER] = user_id
    flask.session[SESSION_HASH] = auth_hash
    return flask.redirect(_safe_next(form.get("next")))


def language_path(target: str, next_url: str = "") -> str:
    return f"{_base()}auth/lang?{urlencode({'to': target, 'next': next_url})}"


def other_language() -> str:
    return "zh" if labels.language() == "en" else "en"


def switch_language():
    """Remember the viewer's language in the session and go back to the page."""
    target = flask.request.args.get("to", "zh")
    flask.session["lang"] = target if target in labels.LANGUAGES else "zh"
    next_url = flask.request.args.get("next", "")
    return flask.redirect(_safe_next(next_url) if next_url else login_path())


def use_language():
    labels.set_language(flask.session.get("lang"))


def logout():
    language = flask.session.get("lang")
    flask.session.clear()
    if language:
        flask.session["lang"] = language
    return flask.redirect(login_path())


def download_workbook():
    viewer = current_viewer(flask.request.args.get("town") or None)
    if viewer is None or viewer.town_code is None:
        flask.abort(403)
    year = flask.request.args.get("year", type=int) or data.today().year
    dataset = data.dataset(viewer.town_code)
    try:
        content = tables.workbook_bytes(dataset, year)
    except ValueError:
        flask.abort(404)
    response = flask.make_response(content)
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = labels.TEXT["workbook_name"].format(town=dataset.town_name, year=year)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"assessment-{year}.xlsx\"; filename*=UTF-8''" + quote(name)
    )
    return response


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    token = flask.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        flask.session[SESSION_CSRF] = token
    return token


def csrf_check():
    """Before every request: refuse a POST (login form, logout, Dash callbacks) whose token
    is missing or is not this session's, with 400 and a message saying what to do."""
    if flask.request.method not in UNSAFE_METHODS or not flask.request.path.startswith(_base()):
        return None
    expected = flask.session.get(SESSION_CSRF)
    sent = flask.request.headers.get(CSRF_HEADER) or flask.request.form.get(CSRF_FIELD)
    if expected and sent and secrets.compare_digest(str(sent), str(expected)):
        return None
    message = labels.TEXT["csrf_failed"]
    if flask.request.path == login_path():
        form = flask.request.form
        return _login_page(message, form.get("next", ""), form.get("username", "")), 400
    return flask.jsonify({"error": "csrf", "message": message}), 400


def csrf_cookie(response: flask.Response) -> flask.Response:
    """Hand the session's token to dash-renderer in the cookie it reads."""
    token = flask.session.get(SESSION_CSRF)
    if not token:
        token = csrf_token() if flask.request.path.startswith(_base()) else None
    if token and flask.request.cookies.get(CSRF_COOKIE) != token:
        from django.conf import settings

        response.set_cookie(
            CSRF_COOKIE,
            token,
            path=_base(),
            samesite="Lax",
            secure=bool(settings.SESSION_COOKIE_SECURE),
            httponly=False,  # read by dash-renderer's JavaScript
        )
    return response


PUBLIC_PREFIXES = ("assets/", "_dash-component-suites/", "auth/", "_favicon.ico")


def guard():
    """Before every request under the dashboard: pages redirect to the login page, Dash's
    JSON endpoints answer 401, when nobody (allowed) is logged in."""
    base = _base()
    path = flask.request.path
    if not path.startswith(base):
        return None
    rest = path[len(base) :]
    if rest.startswith(PUBLIC_PREFIXES):
        return None
    if current_viewer() is not None:
        return None
    if rest.startswith("_dash-") or rest.startswith("download/"):
        return flask.jsonify({"error": "login required"}), 401
    query = flask.request.query_string.decode()
    target = path + (f"?{query}" if query else "")
    return flask.redirect(f"{login_path()}?{urlencode({'next': target})}")


def install(server: flask.Flask) -> None:
    """Session settings, the guard and the login, logout and download routes."""
    from django.conf import settings
    from django.db import close_old_connections

    server.secret_key = settings.SECRET_KEY
    server.config.update(
        SESSION_COOKIE_NAME="zouqu_dashboard",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings.SESSION_COOKIE_SECURE),
        SESSION_COOKIE_PATH=_base(),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )
    server.before_request(use_language)
    server.before_request(csrf_check)
    server.before_request(guard)
    server.after_request(csrf_cookie)
    server.teardown_appcontext(lambda _exc: close_old_connections())
    base = _base()
    server.add_url_rule(f"{base}auth/login", "dash_login", login, methods=["GET", "POST"])
    server.add_url_rule(f"{base}auth/logout", "dash_logout", logout, methods=["GET", "POST"])
    server.add_url_rule(f"{base}auth/lang", "dash_language", switch_language)
    server.add_url_rule(f"{base}download/workbook", "dash_workbook", download_workbook)
