"""黑臭水体: counts by lifecycle stage, the list with stage dates, overdue monitoring and
rebounds, and one body's measurements against the thresholds."""

import pandas as pd
from dash import Input, Output, callback, ctx, dcc, html

from dash_app import auth, data, figures, ids, labels, tables
from dash_app.pages import common
from dash_app.urlstate import State

COLUMNS = [
    ("water_body_code", "water_code"),
    ("water_body_name", "water_name"),
    ("admin_village_name", "admin_village"),
    ("stage_label", "stage"),
    ("stage_text", "stage_date"),
    ("monitoring_text", "last_monitoring"),
    ("overdue_text", "overdue"),
    ("rebound_text", "rebound"),
]


def layout(state: State, viewer: data.Viewer):
    return html.Div(
        [
            common.state_store(state),
            html.Div(id="water-head"),
            html.Div(
                className="two-col",
                children=[
                    dcc.Graph(
                        id=ids.WATER_STAGES,
                        config=figures.graph_config("water_stages"),
                        style={"height": "300px"},
                    ),
                    html.Section(id=ids.WATER_DETAIL, className="detail"),
                ],
            ),
            common.table(ids.WATER_TABLE, None, COLUMNS),
        ]
    )


def _flag(value: bool) -> str:
    return "⚠ " + labels.TEXT["yes"] if value else labels.TEXT["no"]


@callback(
    Output("water-head", "children"),
    Output(ids.WATER_STAGES, "figure"),
    Output(ids.WATER_TABLE, "data"),
    Input(ids.PAGE_STATE, "data"),
)
def water_update(state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    ds = data.dataset(viewer.town_code)
    _, cutoff = tables.period_bounds(state.period, ds.as_of)
    water = tables.water_table(ds, cutoff, viewer, state.village)
    fig = figures.stage_bar(tables.stage_counts(water, labels.WATER_STAGE))
    rows = water.assign(
        id=water["water_body_code"],
        stage_label=water["stage"].map(dict(labels.WATER_STAGE)),
        stage_text=water["stage_date"].map(common.fmt_date),
        monitoring_text=water["last_monitoring"].map(common.fmt_date),
        overdue_text=water["overdue"].map(_flag),
        rebound_text=water["rebound"].map(_flag),
    )
    grid = rows[["id", *[c for c, _ in COLUMNS]]].to_dict("records")
    head = common.heading(labels.PAGES["water"], state, ds, state.village)
    return head, fig, grid


@callback(
    Output(ids.WATER_DETAIL, "children"),
    Input(ids.PAGE_STATE, "data"),
    Input(ids.WATER_TABLE, "active_cell"),
)
def water_detail(state_data, active_cell):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    code = state.water
    if ctx.triggered_id == ids.WATER_TABLE and active_cell and active_cell.get("row_id"):
        code = active_cell["row_id"]
    if not code or code not in viewer.water_body_codes:
        return html.P(labels.TEXT["water_hint"], className="hint")
    ds = data.dataset(viewer.town_code)
    names = ds.water_bodies.set_index("code")["name"]
    history = tables.water_history(ds, code)
    title = f"{code} {names.get(code, '')}：{labels.TEXT['history_title']}"
    _, cutoff = tables.period_bounds(state.period, ds.as_of)
    rows = tables.water_table(ds, cutoff, viewer)
    rows = rows.loc[rows["water_body_code"] == code]
    stages = []
    if not rows.empty:
        body = rows.iloc[0]
        for stage in data.WATER_STAGES:
            when = body.get(f"{stage}_on")
            if when is not None and not pd.isna(when):
                stages += [html.Dt(labels.WATER_STAGE[stage]), html.Dd(common.fmt_date(when))]
        current = labels.WATER_STAGE[body["stage"]]
        stages = [html.Dt(labels.TEXT["stage"]), html.Dd(current), *stages]
    return html.Div(
        **{"data-water": code},
        className="facility-card",
        children=[
            html.H3(f"{code} {names.get(code, '')}"),
            html.Dl(stages),
            dcc.Graph(
                figure=figures.water_history(
                    history, title=title, limits=tables.measurement_limits(ds)
                ),
                config=figures.graph_config(f"water_{code}"),
            ),
        ],
    )
