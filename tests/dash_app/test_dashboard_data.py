"""The dashboard's data, URL state and figure functions on a small hand-built town: no
browser, no database (the ETL runs on DataFrames)."""

import datetime as dt
import io
import math
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dash_app import data, figures, geo, labels, tables, urlstate
from etl import extract, schemas

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "etl"))
import etl_builders

TOWN = "320404116"
A = "320404116201"
B = "320404116203"
A1, A2, B1 = A + "001", A + "002", B + "001"
AS_OF = dt.date(2025, 12, 31)


def conform(schema, rows: list[dict]) -> pd.DataFrame:
    return schemas.conform(schema, pd.DataFrame(rows)) if rows else schemas.empty(schema)


def natural(code: str, mode: str) -> dict:
    return {
        "code": code,
        "admin_village_code": code[:12],
        "name": f"演示{code[-3:]}",
        "households": 10,
        "households_connected": 0 if mode == "none" else 8,
        "is_planned_relocation": False,
        "sewage_mode": mode,
    }


def facility(code: str, village: str, status: str | None, date: str | None) -> dict:
    return {
        "code": code,
        "name": f"设施{code}",
        "admin_village_code": village[:12],
        "natural_village_code": village,
        "in_service": True,
        "status": status,
        "status_date": pd.Timestamp(date) if date else pd.NaT,
    }


def water(code: str, village: str, stage: str, date: str) -> dict:
    return {
        "code": code,
        "name": f"水体{code}",
        "admin_village_code": village[:12],
        "natural_village_code": village,
        "stage": stage,
        "stage_date": pd.Timestamp(date),
        "is_confirmed": True,
    }


@pytest.fixture(scope="module")
def ds() -> data.Dataset:
    """Town: A1 sewer, A2 untreated, B1 centralised (coverage 2/3; A 50 %, B 100 %).
    F1 normal in May, F2 stopped in October, F3 never inspected. W1 in monitoring since
    January (overdue), W2 rebound, W3 closed."""
    registry = extract.Registry(
        admin_villages=pd.DataFrame({"code": [TOWN, A, B], "name": ["邹区镇", "甲村", "乙村"]}),
        natural_villages=conform(
            schemas.NATURAL_VILLAGES,
            [natural(A1, "sewer"), natural(A2, "none"), natural(B1, "centralized")],
        ),
        facilities=conform(
            schemas.FACILITIES,
            [
                facility("ZQ-WS-001", A1, "normal", "2025-05-15"),
                facility("ZQ-WS-002", B1, "stopped", "2025-10-01"),
                facility("ZQ-WS-003", A2, None, None),
            ],
        ),
        water_bodies=conform(
            schemas.WATER_BODIES,
            [
                water("ZQ-HC-001", A1, "monitoring", "2025-01-10"),
                water("ZQ-HC-002", B1, "rebound", "2025-11-01"),
                water("ZQ-HC-003", A2, "closed", "2025-06-01"),
            ],
        ),
    )
    places = {
        "admin_villages": pd.DataFrame(
            {
                "code": [A, B],
                "name": ["甲村", "乙村"],
                "kind": ["village", "village"],
                "latitude": [31.75, 31.80],
                "longitude": [119.80, 119.85],
            }
        ),
        "natural_villages": pd.DataFrame(
            {"code": [A1, A2, B1], "latitude": [31.74, 31.76, 31.80], "longitude": [119.79] * 3}
        ),
        "facilities": pd.DataFrame(
            {
                "code": ["ZQ-WS-001", "ZQ-WS-002", "ZQ-WS-003"],
                "latitude": [31.74, 31.80, 31.76],
                "longitude": [119.79, 119.85, 119.80],
                "process_type": ["ao", "ao", "wetland"],
            }
        ),
        "water_bodies": pd.DataFrame(
            {
                "code": ["ZQ-HC-001", "ZQ-HC-002", "ZQ-HC-003"],
                "latitude": [31.74, 31.80, 31.76],
                "longitude": [119.79, 119.85, 119.80],
                "kind": ["pond", "ditch", "creek"],
            }
        ),
    }
    return published_dataset(registry, places, schemas.empty(schemas.RAW_SUBMISSIONS))


def published_dataset(registry, places, raw, thresholds=None) -> data.Dataset:
    """The dataset as the dashboard reads it, with the indicator values the ETL computes for
    the dashboard's periods standing in for the published ones (``publish_indicators``
    stores exactly these rows)."""
    from etl import indicators, tidy
    from etl.targets import SEED_TARGETS

    dictionary = extract.data_dictionary_read()
    outputs = indicators.all_indicators(
        natural_villages=registry.natural_villages,
        facilities=registry.facilities,
        water_bodies=registry.water_bodies,
        tables=tidy.tidy_submissions(raw, dictionary),
        periods=data.dashboard_periods(AS_OF),
        targets=SEED_TARGETS,
        as_of=AS_OF,
        town_code=TOWN,
    )
    basis = outputs["SEWAGE_COVERAGE"].basis
    return data.dataset_compute(
        town_code=TOWN,
        town_name="邹区镇",
        as_of=AS_OF,
        raw=raw,
        dictionary=dictionary,
        registry=registry,
        places=places,
        results=data.etl_results(outputs),
        coverage_modes=basis[["period", "natural_village_code", "category"]],
        thresholds=thresholds,
        published_as_of=AS_OF,
    )


@pytest.fixture
def viewer() -> data.Viewer:
    return data.Viewer(
        user_id=1,
        username="official",
        display_name="official",
        role="town_official",
        role_label="镇级管理人员",
        town_code=TOWN,
        admin_village_codes=frozenset({A, B}),
        facility_codes=frozenset({"ZQ-WS-001", "ZQ-WS-002", "ZQ-WS-003"}),
        water_body_codes=frozenset({"ZQ-HC-001", "ZQ-HC-002", "ZQ-HC-003"}),
    )


def test_dashboard_periods_are_years_and_quarters_up_to_the_cutoff():
    periods = data.dashboard_periods(dt.date(2026, 2, 1))
    assert periods[:5] == ["2020", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert periods[-2:] == ["2026", "2026-Q1"]
    assert len(data.dashboard_periods(AS_OF)) == 6 * 5


def test_cards_are_the_etl_values_with_gap_and_met(ds):
    cards = tables.indicator_cards(ds.results, TOWN, "2025").set_index("code")
    coverage = cards.loc["SEWAGE_COVERAGE"]
    assert coverage["value"] == pytest.approx(200 / 3)
    assert coverage["target"] == 90.0
    assert coverage["gap"] == pytest.approx(90 - 200 / 3)
    assert coverage["met"] is False
    assert (coverage["numerator"], coverage["denominator"]) == (2.0, 3.0)
    # Water: one of three closed.
    assert cards.loc["BLACK_WATER_ELIMINATION", "value"] == pytest.approx(100 / 3)
    # No film reports: no value, no verdict, no gap.
    film = cards.loc["FILM_RECOVERY"]
    assert pd.isna(film["value"]) and film["met"] is None and pd.isna(film["gap"])
    village_b = tables.indicator_cards(ds.results, TOWN, "2025", B).set_index("code")
    assert village_b.loc["SEWAGE_COVERAGE", "value"] == 100.0
    assert village_b.loc["SEWAGE_COVERAGE", "met"] is True
    assert village_b.loc["SEWAGE_COVERAGE", "gap"] == 0.0


def test_quarterly_series_runs_from_2020_in_order(ds):
    series = tables.quarterly_series(ds.results, TOWN, "SEWAGE_COVERAGE")
    assert list(series["period"][:2]) == ["2020-Q1", "2020-Q2"]
    assert series["period"].iloc[-1] == "2025-Q4"
    assert series["date"].is_monotonic_increasing
    assert len(series) == 24


def quarters(values: list[float], first: str = "2023-03-31") -> pd.DataFrame:
    dates = pd.date_range(first, periods=len(values), freq="QE")
    return pd.DataFrame(
        {"period": [f"q{i}" for i in range(len(values))], "date": dates, "value": values}
    )


def test_projection_extends_the_recent_pace_to_the_deadline():
    series = quarters([60.0, 62.0, 64.0, 66.0], first="2024-03-31")  # +2 points a quarter
    projected = tables.projection(series, deadline=pd.Timestamp(2025, 12, 31))
    assert list(projected["date"]) == [pd.Timestamp(2024, 12, 31), pd.Timestamp(2025, 12, 31)]
    assert projected["value"].iloc[0] == 66.0
    assert projected["value"].iloc[1] == pytest.approx(74.0, abs=0.2)


def test_projection_is_clipped_and_continues_past_a_passed_deadline():
    series = quarters([80.0, 90.0, 100.0], first="2026-03-31")
    projected = tables.projection(series, deadline=pd.Timestamp(2025, 12, 31))
    assert projected["date"].iloc[1] == pd.Timestamp(2027, 9, 30)
    assert projected["value"].iloc[1] == 100.0


def test_projection_needs_two_values():
    assert tables.projection(quarters([float("nan"), 50.0])).empty


def test_facility_table_groups_status_and_counts_days(ds, viewer):
    table = tables.facility_table(ds, pd.Timestamp(AS_OF), viewer).set_index("facility_code")
    assert table.loc["ZQ-WS-001", "status_group"] == "normal"
    assert table.loc["ZQ-WS-002", "status_group"] == "abnormal"
    assert table.loc["ZQ-WS-003", "status_group"] == "uninspected"
    assert table.loc["ZQ-WS-002", "days_since"] == (AS_OF - dt.date(2025, 10, 1)).days
    assert pd.isna(table.loc["ZQ-WS-003", "days_since"])
    assert table.loc["ZQ-WS-001", "admin_village_name"] == "甲村"


def test_lists_keep_to_the_viewers_scope(ds, viewer):
    narrow = data.Viewer(
        **{
            **viewer.__dict__,
            "admin_village_codes": frozenset({A}),
            "facility_codes": frozenset({"ZQ-WS-001"}),
            "water_body_codes": frozenset({"ZQ-HC-001"}),
        }
    )
    assert list(tables.facility_table(ds, pd.Timestamp(AS_OF), narrow)["facility_code"]) == [
        "ZQ-WS-001"
    ]
    assert list(tables.water_table(ds, pd.Timestamp(AS_OF), narrow)["water_body_code"]) == [
        "ZQ-HC-001"
    ]
    villages = tables.village_table(ds, "2025", narrow)
    assert set(villages["admin_village_code"]) == {A}


def test_water_table_flags_overdue_monitoring_and_rebound(ds, viewer):
    table = tables.water_table(ds, pd.Timestamp(AS_OF), viewer).set_index("water_body_code")
    assert table.loc["ZQ-HC-001", "overdue"]
    assert not table.loc["ZQ-HC-002", "overdue"] and table.loc["ZQ-HC-002", "rebound"]
    assert not table.loc["ZQ-HC-003", "overdue"] and not table.loc["ZQ-HC-003", "rebound"]
    # Three months earlier the monitoring body was not yet overdue.
    early = tables.water_table(ds, pd.Timestamp(2025, 3, 31), viewer).set_index("water_body_code")
    assert not early.loc["ZQ-HC-001", "overdue"]
    counts = tables.stage_counts(table, ["monitoring", "rebound", "closed", "works"])
    assert dict(zip(counts["stage"], counts["count"], strict=True)) == {
        "monitoring": 1,
        "rebound": 1,
        "closed": 1,
        "works": 0,
    }


def test_village_table_has_both_levels_with_etl_values(ds, viewer):
    table = tables.village_table(ds, "2025", viewer).set_index("code")
    assert table.loc[A, "level"] == "admin_village"
    assert table.loc[A, "coverage"] == 50.0
    assert table.loc[A, "natural_villages"] == 2
    assert table.loc[A, "facilities"] == 2
    assert table.loc[A1, "level"] == "natural_village"
    assert table.loc[A2, "coverage"] == 0.0
    assert table.loc[B1, "water_bodies"] == 1


def test_alerts_name_each_problem_and_its_record(ds, viewer):
    alerts = tables.alerts(ds, "2025", viewer)
    kinds = {(a.kind, a.code) for a in alerts.itertuples()}
    assert ("facility_abnormal", "ZQ-WS-002") in kinds
    assert ("facility_not_inspected_severe", "ZQ-WS-001") in kinds  # May -> December
    assert ("facility_not_inspected_severe", "ZQ-WS-003") in kinds  # never inspected
    assert ("water_rebound", "ZQ-HC-002") in kinds
    assert ("water_overdue", "ZQ-HC-001") in kinds
    assert ("village_below_target", A) in kinds
    assert ("village_below_target", B) in kinds  # B: operation 0 %, water 0 %
    assert alerts["kind"].iloc[0] == "facility_abnormal"
    row = alerts.loc[alerts["kind"] == "facility_abnormal"].iloc[0]
    assert (row["page"], row["param"]) == ("facilities", "facility")
    only_a = tables.alerts(ds, "2025", viewer, A)
    assert "ZQ-WS-002" not in set(only_a["code"])


def test_not_inspected_for_30_days(ds, viewer):
    alerts = tables.alerts(ds, "2025-Q2", viewer)  # cut-off 30 June: F1 inspected 15 May
    assert ("facility_not_inspected_warn", "ZQ-WS-001") in {
        (a.kind, a.code) for a in alerts.itertuples()
    }


def test_workbook_is_the_etl_workbook(ds):
    workbook = openpyxl.load_workbook(io.BytesIO(tables.workbook_bytes(ds, 2025)))
    assert workbook.sheetnames[0] == "汇总"
    assert "设施台账" in workbook.sheetnames
    with pytest.raises(ValueError):
        tables.workbook_bytes(ds, 2019)


def test_convex_hull_is_a_closed_ring_around_the_points():
    points = pd.DataFrame(
        {"longitude": [0.0, 1.0, 1.0, 0.0, 0.5, float("nan")], "latitude": [0, 0, 1, 1, 0.5, 3]}
    )
    ring = tables.convex_hull(points)
    assert len(ring) == 5
    assert tuple(ring.iloc[0]) == tuple(ring.iloc[-1])
    assert (0.5, 0.5) not in set(zip(ring["longitude"], ring["latitude"], strict=True))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", urlstate.State(2025)),
        ("?year=2024&quarter=3&village=320404116201", urlstate.State(2024, 3, A)),
        ("?year=1999&quarter=7&village=abc", urlstate.State(2025)),
        ("?year=2030", urlstate.State(2025)),
        ("?facility=ZQ-WS-001", urlstate.State(2025, facility="ZQ-WS-001")),
        ("?year=2024&town=320404117", urlstate.State(2024, town="320404117")),
        ("?town=3204041&village=320404116201", urlstate.State(2025, village=A)),
    ],
)
def test_url_state_parses_with_safe_defaults(search, expected):
    assert urlstate.parse(search, AS_OF) == expected


def test_url_state_round_trips():
    state = urlstate.State(2024, 2, A, facility="ZQ-WS-001")
    assert urlstate.parse(urlstate.build(state), AS_OF) == state
    assert "facility" not in urlstate.build(state, keep_selection=False)
    assert state.period == "2024-Q2" and urlstate.State(2024).period == "2024"


def test_another_town_keeps_the_filters_but_not_the_village():
    state = urlstate.State(2024, 2, A, town=TOWN)
    same = urlstate.with_filters(state, 2024, 2, A, TOWN)
    assert same.village == A
    other = urlstate.with_filters(state, 2024, 2, A, "320404117")
    assert (other.town, other.village, other.quarter) == ("320404117", None, 2)
    assert urlstate.build(other) == "?year=2024&town=320404117&quarter=2"


def test_operation_has_no_value_before_the_first_inspection(ds):
    """Uninspected counts as not normal, so the published value before any inspection is
    0 %; the trend shows no value there (the cards still show what the API publishes)."""
    series = tables.quarterly_series(ds.area_results, TOWN, "FACILITY_OPERATION").set_index(
        "period"
    )
    assert series["value"].loc["2020-Q1":"2025-Q1"].isna().all()  # F1 first inspected in May
    assert series.loc["2025-Q2", "value"] == pytest.approx(100 / 3)  # F1 of F1–F3 normal
    assert (
        tables.indicator_cards(ds.results, TOWN, "2024")
        .set_index("code")
        .loc["FACILITY_OPERATION", "value"]
        == 0.0
    )
    fig = figures.trend(
        series.reset_index(),
        tables.projection(series.reset_index()),
        title="设施正常运行率",
        target=100.0,
        deadline=data.DEADLINE,
    )
    assert "2025-Q2 起有记录" in [a.text for a in fig.layout.annotations]


def test_alerts_follow_the_thresholds_table(ds, viewer):
    from dataclasses import replace

    kinds = {(a.kind, a.code) for a in tables.alerts(ds, "2025", viewer).itertuples()}
    assert ("facility_not_inspected_severe", "ZQ-WS-001") in kinds  # 230 days > 90
    assert ("water_overdue", "ZQ-HC-001") in kinds
    lenient = replace(
        ds, thresholds={data.WARN_DAYS: 200, data.SEVERE_DAYS: 400, data.OVERDUE_DAYS: 400}
    )
    kinds = {(a.kind, a.code) for a in tables.alerts(lenient, "2025", viewer).itertuples()}
    assert ("facility_not_inspected_warn", "ZQ-WS-001") in kinds  # 230 days > 200
    assert ("facility_not_inspected_severe", "ZQ-WS-003") in kinds  # never inspected
    assert not any(kind == "water_overdue" for kind, _ in kinds)
    water = tables.water_table(lenient, pd.Timestamp(AS_OF), viewer).set_index("water_body_code")
    assert not water.loc["ZQ-HC-001", "overdue"]


def test_trend_figure_has_actual_target_projection_and_deadline():
    series = quarters([60.0, 62.0, 64.0], first="2024-03-31")
    fig = figures.trend(
        series,
        tables.projection(series),
        title="污水治理覆盖率",
        target=90.0,
        deadline=data.DEADLINE,
    )
    names = [trace.name for trace in fig.data]
    assert names == ["实际值", "按当前进度预测", "目标 90%"]
    assert list(fig.data[2].y) == [90.0, 90.0]
    assert any(shape.x0 == data.DEADLINE for shape in fig.layout.shapes)


def test_trend_without_values_says_so():
    fig = figures.trend(
        quarters([float("nan")] * 3),
        pd.DataFrame(),
        title="秸秆",
        target=98.0,
        deadline=data.DEADLINE,
    )
    assert "暂无数据" in fig.layout.annotations[0].text


def test_facility_map_tells_status_by_shape_and_colour_without_tiles(ds, viewer):
    table = tables.facility_table(ds, pd.Timestamp(AS_OF), viewer)
    outline = tables.convex_hull(ds.natural_villages)
    fig = figures.facility_map(table, ds.admin_villages, outline, selected="ZQ-WS-002")
    by_name = {trace.name: trace for trace in fig.data}
    assert by_name["正常（1）"].marker.symbol == "circle"
    assert by_name["异常（1）"].marker.symbol == "x"
    assert by_name["未巡查（1）"].marker.symbol == "circle-open"
    assert {trace.type for trace in fig.data} == {"scatter"}  # no map tiles, no topojson
    assert fig.layout.yaxis.scaleanchor == "x"
    assert "ZQ-WS-002" in by_name


def test_bars_and_sparkline():
    frame = pd.DataFrame(
        {"admin_village_name": ["甲村", "乙村"], "value": [80.0, 95.0], "met": [False, True]}
    )
    bars = figures.village_bars(frame, title="农膜", target=90.0)
    assert list(bars.data[0].y) == ["✘ 甲村", "乙村"]
    stages = figures.stage_bar(pd.DataFrame({"stage": ["closed", "screened"], "count": [2, 5]}))
    assert list(stages.data[0].x)[:1] == ["排查确认"] and list(stages.data[0].y)[-2] == 2
    spark = figures.sparkline(quarters([1.0, 2.0]), 90.0)
    assert spark.layout.height == 60


def test_graph_config_downloads_png_without_kaleido():
    config = figures.graph_config("trend_x")
    assert config["toImageButtonOptions"]["format"] == "png"
    assert config["toImageButtonOptions"]["filename"] == "trend_x"


def test_gcj02_shift_is_about_half_a_kilometre_at_the_town_centre():
    lat, lon = 31.78, 119.86
    gcj_lat, gcj_lon = geo.wgs84_to_gcj02(lat, lon)
    east_m = (gcj_lon - lon) * 111_320 * math.cos(math.radians(lat))
    north_m = (gcj_lat - lat) * 110_574
    assert 400 < east_m < 520 and -300 < north_m < -150  # domain reference §2: ~450 E, ~230 S
    assert geo.wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)  # outside China: unchanged


def test_tiles_are_off_by_default_and_shift_only_for_amap(monkeypatch, ds, viewer):
    monkeypatch.delenv("DASH_MAP_TILES", raising=False)
    assert tables.map_tiles() is None
    monkeypatch.setenv("DASH_MAP_TILES", "tianditu")
    assert tables.map_tiles() is None  # no key, no layer
    monkeypatch.setenv("DASH_TIANDITU_KEY", "k123")
    name, url = tables.map_tiles()
    assert name == "tianditu" and url.endswith("tk=k123")
    table = tables.facility_table(ds, pd.Timestamp(AS_OF), viewer)
    tianditu = figures.facility_map(table, ds.admin_villages, pd.DataFrame(), tiles=(name, url))
    amap = figures.facility_map(table, ds.admin_villages, pd.DataFrame(), tiles=("amap", "u"))
    assert (
        tianditu.data[0].lat[0] == table.loc[table["status_group"] == "normal", "latitude"].iloc[0]
    )
    assert amap.data[0].lon[0] > tianditu.data[0].lon[0] + 0.004  # moved east to GCJ-02
    assert tianditu.layout.map.layers[0].source == (url,)


def test_findings_map_without_findings_still_draws_the_town(ds, viewer):
    found = tables.findings(ds, "2025", viewer)
    assert found.empty and list(found.columns) == tables.FINDING_COLUMNS
    fig = figures.findings_map(found, ds.admin_villages, tables.convex_hull(ds.natural_villages))
    names = [trace.name for trace in fig.data]
    assert names[0] == "镇域范围（示意）" and "露天焚烧（0）" in names
    assert "没有带位置的发现" in fig.layout.annotations[0].text


def test_findings_are_the_film_and_straw_records_the_etl_counted(ds, viewer):
    """Thin film and open burning located from the records in the period's basis."""
    from dataclasses import replace

    film_records = conform(
        schemas.FILM_RECORDS,
        [
            {
                **etl_builders.film_record("f1", A1, "2025-09-30"),
                "latitude": 31.7,
                "longitude": 119.8,
            },
            {
                **etl_builders.film_record("f2", B1, "2024-09-30"),
                "latitude": 31.8,
                "longitude": 119.9,
            },
        ],
    )
    film_entries = conform(
        schemas.FILM_ENTRIES,
        [
            etl_builders.film_entry("f1", 1, 100.0, 80.0, thickness=0.006),
            etl_builders.film_entry("f2", 1, 100.0, 80.0, thickness=0.006),
        ],
    )
    straw_records = conform(
        schemas.STRAW_RECORDS,
        [
            {
                **etl_builders.straw_record(
                    "s1", B1, 2025, "autumn", collectable=10.0, uses={"direct_return_t": 9.0}
                ),
                "open_burning_seen": "yes",
                "latitude": 31.81,
                "longitude": 119.86,
            }
        ],
    )
    sites = conform(
        schemas.BURNING_SITES,
        [
            {
                "instance_id": "s1",
                "entry": 1,
                "latitude": 31.82,
                "longitude": 119.87,
                "burning_area_mu": 1.0,
            }
        ],
    )
    tidied = replace(
        ds.tables,
        film_records=film_records,
        film_entries=film_entries,
        straw_records=straw_records,
        burning_sites=sites,
    )
    found = tables.findings(replace(ds, tables=tidied), "2025", viewer)
    assert sorted(zip(found["kind"], found["instance_id"], strict=True)) == [
        ("burning", "s1"),
        ("thin_film", "f1"),
    ]
    assert found.loc[found["kind"] == "burning", "latitude"].iloc[0] == 31.82  # the mapped site
    only_a = tables.findings(replace(ds, tables=tidied), "2025", viewer, A)
    assert list(only_a["instance_id"]) == ["f1"]


def test_every_label_has_its_english(monkeypatch):
    localized = [value for value in vars(labels).values() if isinstance(value, labels.Localized)]
    assert len(localized) >= 10
    for table in localized:
        assert set(table._en) == set(table._zh)
    labels.set_language("en")
    try:
        assert labels.PAGES["overview"] == "Overview"
        assert labels.MET[False] == "✘ Not met"
        assert dict(labels.STATUS_GROUP)["abnormal"] == "Abnormal"
    finally:
        labels.set_language("zh")
    assert labels.PAGES["overview"] == "总览"
    labels.set_language("fr")
    assert labels.language() == "zh"


def test_figures_preload_runs_without_data():
    figures.preload()


def test_the_quarter_in_progress_is_drawn_apart_and_not_projected():
    """Facilities not inspected yet in the running quarter count as not normal until it
    ends: its partial value must not read as a fall, nor set the pace."""
    series = quarters([96.0, 97.0, 96.5, 63.0], first="2026-03-31")
    series["in_progress"] = series["date"] > pd.Timestamp(2026, 11, 30)
    assert list(series["in_progress"]) == [False, False, False, True]
    projected = tables.projection(series, deadline=pd.Timestamp(2025, 12, 31))
    assert projected["date"].iloc[0] == pd.Timestamp(2026, 9, 30)
    assert projected["value"].iloc[0] == 96.5 and projected["value"].iloc[1] > 90
    fig = figures.trend(
        series, projected, title="设施正常运行率", target=100.0, deadline=data.DEADLINE
    )
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name["实际值"].y) == [96.0, 97.0, 96.5]
    assert list(by_name["本季度（进行中）"].y) == [63.0]
    assert by_name["本季度（进行中）"].marker.symbol == "circle-open"
    assert list(figures.sparkline(series, 100.0).data[0].y) == [96.0, 97.0, 96.5]


def test_quarterly_series_marks_quarters_not_ended_on_the_cut_off(ds):
    ended = tables.quarterly_series(
        ds.results, TOWN, "SEWAGE_COVERAGE", as_of=dt.date(2025, 12, 31)
    )
    assert not ended["in_progress"].any()
    running = tables.quarterly_series(
        ds.results, TOWN, "SEWAGE_COVERAGE", as_of=dt.date(2025, 11, 30)
    ).set_index("period")
    assert running.loc["2025-Q4", "in_progress"] and not running.loc["2025-Q3", "in_progress"]
    nothing = tables.quarterly_series(ds.results, "320404117", "SEWAGE_COVERAGE", as_of=AS_OF)
    assert nothing.empty and list(nothing.columns) == ["period", "date", "value", "in_progress"]
    assert tables.projection(nothing).empty


def test_the_water_chart_draws_the_limits_of_the_judgement_table(ds):
    from dataclasses import replace

    from etl.judgements import WATER_SD_CM

    edited = replace(ds, judgements={WATER_SD_CM: 30.0})
    limits = tables.measurement_limits(edited)
    assert limits == {"transparency_cm": 30.0, "do_mgl": 2.0, "nh3n_mgl": 15.0}
    history = pd.DataFrame(
        {
            "recorded_on": pd.to_datetime(["2025-03-01"]),
            "transparency_cm": [20.0],
            "do_mgl": [1.5],
            "nh3n_mgl": [9.0],
        }
    )
    fig = figures.water_history(history, title="水体", limits=limits)
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [2.0, 15.0, 30.0]
