"""预警: abnormal or uninspected facilities, overdue or rebounded water bodies and villages
below target, each linking to its records."""

import pandas as pd
from dash import Input, Output, callback, dcc, html

from dash_app import auth, data, ids, labels, tables
from dash_app.pages import common
from dash_app.urlstate import State, build

OPEN_UP_TO = 30  # longer groups start folded, so the short ones stay in view
SEVERE = {"facility_abnormal", "water_rebound", "water_overdue", "facility_not_inspected_severe"}


def layout(state: State, viewer: data.Viewer):
    return html.Div(
        [common.state_store(state), html.Div(id="alerts-head"), html.Section(id=ids.ALERT_LIST)]
    )


def alert_title(kind: str, thresholds: dict[str, int]) -> str:
    """The group's title with the threshold it uses (editable in the admin)."""
    days = {
        "facility_not_inspected_severe": thresholds[data.SEVERE_DAYS],
        "facility_not_inspected_warn": thresholds[data.WARN_DAYS],
        "water_overdue": thresholds[data.OVERDUE_DAYS],
    }.get(kind)
    return labels.ALERT_KIND[kind].format(days=days)


def detail_text(kind: str, detail) -> str:
    if kind == "facility_abnormal":
        return labels.FACILITY_STATUS.get(detail, str(detail))
    if kind.startswith("facility_not_inspected"):
        if pd.isna(detail):
            return labels.TEXT["never_inspected"]
        return labels.TEXT["days_not_inspected"].format(days=int(detail))
    if kind == "water_rebound":
        return labels.TEXT["rebound_on"].format(date=common.fmt_date(detail))
    if kind == "water_overdue":
        return labels.TEXT["monitoring_since"].format(date=common.fmt_date(detail))
    if kind == "village_below_target":
        code, value, target = detail
        return labels.TEXT["below_target"].format(
            indicator=labels.INDICATOR_SHORT[code], value=value, target=target
        )
    return str(detail)


@callback(
    Output("alerts-head", "children"),
    Output(ids.ALERT_LIST, "children"),
    Input(ids.PAGE_STATE, "data"),
)
def alerts_update(state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    ds = data.dataset(viewer.town_code)
    frame = tables.alerts(ds, state.period, viewer, state.village)
    head = common.heading(labels.PAGES["alerts"], state, ds, state.village)
    if frame.empty:
        return head, html.P(labels.TEXT["no_alerts"])
    keep = State(year=state.year, quarter=state.quarter, village=state.village, town=state.town)
    groups = []
    for kind in tables.ALERT_ORDER:
        rows = frame.loc[frame["kind"] == kind]
        if rows.empty:
            continue
        icon = "⚠" if kind in SEVERE else "ⓘ"
        items = []
        for a in rows.itertuples():
            if a.param == "village":
                target = State(
                    year=state.year, quarter=state.quarter, village=a.code, town=state.town
                )
                href = f"{common.base()}{a.page}{build(target)}"
            else:
                href = f"{common.base()}{a.page}{build(keep)}&{a.param}={a.code}"
            items.append(
                html.Li(
                    className="alert-item",
                    **{"data-kind": kind, "data-code": a.code},
                    children=[
                        dcc.Link(f"{a.code} {a.name}", href=href, className="alert-link"),
                        html.Span(f" · {a.admin_village_name} · {detail_text(kind, a.detail)}"),
                    ],
                )
            )
        groups.append(
            html.Details(
                open=kind in SEVERE and len(rows) <= OPEN_UP_TO,
                className=f"alert-group {'severe' if kind in SEVERE else ''}",
                children=[
                    html.Summary(f"{icon} {alert_title(kind, ds.thresholds)}（{len(rows)}）"),
                    html.Ul(items),
                ],
            )
        )
    return head, [html.P(labels.TEXT["alert_count"].format(n=len(frame))), *groups]
