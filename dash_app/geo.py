"""Coordinates for display. Points are stored in WGS-84 (ODK Collect's GNSS datum); only an
AMap (高德) tile layer needs them moved to GCJ-02, the datum its tiles are drawn in. 天地图
draws in CGCS2000, which is within centimetres of WGS-84 for field work: no shift (domain
reference §2). Pure functions."""

import math

import pandas as pd

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm uses it
_EE = 0.00669342162296594323


def in_mainland_china(lat: float, lon: float) -> bool:
    """The rough box GCJ-02 is defined in (outside it the shift is not applied)."""
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 -> GCJ-02 (the public forward transform); unchanged outside mainland China."""
    if not in_mainland_china(lat, lon):
        return lat, lon
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lon + d_lon


def for_tiles(points: pd.DataFrame, tiles: str | None) -> pd.DataFrame:
    """``latitude``/``longitude`` as the chosen tile layer needs them (a copy)."""
    if tiles != "amap" or points.empty:
        return points
    moved = [
        wgs84_to_gcj02(lat, lon) if pd.notna(lat) and pd.notna(lon) else (lat, lon)
        for lat, lon in zip(points["latitude"], points["longitude"], strict=True)
    ]
    return points.assign(latitude=[m[0] for m in moved], longitude=[m[1] for m in moved])
