"""Every component ID of the dashboard, as a constant."""

# Shell (app.py)
URL = "url"
NAV = "nav"
NAV_LINK = "nav-link"  # pattern-matching: {"type": NAV_LINK, "page": <path>}
FILTER_YEAR = "filter-year"
FILTER_QUARTER = "filter-quarter"
FILTER_VILLAGE = "filter-village"
FILTER_TOWN = "filter-town"
DOWNLOAD_WORKBOOK = "download-workbook"
LANGUAGE = "language"
PAGE = "page"
ERROR = "error-banner"
PLOTLY_PRELOAD = "plotly-preload"
PAGE_STATE = "page-state"  # dcc.Store inside each rendered page: the parsed query string

# 总览 Overview
OVERVIEW_CARDS = "overview-cards"
OVERVIEW_TRENDS = "overview-trends"
TREND_GRAPH = "trend-graph"  # pattern-matching: {"type": TREND_GRAPH, "code": <indicator>}

# 行政村 Villages
VILLAGE_TABLE = "village-table"
VILLAGE_DETAIL = "village-detail"

# 设施 Facilities
FACILITY_MAP = "facility-map"
FACILITY_TABLE = "facility-table"
FACILITY_DETAIL = "facility-detail"

# 黑臭水体 Water bodies
WATER_STAGES = "water-stages"
WATER_TABLE = "water-table"
WATER_DETAIL = "water-detail"

# 农膜/秸秆 Film and straw
FARM_FILM = "farm-film"
FARM_STRAW = "farm-straw"
FARM_TABLE = "farm-table"

# 预警 Alerts
ALERT_LIST = "alert-list"
