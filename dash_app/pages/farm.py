"""农膜/秸秆: recovery and utilisation by village, the straw split by use, and the
banned-thickness and open-burning findings."""

from dash import Input, Output, callback, dcc, html

from dash_app import auth, data, figures, ids, labels, tables
from dash_app.pages import common
from dash_app.urlstate import State


def layout(state: State, viewer: data.Viewer):
    return html.Div(
        [
            common.state_store(state),
            html.Div(id="farm-head"),
            html.Div(id="farm-findings", className="findings"),
            html.Div(
                className="two-col",
                children=[
                    dcc.Graph(id=ids.FARM_FILM, config=figures.graph_config("film_by_village")),
                    dcc.Graph(id=ids.FARM_STRAW, config=figures.graph_config("straw_by_village")),
                ],
            ),
            html.Div(
                className="two-col",
                children=[
                    dcc.Graph(id="farm-split", config=figures.graph_config("straw_split")),
                    dcc.Graph(id="farm-map", config=figures.graph_config("farm_findings")),
                ],
            ),
        ]
    )


@callback(
    Output("farm-head", "children"),
    Output("farm-findings", "children"),
    Output(ids.FARM_FILM, "figure"),
    Output(ids.FARM_STRAW, "figure"),
    Output("farm-split", "figure"),
    Output("farm-map", "figure"),
    Input(ids.PAGE_STATE, "data"),
)
def farm_update(state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    ds = data.dataset(viewer.town_code)
    film = tables.by_village(ds, "FILM_RECOVERY", state.period, viewer, state.village)
    straw = tables.by_village(ds, "STRAW_UTILIZATION", state.period, viewer, state.village)
    cards = tables.indicator_cards(ds.area_results, ds.town_code, state.period, state.village)
    details = cards.set_index("code")["details"]
    film_details = details.get("FILM_RECOVERY") or {}
    straw_details = details.get("STRAW_UTILIZATION") or {}
    targets = cards.set_index("code")["target"]
    findings = [
        html.Div(
            [
                html.Span(labels.TEXT["thin_film"]),
                html.Strong(str(int(film_details.get("thin_film_findings", 0)))),
            ],
            className="finding",
        ),
        html.Div(
            [
                html.Span(labels.TEXT["burning"]),
                html.Strong(str(int(straw_details.get("open_burning_reports", 0)))),
            ],
            className="finding",
        ),
        html.Div(
            [
                html.Span(labels.TEXT["burning_sites"]),
                html.Strong(str(int(straw_details.get("burning_sites", 0)))),
            ],
            className="finding",
        ),
    ]
    head = common.heading(labels.PAGES["farm"], state, ds, state.village)
    return (
        head,
        findings,
        figures.village_bars(
            film, title=labels.TEXT["film_title"], target=targets["FILM_RECOVERY"]
        ),
        figures.village_bars(
            straw, title=labels.TEXT["straw_title"], target=targets["STRAW_UTILIZATION"]
        ),
        figures.split_bar(tables.straw_split(straw_details), title=labels.TEXT["straw_split"]),
        figures.findings_map(
            tables.findings(ds, state.period, viewer, state.village),
            ds.admin_villages.loc[ds.admin_villages["code"].isin(viewer.admin_village_codes)],
            tables.convex_hull(ds.natural_villages.dropna(subset=["latitude", "longitude"])),
        ),
    )
