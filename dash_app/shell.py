"""The page frame every logged-in viewer gets: header, navigation, filters and the page
container; and the callbacks that keep the filters, the URL and the page in step."""

import logging
from urllib.parse import urlencode

from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update, set_props

from dash_app import auth, data, ids, labels, urlstate
from dash_app.pages import PAGES, page_name

logger = logging.getLogger(__name__)


def on_error(error: Exception) -> None:
    """Any callback that fails: log it and tell the viewer, instead of a silently blank page."""
    logger.error("dashboard callback failed", exc_info=error)
    set_props(ids.ERROR, {"children": labels.TEXT["callback_error"], "hidden": False})


def _base() -> str:
    from django.conf import settings

    return settings.DASH_URL_BASE_PATHNAME


def layout():
    """Called per page load: the viewer's frame, or a link to the login page."""
    viewer = auth.current_viewer()
    if viewer is None:  # the guard redirects first; this covers a session that just expired
        return html.Main(html.A(labels.TEXT["login"], href=auth.login_path()))
    as_of = data.today()
    town_options = [{"label": name, "value": code} for code, name in viewer.towns]
    year_options = [
        {"label": labels.TEXT["year_option"].format(year=y), "value": y}
        for y in range(as_of.year, data.FIRST_YEAR - 1, -1)
    ]
    quarter_options = [{"label": labels.TEXT["whole_year"], "value": 0}] + [
        {"label": labels.TEXT["quarter_option"].format(quarter=q), "value": q} for q in range(1, 5)
    ]
    base = _base()
    return html.Div(
        className="shell",
        children=[
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            html.Header(
                className="topbar",
                children=[
                    html.H1(labels.TEXT["app_title"], className="brand"),
                    html.Div(
                        className="who",
                        children=[
                            html.Span(f"{viewer.display_name}（{viewer.role_label}）"),
                            html.A(
                                labels.TEXT["other_language"],
                                href=auth.language_path(auth.other_language()),
                                id=ids.LANGUAGE,
                                lang="en" if labels.language() == "zh" else "zh",
                            ),
                            html.A(labels.TEXT["logout"], href=auth.logout_path(), id="logout"),
                        ],
                    ),
                ],
            ),
            html.Nav(
                id=ids.NAV,
                className="nav",
                children=[
                    dcc.Link(
                        labels.PAGES[name],
                        href=f"{base}{name}",
                        id={"type": ids.NAV_LINK, "page": name},
                        className="nav-link",
                    )
                    for name in PAGES
                ],
            ),
            html.Section(
                className="filters",
                children=[
                    _filter(
                        labels.TEXT["town"],
                        ids.FILTER_TOWN,
                        town_options,
                        viewer.town_code,
                        disabled=len(town_options) < 2,  # a town official has one town
                    ),
                    _filter(labels.TEXT["year"], ids.FILTER_YEAR, year_options, as_of.year),
                    _filter(labels.TEXT["quarter"], ids.FILTER_QUARTER, quarter_options, 0),
                    _filter(
                        labels.TEXT["village"], ids.FILTER_VILLAGE, village_options(viewer), ""
                    ),
                    html.A(
                        "⬇ " + labels.TEXT["download_workbook"],
                        id=ids.DOWNLOAD_WORKBOOK,
                        href=f"{base}download/workbook?year={as_of.year}",
                        className="download",
                    ),
                ],
            ),
            html.Div(id=ids.ERROR, className="error-banner", role="alert", hidden=True),
            # Never shown: makes the browser fetch and compile plotly.js while the first
            # callbacks run, instead of after the page's data has arrived.
            html.Div(dcc.Graph(id=ids.PLOTLY_PRELOAD), hidden=True),
            dcc.Loading(html.Main(id=ids.PAGE, className="page"), delay_show=300, type="dot"),
            html.Footer(labels.TEXT["as_of"].format(date=as_of.isoformat()), className="footer"),
        ],
    )


def village_options(viewer: data.Viewer) -> list[dict]:
    return [{"label": labels.TEXT["whole_town"], "value": ""}] + [
        {"label": name, "value": code} for code, name in data.village_names(viewer)
    ]


def _filter(
    label: str, component_id: str, options: list[dict], value, *, disabled: bool = False
) -> html.Label:
    return html.Label(
        className="filter",
        children=[
            html.Span(label),
            dcc.Dropdown(
                id=component_id,
                options=options,
                value=value,
                clearable=False,
                disabled=disabled,
                searchable=component_id in (ids.FILTER_VILLAGE, ids.FILTER_TOWN),
            ),
        ],
    )


@callback(
    Output(ids.URL, "search"),
    Output(ids.FILTER_TOWN, "value"),
    Output(ids.FILTER_YEAR, "value"),
    Output(ids.FILTER_QUARTER, "value"),
    Output(ids.FILTER_VILLAGE, "value"),
    Input(ids.URL, "search"),
    Input(ids.FILTER_TOWN, "value"),
    Input(ids.FILTER_YEAR, "value"),
    Input(ids.FILTER_QUARTER, "value"),
    Input(ids.FILTER_VILLAGE, "value"),
)
def filters_sync(search, town, year, quarter, village):
    """The URL is the truth: a new URL sets the filters; a changed filter writes the URL
    (another town starts with the whole town; ``route`` gives the village list)."""
    state = urlstate.parse(search, data.today())
    if ctx.triggered_id in (None, ids.URL):
        viewer = auth.current_viewer(state.town)
        if viewer is None:
            return (no_update,) * 5
        village = state.village if state.village in viewer.admin_village_codes else ""
        return no_update, viewer.town_code, state.year, state.quarter or 0, village
    if ctx.triggered_id == ids.FILTER_TOWN:
        viewer = auth.current_viewer(state.town)
        if viewer is None or town == viewer.town_code:
            return (no_update,) * 5
    else:
        town = state.town  # only the town picker changes the town
    changed = urlstate.with_filters(state, year, quarter, village, town)
    new_search = urlstate.build(changed, keep_selection=changed.village == state.village)
    village_value = "" if changed.town != state.town else no_update
    search_value = new_search if new_search != search else no_update
    return search_value, no_update, no_update, no_update, village_value


@callback(
    Output(ids.PAGE, "children"),
    Output(ids.ERROR, "hidden"),
    Output(ids.FILTER_VILLAGE, "options"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
)
def route(pathname, search):
    """The page of the URL, and the village list of the URL's town."""
    name = page_name(pathname, _base())
    state = urlstate.parse(search, data.today())
    viewer = auth.current_viewer(state.town)
    if viewer is None:
        return html.P(labels.TEXT["not_found"]), True, no_update
    if name not in PAGES:
        return html.P(labels.TEXT["not_found"]), True, village_options(viewer)
    return PAGES[name].layout(state, viewer), True, village_options(viewer)


@callback(
    Output({"type": ids.NAV_LINK, "page": ALL}, "href"),
    Output({"type": ids.NAV_LINK, "page": ALL}, "className"),
    Output(ids.DOWNLOAD_WORKBOOK, "href"),
    Output(ids.LANGUAGE, "href"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
    State({"type": ids.NAV_LINK, "page": ALL}, "id"),
)
def nav_links(pathname, search, link_ids):
    """Links keep the filters; the current page's link is marked."""
    state = urlstate.parse(search, data.today())
    query = urlstate.build(state, keep_selection=False)
    current = page_name(pathname, _base())
    base = _base()
    hrefs = [f"{base}{link['page']}{query}" for link in link_ids]
    classes = ["nav-link active" if link["page"] == current else "nav-link" for link in link_ids]
    here = (pathname or base) + (search or "")
    return (
        hrefs,
        classes,
        f"{base}download/workbook?{urlencode(workbook_query(state))}",
        auth.language_path(auth.other_language(), here),
    )


def workbook_query(state: urlstate.State) -> dict[str, str | int]:
    return {"year": state.year, **({"town": state.town} if state.town else {})}
