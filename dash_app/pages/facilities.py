"""设施: map and list of facilities by latest status (正常 / 异常 / 未巡查), with the last
inspection, faults and a link to the records (photos) on the server."""

from dash import Input, Output, callback, ctx, dcc, html

from dash_app import auth, data, figures, ids, labels, tables
from dash_app.pages import common
from dash_app.urlstate import State

COLUMNS = [
    ("facility_code", "facility_code"),
    ("facility_name", "facility_name"),
    ("admin_village_name", "admin_village"),
    ("group_label", "status_group"),
    ("status_label", "status"),
    ("inspected_text", "last_inspection"),
    ("days_since", "days_since"),
    ("faults", "faults"),
]


def group_label(group: str) -> str:
    """Icon and word, so the status is not told by colour alone."""
    return f"{labels.STATUS_ICON[group]} {labels.STATUS_GROUP[group]}"


def layout(state: State, viewer: data.Viewer):
    return html.Div(
        [
            common.state_store(state),
            html.Div(id="facilities-head"),
            html.Section(id=ids.FACILITY_DETAIL, className="detail"),
            dcc.Graph(
                id=ids.FACILITY_MAP,
                config=figures.graph_config("facility_map"),
                style={"height": "520px"},
            ),
            common.table(ids.FACILITY_TABLE, None, COLUMNS),
        ]
    )


def _facilities(state: State, viewer: data.Viewer):
    ds = data.dataset(viewer.town_code)
    _, cutoff = tables.period_bounds(state.period, ds.as_of)
    frame = tables.facility_table(ds, cutoff, viewer, state.village)
    return ds, frame.loc[frame["in_service"]]


@callback(
    Output("facilities-head", "children"),
    Output(ids.FACILITY_MAP, "figure"),
    Output(ids.FACILITY_TABLE, "data"),
    Input(ids.PAGE_STATE, "data"),
)
def facilities_update(state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    ds, frame = _facilities(state, viewer)
    villages = ds.admin_villages.loc[ds.admin_villages["code"].isin(viewer.admin_village_codes)]
    if state.village:
        villages = villages.loc[villages["code"] == state.village]
    outline = tables.convex_hull(ds.natural_villages.dropna(subset=["latitude", "longitude"]))
    fig = figures.facility_map(
        frame, villages, outline, selected=state.facility, tiles=tables.map_tiles()
    )
    rows = frame.assign(
        id=frame["facility_code"],
        group_label=frame["status_group"].map(group_label),
        status_label=frame["status"].map(dict(labels.FACILITY_STATUS)),
        inspected_text=frame["inspected_on"].map(common.fmt_date),
        days_since=frame["days_since"]
        .astype("Int64")
        .astype(object)
        .where(frame["days_since"].notna(), "—"),
    )
    # Problems first: abnormal, then not inspected, then normal; by code within each.
    order = rows["status_group"].map({"abnormal": 0, "uninspected": 1, "normal": 2})
    rows = rows.assign(order=order).sort_values(["order", "facility_code"])
    grid = rows[["id", *[c for c, _ in COLUMNS]]].to_dict("records")
    head = common.heading(labels.PAGES["facilities"], state, ds, state.village)
    return head, fig, grid


@callback(
    Output(ids.FACILITY_DETAIL, "children"),
    Input(ids.PAGE_STATE, "data"),
    Input(ids.FACILITY_MAP, "clickData"),
    Input(ids.FACILITY_TABLE, "active_cell"),
)
def facility_detail(state_data, click, active_cell):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    code = state.facility
    points = (click or {}).get("points") or []
    if (
        ctx.triggered_id == ids.FACILITY_MAP
        and points
        and isinstance(points[0].get("customdata"), list)
    ):
        code = points[0]["customdata"][0]
    if ctx.triggered_id == ids.FACILITY_TABLE and active_cell and active_cell.get("row_id"):
        code = active_cell["row_id"]
    if not code:
        return None
    ds = data.dataset(viewer.town_code)
    _, cutoff = tables.period_bounds(state.period, ds.as_of)
    frame = tables.facility_table(ds, cutoff, viewer)
    rows = frame.loc[frame["facility_code"] == code]
    if rows.empty:
        return html.P(f"{code}：{labels.TEXT['no_data']}")
    f = rows.iloc[0]
    records = f"{common.api_base()}/submissions/?facility={f['facility_code']}"
    return html.Article(
        className=f"facility-card {f['status_group']}",
        **{"data-facility": f["facility_code"]},
        children=[
            html.H3(f"{f['facility_code']} {f['facility_name']}"),
            html.P(
                group_label(f["status_group"])
                + f"（{labels.FACILITY_STATUS.get(f['status'], f['status'])}）"
            ),
            html.Dl(
                [
                    html.Dt(labels.TEXT["admin_village"]),
                    html.Dd(f"{f['admin_village_name']} · {f['natural_village_name']}"),
                    html.Dt(labels.TEXT["last_inspection"]),
                    html.Dd(common.fmt_date(f["inspected_on"])),
                    html.Dt(labels.TEXT["faults"]),
                    html.Dd(f["faults"] or "—"),
                    html.Dt(labels.TEXT["inspector"]),
                    html.Dd(f["inspector"] if isinstance(f["inspector"], str) else "—"),
                ]
            ),
            html.A(
                labels.TEXT["records_link"],
                href=records,
                target="_blank",
                rel="noopener",
            ),
        ],
    )
