"""Pieces several pages share: the page's state store, headings and table styling."""

import pandas as pd
from dash import dash_table, dcc, html

from dash_app import data, ids, labels
from dash_app.urlstate import State


def state_store(state: State) -> dcc.Store:
    return dcc.Store(id=ids.PAGE_STATE, data=state.to_dict())


def heading(title: str, state: State, village_name: str | None = None) -> html.Header:
    if state.quarter:
        period = labels.TEXT["period_quarter"].format(year=state.year, quarter=state.quarter)
    else:
        period = labels.TEXT["period_year"].format(year=state.year)
    area = village_name or labels.TEXT["whole_town"]
    return html.Header(
        className="page-head",
        children=[html.H2(title), html.P(f"{period} · {area}", className="page-scope")],
    )


def village_name(ds: data.Dataset, code: str | None) -> str | None:
    if not code:
        return None
    names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
    return names.get(code)


def table(table_id: str, frame: pd.DataFrame | None, columns: list[tuple[str, str]], **extra):
    """A sortable, filterable DataTable; ``columns`` are (column, key of its header in
    ``labels.TEXT``). Rows with ⚠ or ✘ in any column are shown in red."""
    return dash_table.DataTable(
        id=table_id,
        columns=[{"name": labels.TEXT[key], "id": column} for column, key in columns],
        data=[] if frame is None else frame.to_dict("records"),
        sort_action="native",
        filter_action="native",
        filter_options={
            "case": "insensitive",
            "placeholder_text": labels.TEXT["filter_placeholder"],
        },
        page_action="native",
        page_size=extra.pop("page_size", 20),
        style_table={"overflowX": "auto"},
        style_cell={
            "fontFamily": "inherit",
            "fontSize": "13px",
            "padding": "6px 8px",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
            "minWidth": "88px",
            "maxWidth": "260px",
        },
        style_header={"backgroundColor": "#eef2f5", "fontWeight": "600"},
        style_data_conditional=[
            *[
                {"if": {"filter_query": f'{{{column}}} contains "{mark}"'}, "color": "#b71c1c"}
                for column, _ in columns
                for mark in ("⚠", "✘")
            ],
            {
                "if": {"filter_query": '{level} = "admin_village"'},
                "fontWeight": "600",
                "backgroundColor": "#f7f9fb",
            },
        ],
        **extra,
    )


def fmt_percent(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.1f}%"


def fmt_date(value) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def base() -> str:
    from django.conf import settings

    return settings.DASH_URL_BASE_PATHNAME


def api_base() -> str:
    """Where the server's API is, for links to records and photos (same host by default)."""
    import os

    return os.environ.get("DASH_API_BASE", "/api/v1").rstrip("/")
