"""Pieces several pages share: the page's state store, headings and table styling."""

import pandas as pd
from dash import dash_table, dcc, html

from dash_app import data, ids, labels
from dash_app.urlstate import State


def state_store(state: State) -> dcc.Store:
    return dcc.Store(id=ids.PAGE_STATE, data=state.to_dict())


def heading(title: str, state: State, ds: data.Dataset, village: str | None = None) -> html.Header:
    """The page's title, period and area; and, when the server has published no indicator
    values for this town yet, a notice saying so (the pages show no made-up figures)."""
    if state.quarter:
        period = labels.TEXT["period_quarter"].format(year=state.year, quarter=state.quarter)
    else:
        period = labels.TEXT["period_year"].format(year=state.year)
    children = [
        html.H2(title),
        html.P(f"{period} · {village_name(ds, village)}", className="page-scope"),
    ]
    if not ds.published:
        children.append(html.P(labels.TEXT["not_published"], className="notice", role="status"))
    elif ds.published_as_of is not None:
        children.append(
            html.P(
                labels.TEXT["published_as_of"].format(date=ds.published_as_of.isoformat()),
                className="published-as-of",
            )
        )
    return html.Header(className="page-head", children=children)


def village_name(ds: data.Dataset, code: str | None) -> str:
    """The area a page shows: the town's name, and the village's if one is selected."""
    names = dict(zip(ds.admin_villages["code"], ds.admin_villages["name"], strict=True))
    town = f"{ds.town_name}（{labels.TEXT['whole_town']}）"
    return f"{ds.town_name} · {names[code]}" if code in names else town


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
