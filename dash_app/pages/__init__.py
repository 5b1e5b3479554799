"""One module per page: ``layout(state, viewer)`` plus that page's callbacks."""

from dash_app.pages import alerts, facilities, farm, overview, villages, water

PAGES = {
    "overview": overview,
    "villages": villages,
    "facilities": facilities,
    "water": water,
    "farm": farm,
    "alerts": alerts,
}


def page_name(pathname: str | None, base: str) -> str:
    """``/dash/facilities`` -> ``facilities``; the base path itself is the overview."""
    rest = (pathname or base)[len(base) :] if (pathname or "").startswith(base) else ""
    rest = rest.strip("/")
    return rest or "overview"
