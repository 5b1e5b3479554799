"""总览: one card per target and the quarterly trends with target, deadline and projection."""

import math
from urllib.parse import urlencode

import pandas as pd
from dash import Input, Output, callback, dcc, html

from dash_app import auth, data, figures, ids, labels, tables
from dash_app.pages import common
from dash_app.urlstate import State


def layout(state: State, viewer: data.Viewer):
    return html.Div(
        [
            common.state_store(state),
            html.Div(id="overview-head"),
            html.Section(id=ids.OVERVIEW_CARDS, className="cards"),
            html.H3(labels.TEXT["trend_title"], className="section-title"),
            html.Section(id=ids.OVERVIEW_TRENDS, className="trends"),
        ]
    )


def target_text(code: str, target: float) -> str:
    if math.isnan(target):
        return "—"
    return f"{target:g}%" if target >= 100 else f"≥{target:g}%"


def records_href(code: str, period: str, village: str | None, town: str) -> str:
    """The server's list of the records behind the value (issue 5's indicator records API,
    permission-checked by the server)."""
    query = (
        {"level": "admin_village", "area": village} if village else {"level": "town", "area": town}
    )
    return (
        f"{common.api_base()}/indicators/{code}/records/?{urlencode({**query, 'period': period})}"
    )


def card(row: pd.Series, series: pd.DataFrame, records: str) -> html.Article:
    met = row["met"]
    status = {True: "met", False: "not-met", None: "no-data"}[met]
    gap = (
        labels.TEXT["no_gap"]
        if met
        else ("—" if math.isnan(row["gap"]) else labels.TEXT["gap_points"].format(gap=row["gap"]))
    )
    return html.Article(
        className=f"card {status}",
        **{"data-code": row["code"]},
        children=[
            html.H3(labels.INDICATOR_SHORT[row["code"]], className="card-title"),
            html.Div(common.fmt_percent(row["value"]), className="card-value"),
            html.Div(labels.MET[met], className=f"card-met {status}"),
            html.Dl(
                className="card-facts",
                children=[
                    html.Dt(labels.TEXT["target"]),
                    html.Dd(target_text(row["code"], row["target"]), className="card-target"),
                    html.Dt(labels.TEXT["gap"]),
                    html.Dd(gap, className="card-gap"),
                    html.Dt(labels.TEXT["fraction"]),
                    html.Dd(f"{row['numerator']:g} / {row['denominator']:g}"),
                ],
            ),
            dcc.Graph(
                figure=figures.sparkline(series, row["target"]),
                config={"staticPlot": True, "responsive": False},
                className="sparkline",
                style={"height": "60px"},
            ),
            html.A(
                labels.TEXT["records_of_value"].format(n=row["records"]),
                href=records,
                target="_blank",
                rel="noopener",
                className="card-records",
            ),
        ],
    )


def trend_block(code: str, series: pd.DataFrame, target: float, state: State) -> html.Div:
    projected = tables.projection(series)
    if not state.quarter:
        start, end = pd.Timestamp(state.year, 1, 1), pd.Timestamp(state.year, 12, 31)
    else:
        start = pd.Timestamp(state.year, 3 * state.quarter - 2, 1)
        end = start + pd.offsets.QuarterEnd(0)
    fig = figures.trend(
        series,
        projected,
        title=labels.INDICATOR_SHORT[code],
        target=target,
        deadline=data.DEADLINE,
        highlight=(start, end),
    )
    note = ""
    if not projected.empty:
        end_date = projected["date"].iloc[-1]
        value = f"{projected['value'].iloc[-1]:.1f}%"
        if end_date <= data.DEADLINE:
            note = labels.TEXT["projection_at_deadline"].format(
                deadline=labels.TEXT["deadline_short"], value=value
            )
        else:
            note = labels.TEXT["projection_after_deadline"].format(
                until=labels.TEXT["month"].format(year=end_date.year, month=end_date.month),
                value=value,
            )
    return html.Div(
        className="trend",
        children=[
            dcc.Graph(
                id={"type": ids.TREND_GRAPH, "code": code},
                figure=fig,
                config=figures.graph_config(f"trend_{code.lower()}"),
                style={"height": f"{fig.layout.height}px"},
            ),
            html.P(note, className="projection-note"),
        ],
    )


@callback(
    Output("overview-head", "children"),
    Output(ids.OVERVIEW_CARDS, "children"),
    Output(ids.OVERVIEW_TRENDS, "children"),
    Input(ids.PAGE_STATE, "data"),
)
def overview_update(state_data):
    state = State.from_dict(state_data)
    viewer = auth.current_viewer(state.town)
    ds = data.dataset(viewer.town_code)
    village = state.village if state.village in viewer.admin_village_codes else None
    cards = tables.indicator_cards(ds.area_results, ds.town_code, state.period, village)
    series = {
        code: tables.quarterly_series(ds.area_results, ds.town_code, code, village, ds.as_of)
        for code in data.INDICATOR_CODES
    }
    head = common.heading(labels.PAGES["overview"], state, ds, village)
    return (
        head,
        [
            card(
                row,
                series[row["code"]],
                records_href(row["code"], state.period, village, ds.town_code),
            )
            for _, row in cards.iterrows()
        ],
        [
            trend_block(row["code"], series[row["code"]], row["target"], state)
            for _, row in cards.iterrows()
        ],
    )
