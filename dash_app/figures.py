"""DataFrame -> plotly Figure. Pure: no Dash, no database, testable without a browser.

Every figure is drawn without external resources (no map tiles, no topojson, no fonts from
a CDN), so the dashboard works with no internet.
"""

import math

import pandas as pd
import plotly.graph_objects as go

from dash_app import labels
from dash_app.tables import completed_quarters

FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
COLOURS = {
    "actual": "#1f5fa8",
    "target": "#2e7d32",
    "projection": "#e07b00",
    "deadline": "#6d4c41",
    "normal": "#2e7d32",
    "abnormal": "#c62828",
    "uninspected": "#757575",
    "outline": "#90a4ae",
    "village": "#455a64",
    "bar": "#1f5fa8",
    "bar_below": "#c62828",
}
# Shape as well as colour, so status is not told by colour alone.
SYMBOLS = {"normal": "circle", "abnormal": "x", "uninspected": "circle-open"}
STAGE_ORDER = list(labels.WATER_STAGE)


def preload() -> None:
    """Build one figure of each kind, so plotly imports its lazily loaded classes before the
    first viewer arrives (about 0.3 s otherwise)."""
    series = pd.DataFrame(
        {"period": ["2025-Q1"], "date": [pd.Timestamp(2025, 3, 31)], "value": [50.0]}
    )
    sparkline(series, 90.0)
    trend(series, series[["date", "value"]], title="", target=90.0, deadline=series["date"][0])
    stage_bar(pd.DataFrame({"stage": ["closed"], "count": [1]}))
    village_bars(
        pd.DataFrame({"admin_village_name": ["甲"], "value": [50.0], "met": [False]}),
        title="",
        target=90.0,
    )


def graph_config(filename: str) -> dict:
    """dcc.Graph config: PNG download from the modebar (no kaleido), no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def _base_layout(title: str | None, height: int) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}}
        if title
        else None,
        "font": {"family": FONT, "size": 12},
        "height": height,
        "margin": {"l": 48, "r": 16, "t": 44 if title else 16, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "hoverlabel": {"font": {"family": FONT}},
    }


def _layout(fig: go.Figure, *, title: str | None = None, height: int = 320) -> go.Figure:
    fig.update_layout(**_base_layout(title, height))
    fig.update_xaxes(showgrid=False, linecolor="#cfd8dc")
    fig.update_yaxes(gridcolor="#eceff1", zeroline=False)
    return fig


def empty(message: str | None = None, height: int = 240) -> go.Figure:
    message = labels.TEXT["no_data"] if message is None else message
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#607d8b"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=height)


def sparkline(series: pd.DataFrame, target: float | None = None) -> go.Figure:
    """A tiny line of the quarterly values (``date``, ``value``), target dotted. Built in one
    constructor call: add_hline and the update_* helpers cost ~50 ms a card. The quarter in
    progress is left out (it is not finished; the card shows the period's value)."""
    series = completed_quarters(series)
    traces = [
        {
            "type": "scatter",
            "x": series["date"],
            "y": series["value"],
            "mode": "lines",
            "line": {"color": COLOURS["actual"], "width": 2},
            "connectgaps": True,  # film and straw are reported by season, not every quarter
            "hoverinfo": "skip",
        }
    ]
    if target is not None and not math.isnan(target) and len(series):
        traces.append(
            {
                "type": "scatter",
                "x": [series["date"].iloc[0], series["date"].iloc[-1]],
                "y": [target, target],
                "mode": "lines",
                "line": {"color": COLOURS["target"], "width": 1, "dash": "dot"},
                "hoverinfo": "skip",
            }
        )
    return go.Figure(
        data=traces,
        layout={
            "height": 60,
            "margin": {"l": 0, "r": 0, "t": 4, "b": 4},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False, "range": [0, 105]},
        },
    )


def trend(
    series: pd.DataFrame,
    projected: pd.DataFrame,
    *,
    title: str,
    target: float | None,
    deadline: pd.Timestamp,
    highlight: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> go.Figure:
    """Quarterly values from the baseline, the target line, the deadline, the projection at
    the current pace and, shaded, the selected period. Built in one constructor call (the
    add_*/update_* helpers cost tens of milliseconds each)."""
    if series["value"].notna().sum() == 0:
        return empty(f"{title}：{labels.TEXT['no_data']}", height=300)  # same as a trend
    done = completed_quarters(series)
    traces = [
        {
            "type": "scatter",
            "x": done["date"],
            "y": done["value"],
            "name": labels.TEXT["actual"],
            "mode": "lines+markers",
            "line": {"color": COLOURS["actual"], "width": 2},
            "marker": {"size": 5},
            "connectgaps": True,
            "hovertemplate": "%{customdata}: %{y:.1f}%<extra></extra>",
            "customdata": done["period"],
        }
    ]
    running = series.loc[series.index.difference(done.index)].dropna(subset=["value"])
    if not running.empty:
        traces.append(
            {
                "type": "scatter",
                "x": running["date"],
                "y": running["value"],
                "name": labels.TEXT["quarter_in_progress"],
                "mode": "markers",
                "marker": {"size": 8, "symbol": "circle-open", "color": COLOURS["actual"]},
                "hovertemplate": "%{customdata}: %{y:.1f}%<extra>"
                + labels.TEXT["quarter_in_progress"]
                + "</extra>",
                "customdata": running["period"],
            }
        )
    if not projected.empty:
        traces.append(
            {
                "type": "scatter",
                "x": projected["date"],
                "y": projected["value"],
                "name": labels.TEXT["projection"],
                "mode": "lines+markers",
                "line": {"color": COLOURS["projection"], "width": 2, "dash": "dash"},
                "marker": {"size": 6, "symbol": "diamond"},
                "hovertemplate": "%{x|%Y-%m}: %{y:.1f}%<extra>"
                + labels.TEXT["projection"]
                + "</extra>",
            }
        )
    x_end = max(series["date"].max(), deadline, *(projected["date"] if not projected.empty else []))
    if target is not None and not math.isnan(target):
        traces.append(
            {
                "type": "scatter",
                "x": [series["date"].min(), x_end],
                "y": [target, target],
                "name": f"{labels.TEXT['target_line']} {target:g}%",
                "mode": "lines",
                "line": {"color": COLOURS["target"], "width": 1.5, "dash": "dot"},
                "hoverinfo": "skip",
            }
        )
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": deadline,
            "x1": deadline,
            "y0": 0,
            "y1": 1,
            "line": {"color": COLOURS["deadline"], "width": 1, "dash": "dashdot"},
        }
    ]
    if highlight is not None:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": highlight[0],
                "x1": highlight[1],
                "y0": 0,
                "y1": 1,
                "fillcolor": "#1f5fa8",
                "opacity": 0.07,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    annotations = []
    first = series["value"].first_valid_index()
    if first is not None and first > series.index[0]:
        # Earlier quarters have no value (nothing observed yet): say where the line starts.
        annotations.append(
            {
                "x": series.loc[first, "date"],
                "y": series.loc[first, "value"],
                "xref": "x",
                "yref": "y",
                "text": labels.TEXT["series_starts"].format(period=series.loc[first, "period"]),
                "showarrow": True,
                "arrowhead": 0,
                # Right of and below the point: autorange keeps annotations in view, so a
                # label to the left would stretch the axis back before the baseline year.
                "ax": 36,
                "ay": 30,
                "xanchor": "left",
                "font": {"size": 10, "color": "#546e7a"},
            }
        )
    layout = {
        **_base_layout(title, 300),
        "shapes": shapes,
        "annotations": [
            *annotations,
            {
                "x": deadline,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "text": labels.TEXT["deadline"],
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 11, "color": COLOURS["deadline"]},
            },
        ],
        # Year labels in the middle of their year, so the deadline line (31 Dec 2025) sits
        # at the end of "2025" rather than on a "2026" tick.
        "xaxis": {
            "showgrid": False,
            "linecolor": "#cfd8dc",
            "dtick": "M12",
            "tickformat": "%Y",
            "ticklabelmode": "period",
        },
        "yaxis": {"gridcolor": "#eceff1", "zeroline": False, "range": [0, 105], "ticksuffix": "%"},
    }
    return go.Figure(data=traces, layout=layout)


def facility_map(
    facilities: pd.DataFrame,
    villages: pd.DataFrame,
    outline: pd.DataFrame,
    *,
    selected: str | None = None,
    tiles: tuple[str, str] | None = None,
) -> go.Figure:
    """Facilities by status group on plain longitude/latitude axes (no tiles), with the
    town outline and the administrative villages from our own data.

    ``tiles`` (name, URL template) draws the same points over a raster tile layer instead;
    for ``amap`` every point is moved to GCJ-02 first."""
    if tiles is not None:
        return _tiled_map(facilities, villages, outline, selected=selected, tiles=tiles)
    fig = _outline_map(villages, outline)
    for group, label in labels.STATUS_GROUP.items():
        rows = facilities.loc[facilities["status_group"] == group]
        fig.add_trace(
            go.Scatter(
                x=rows["longitude"],
                y=rows["latitude"],
                name=f"{label}（{len(rows)}）",
                mode="markers",
                marker={
                    "color": COLOURS[group],
                    "symbol": SYMBOLS[group],
                    "size": 9,
                    "line": {"width": 1.5, "color": COLOURS[group]},
                },
                customdata=rows[["facility_code", "facility_name"]].to_numpy(),
                hovertemplate="%{customdata[0]} %{customdata[1]}<br>" + label + "<extra></extra>",
            )
        )
    if selected:
        rows = facilities.loc[facilities["facility_code"] == selected]
        if not rows.empty:
            fig.add_trace(
                go.Scatter(
                    x=rows["longitude"],
                    y=rows["latitude"],
                    name=selected,
                    mode="markers",
                    marker={
                        "size": 22,
                        "symbol": "circle-open",
                        "color": "#000",
                        "line": {"width": 2},
                    },
                    hoverinfo="skip",
                )
            )
    fig = _layout(fig, title=labels.TEXT["map_title"], height=520)
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "x": 0}, dragmode="pan")
    return fig


def _outline_map(villages: pd.DataFrame, outline: pd.DataFrame) -> go.Figure:
    """The town outline and village names on equal-distance longitude/latitude axes: one
    degree of longitude is cos(latitude) of one degree of latitude."""
    fig = go.Figure()
    if not outline.empty:
        fig.add_trace(
            go.Scatter(
                x=outline["longitude"],
                y=outline["latitude"],
                name=labels.TEXT["town_outline"],
                mode="lines",
                fill="toself",
                fillcolor="rgba(144,164,174,0.08)",
                line={"color": COLOURS["outline"], "width": 1, "dash": "dot"},
                hoverinfo="skip",
            )
        )
    if not villages.empty:
        fig.add_trace(
            go.Scatter(
                x=villages["longitude"],
                y=villages["latitude"],
                name=labels.TEXT["village_points"],
                mode="text",
                text=villages["name"],
                textfont={"size": 11, "color": COLOURS["village"]},
                hovertemplate="%{text}<extra></extra>",
            )
        )
    lat = pd.concat([outline["latitude"], villages["latitude"]]).dropna()
    mid = float(lat.mean()) if not lat.empty else 31.78
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid)))
    return fig


FINDING_STYLE = {"thin_film": ("triangle-up", "#e07b00"), "burning": ("star", "#c62828")}


def findings_map(
    findings: pd.DataFrame, villages: pd.DataFrame, outline: pd.DataFrame
) -> go.Figure:
    """Banned-thickness film and open-burning findings over the town outline (no tiles)."""
    fig = _outline_map(villages, outline)
    located = findings.dropna(subset=["latitude", "longitude"])
    for kind, (symbol, colour) in FINDING_STYLE.items():
        label = labels.FINDING[kind]
        rows = located.loc[located["kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=rows["longitude"],
                y=rows["latitude"],
                name=f"{label}（{len(rows)}）",
                mode="markers",
                marker={"symbol": symbol, "size": 12, "color": colour},
                customdata=rows[["instance_id"]].to_numpy(),
                hovertemplate=label + " %{customdata[0]}<extra></extra>",
            )
        )
    fig = _layout(fig, title=labels.TEXT["findings_title"], height=420)
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "x": 0}, dragmode="pan")
    if located.empty:
        fig.add_annotation(
            text=labels.TEXT["no_findings"],
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
    return fig


def stage_bar(counts: pd.DataFrame) -> go.Figure:
    """Water bodies per lifecycle stage (``stage``, ``count``), in lifecycle order."""
    counts = counts.set_index("stage").reindex(STAGE_ORDER).fillna(0).reset_index()
    fig = go.Figure(
        go.Bar(
            x=[labels.WATER_STAGE[s] for s in counts["stage"]],
            y=counts["count"],
            text=counts["count"].astype(int),
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [
                    COLOURS["abnormal"] if s == "rebound" else COLOURS["bar"]
                    for s in counts["stage"]
                ]
            },
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, title=labels.TEXT["stage_counts"], height=300)


def village_bars(frame: pd.DataFrame, *, title: str, target: float | None) -> go.Figure:
    """One horizontal bar per administrative village (``admin_village_name``, ``value``),
    villages below target in red with a ✘ in their label."""
    frame = frame.dropna(subset=["value"]).sort_values("value")
    if frame.empty:
        return empty(f"{title}：{labels.TEXT['no_data']}", height=280)
    below = frame["met"].eq(False)
    fig = go.Figure(
        go.Bar(
            y=[
                f"{'✘ ' if b else ''}{n}"
                for n, b in zip(frame["admin_village_name"], below, strict=True)
            ],
            x=frame["value"],
            orientation="h",
            marker={"color": [COLOURS["bar_below"] if b else COLOURS["bar"] for b in below]},
            text=[f"{v:.1f}%" for v in frame["value"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    if target is not None and not math.isnan(target):
        fig.add_vline(x=target, line={"color": COLOURS["target"], "dash": "dot"})
    fig.update_xaxes(range=[0, 105], ticksuffix="%")
    return _layout(fig, title=title, height=max(280, 26 * len(frame) + 80))


def split_bar(split: pd.DataFrame, *, title: str) -> go.Figure:
    """Straw utilised by use (``use``, ``tonnes``)."""
    split = split.loc[split["tonnes"] > 0]
    if split.empty:
        return empty(f"{title}：{labels.TEXT['no_data']}", height=260)
    fig = go.Figure(
        go.Bar(
            x=[labels.STRAW_USE.get(u, u) for u in split["use"]],
            y=split["tonnes"],
            marker={"color": COLOURS["bar"]},
            hovertemplate="%{x}: %{y:.1f} " + labels.TEXT["tonnes"] + "<extra></extra>",
        )
    )
    return _layout(fig, title=title, height=280)


def water_history(history: pd.DataFrame, *, title: str, limits: dict[str, float]) -> go.Figure:
    """Measurements of one water body against the rural black-odorous limits (``limits``:
    measurement column -> value, from the 判定阈值 table)."""
    if history.empty:
        return empty(f"{title}：{labels.TEXT['no_data']}", height=260)
    fig = go.Figure()
    for column, name in labels.MEASUREMENT.items():
        fig.add_trace(
            go.Scatter(x=history["recorded_on"], y=history[column], name=name, mode="lines+markers")
        )
        if column not in limits:
            continue
        fig.add_hline(
            y=limits[column],
            line={"dash": "dot", "width": 1},
            annotation_text=labels.TEXT["threshold"].format(name=name, value=limits[column]),
            annotation_font_size=10,
        )
    return _layout(fig, title=title, height=300)


def _tiled_map(facilities, villages, outline, *, selected, tiles) -> go.Figure:
    from dash_app.geo import for_tiles

    name, url = tiles
    facilities, villages, outline = (for_tiles(f, name) for f in (facilities, villages, outline))
    fig = go.Figure()
    if not outline.empty:
        fig.add_trace(
            go.Scattermap(
                lon=outline["longitude"],
                lat=outline["latitude"],
                mode="lines",
                name=labels.TEXT["town_outline"],
                line={"color": COLOURS["outline"], "width": 1},
                hoverinfo="skip",
            )
        )
    for group, label in labels.STATUS_GROUP.items():
        rows = facilities.loc[facilities["status_group"] == group]
        fig.add_trace(
            go.Scattermap(
                lon=rows["longitude"],
                lat=rows["latitude"],
                mode="markers",
                name=f"{label}（{len(rows)}）",
                marker={"color": COLOURS[group], "size": 10 if group != "uninspected" else 8},
                customdata=rows[["facility_code", "facility_name"]].to_numpy(),
                hovertemplate="%{customdata[0]} %{customdata[1]}<br>" + label + "<extra></extra>",
            )
        )
    centre = facilities[["latitude", "longitude"]].mean()
    fig.update_layout(
        map={
            "style": "white-bg",
            "layers": [{"sourcetype": "raster", "source": [url], "below": "traces"}],
            "center": {
                "lat": float(centre["latitude"]) if pd.notna(centre["latitude"]) else 31.78,
                "lon": float(centre["longitude"]) if pd.notna(centre["longitude"]) else 119.86,
            },
            "zoom": 11,
        }
    )
    return _layout(fig, title=labels.TEXT["map_title"], height=520)
