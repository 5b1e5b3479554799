"""行政村: every administrative and natural village with coverage, operation and counts;
selecting a row drills down to its facilities and water bodies."""

import pandas as pd
from dash import Input, Output, callback, dcc, html
from dash import State as DashState

from dash_app import auth, data, ids, labels, tables
from dash_app.pages import common
from dash_app.urlstate import State, build

COLUMNS = [
    ("name", "name"),
    ("level_label", "level"),
    ("admin_village_name", "admin_village"),
    ("coverage_text", "coverage"),
    ("operation_text", "operation"),
    ("natural_villages", "natural_villages"),
    ("facilities", "facilities"),
    ("water_bodies", "water_bodies"),
    ("households", "households"),
    ("sewage_mode_label", "sewage_mode"),
]


def layout(state: State, viewer: data.Viewer):
    return html.Div(
        [
            common.state_store(state),
            html.Div(id="villages-head"),
            html.P(labels.TEXT["select_village_hint"], className="hint"),
            common.table(ids.VILLAGE_TABLE, None, COLUMNS, page_size=25),
            html.Section(id=ids.VILLAGE_DETAIL, className="detail"),
        ]
    )


def table_frame(villages: pd.DataFrame) -> pd.DataFrame:
    return villages.assign(
        id=villages["code"],
        level_label=villages["level"].map(
            {
                "admin_village": labels.TEXT["admin_village"],
                "natural_village": labels.TEXT["natural_village"],
            }
        ),
        coverage_text=villages["coverage"].round(1),
        operation_text=villages["operation"].round(1),
        sewage_mode_label=villages["sewage_mode"].map(dict(labels.SEWAGE_MODE)).fillna(""),
    )


@callback(
    Output("villages-head", "children"),
    Output(ids.VILLAGE_TABLE, "data"),
    Input(ids.PAGE_STATE, "data"),
)
def villages_update(state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    ds = data.dataset(viewer.town_code)
    villages = tables.village_table(ds, state.period, viewer)
    if state.village:
        villages = villages.loc[villages["admin_village_code"] == state.village]
    frame = table_frame(villages)
    head = common.heading(labels.PAGES["villages"], state, ds, state.village)
    grid = frame.to_dict("records")
    return head, grid


@callback(
    Output(ids.VILLAGE_DETAIL, "children"),
    Input(ids.VILLAGE_TABLE, "active_cell"),
    DashState(ids.PAGE_STATE, "data"),
)
def village_detail(active_cell, state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    code = (active_cell or {}).get("row_id") or state.village
    if not code:
        return None
    ds = data.dataset(viewer.town_code)
    _, cutoff = tables.period_bounds(state.period, ds.as_of)
    admin_code = code[:12]
    facilities = tables.facility_table(ds, cutoff, viewer, admin_code)
    water = tables.water_table(ds, cutoff, viewer, admin_code)
    natural = ds.natural_villages.set_index("code")["name"]
    if len(code) > 12:
        served = ds.facilities.loc[ds.facilities["natural_village_code"] == code, "code"]
        facilities = facilities.loc[facilities["facility_code"].isin(served)]
        in_village = ds.water_bodies.loc[ds.water_bodies["natural_village_code"] == code, "code"]
        water = water.loc[water["water_body_code"].isin(in_village)]
        title = natural.get(code, code)
    else:
        names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
        title = names.get(code, code)
    query = State(year=state.year, quarter=state.quarter, village=state.village, town=state.town)
    base = common.base()
    return [
        html.H3(
            f"{title}：{labels.TEXT['facilities']} {len(facilities)}，"
            f"{labels.TEXT['water_bodies']} {len(water)}"
        ),
        html.Ul(
            className="record-list",
            children=[
                html.Li(
                    [
                        dcc.Link(
                            f"{f.facility_code} {f.facility_name}",
                            href=f"{base}facilities{build(query)}&facility={f.facility_code}",
                        ),
                        html.Span(
                            f" · {labels.FACILITY_STATUS.get(f.status, f.status)} · "
                            f"{labels.TEXT['last_inspection']} {common.fmt_date(f.inspected_on)}",
                        ),
                    ]
                )
                for f in facilities.itertuples()
            ],
        ),
        html.Ul(
            className="record-list",
            children=[
                html.Li(
                    [
                        dcc.Link(
                            f"{w.water_body_code} {w.water_body_name}",
                            href=f"{base}water{build(query)}&water={w.water_body_code}",
                        ),
                        html.Span(f" · {labels.WATER_STAGE.get(w.stage, w.stage)}"),
                    ]
                )
                for w in water.itertuples()
            ],
        ),
    ]
