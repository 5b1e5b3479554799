"""User-facing text, keyed by English names: Chinese, with English available.

Each table below is a mapping that answers in the current request's language (set once per
request by ``auth`` from the viewer's choice, Chinese by default). Read labels inside layout
functions and callbacks, never into module-level constants, so the language can change.
"""

from collections.abc import Iterator, Mapping
from contextvars import ContextVar

LANGUAGES = ("zh", "en")
_LANGUAGE: ContextVar[str] = ContextVar("dashboard_language", default="zh")


def set_language(language: str | None) -> None:
    _LANGUAGE.set(language if language in LANGUAGES else "zh")


def language() -> str:
    return _LANGUAGE.get()


class Localized(Mapping):
    """A Chinese table with English alternatives; a key missing in English stays Chinese."""

    def __init__(self, zh: dict, en: dict) -> None:
        self._zh, self._en = zh, en

    def __getitem__(self, key):
        if _LANGUAGE.get() == "en" and key in self._en:
            return self._en[key]
        return self._zh[key]

    def __iter__(self) -> Iterator:
        return iter(self._zh)

    def __len__(self) -> int:
        return len(self._zh)


PAGES = Localized(
    {
        "overview": "总览",
        "villages": "行政村",
        "facilities": "设施",
        "water": "黑臭水体",
        "farm": "农膜/秸秆",
        "alerts": "预警",
    },
    {
        "overview": "Overview",
        "villages": "Villages",
        "facilities": "Facilities",
        "water": "Water bodies",
        "farm": "Film / straw",
        "alerts": "Alerts",
    },
)

INDICATOR_SHORT = Localized(
    {
        "SEWAGE_COVERAGE": "污水治理覆盖率",
        "FACILITY_OPERATION": "设施正常运行率",
        "BLACK_WATER_ELIMINATION": "黑臭水体消除比例",
        "FILM_RECOVERY": "废旧农膜回收率",
        "STRAW_UTILIZATION": "秸秆综合利用率",
    },
    {
        "SEWAGE_COVERAGE": "Sewage treatment coverage",
        "FACILITY_OPERATION": "Facilities running normally",
        "BLACK_WATER_ELIMINATION": "Black-odorous water eliminated",
        "FILM_RECOVERY": "Waste film recovery",
        "STRAW_UTILIZATION": "Straw utilisation",
    },
)

MET = Localized(
    {True: "✔ 达标", False: "✘ 未达标", None: "— 无数据"},
    {True: "✔ Met", False: "✘ Not met", None: "— No data"},
)

FACILITY_STATUS = Localized(
    {"normal": "正常运行", "defective": "带病运行", "stopped": "停运", "uninspected": "未巡查"},
    {
        "normal": "Running normally",
        "defective": "Running with defects",
        "stopped": "Stopped",
        "uninspected": "Not inspected",
    },
)
# The map's three groups (issue 6): 正常 / 异常 / 未巡查.
STATUS_GROUP = Localized(
    {"normal": "正常", "abnormal": "异常", "uninspected": "未巡查"},
    {"normal": "Normal", "abnormal": "Abnormal", "uninspected": "Not inspected"},
)
STATUS_ICON = {"normal": "●", "abnormal": "✘", "uninspected": "○"}

WATER_STAGE = Localized(
    {
        "screened": "排查确认",
        "works": "整治中",
        "completed": "整治完成",
        "monitoring": "整治后监测",
        "closed": "销号",
        "rebound": "返黑",
    },
    {
        "screened": "Confirmed",
        "works": "Works",
        "completed": "Works done",
        "monitoring": "Monitoring",
        "closed": "Closed off",
        "rebound": "Rebound",
    },
)

SEWAGE_MODE = Localized(
    {
        "sewer": "接入城镇管网",
        "centralized": "集中式处理",
        "decentralized": "分散式处理",
        "none": "未治理",
    },
    {
        "sewer": "Town sewer",
        "centralized": "Centralised",
        "decentralized": "Decentralised",
        "none": "Untreated",
    },
)

STRAW_USE = Localized(
    {
        "fertilizer": "肥料化",
        "feed": "饲料化",
        "fuel": "燃料化",
        "substrate": "基料化",
        "material": "原料化",
        "exported": "调出",
        "imported": "调入",
    },
    {
        "fertilizer": "Fertiliser",
        "feed": "Feed",
        "fuel": "Fuel",
        "substrate": "Substrate",
        "material": "Raw material",
        "exported": "Sent out",
        "imported": "Brought in",
    },
)

ALERT_KIND = Localized(
    {
        "facility_abnormal": "设施异常",
        "facility_not_inspected_severe": "超{days}天未巡查",
        "facility_not_inspected_warn": "超{days}天未巡查",
        "water_rebound": "水体返黑",
        "water_overdue": "整治后监测逾期（超{days}天未监测）",
        "village_below_target": "行政村未达标",
    },
    {
        "facility_abnormal": "Facility abnormal",
        "facility_not_inspected_severe": "Not inspected for over {days} days",
        "facility_not_inspected_warn": "Not inspected for over {days} days",
        "water_rebound": "Water body rebounded",
        "water_overdue": "Post-remediation monitoring overdue ({days}+ days)",
        "village_below_target": "Village below target",
    },
)

FINDING = Localized(
    {"thin_film": "超薄农膜", "burning": "露天焚烧"},
    {"thin_film": "Banned-thickness film", "burning": "Open burning"},
)

MEASUREMENT = Localized(
    {"transparency_cm": "透明度(cm)", "do_mgl": "溶解氧(mg/L)", "nh3n_mgl": "氨氮(mg/L)"},
    {"transparency_cm": "Transparency (cm)", "do_mgl": "DO (mg/L)", "nh3n_mgl": "NH₃-N (mg/L)"},
)

TEXT = Localized(
    {
        "app_title": "邹区镇农村生态环境监测",
        "browser_title": "邹区镇调查仪表盘",
        "login_title": "登录",
        "username": "用户名",
        "password": "密码",
        "login": "登录",
        "logout": "退出",
        "other_language": "English",
        "login_failed": "用户名或密码错误。",
        "login_forbidden": "仅镇级管理人员和区级管理员可以使用仪表盘。",
        "csrf_failed": "安全校验未通过（页面已过期或请求并非来自本页面），请刷新页面后重试。",
        "year": "年份",
        "year_option": "{year}年",
        "quarter": "季度",
        "quarter_option": "第{quarter}季度",
        "whole_year": "全年",
        "village": "行政村",
        "whole_town": "全镇",
        "town": "镇",
        "period_year": "{year}年",
        "period_quarter": "{year}年第{quarter}季度",
        "download_workbook": "下载年度考核工作簿",
        "workbook_name": "{town}{year}年度考核工作簿.xlsx",
        "value": "现状值",
        "target": "目标值",
        "gap": "差距",
        "gap_points": "{gap:.1f} 个百分点",
        "no_gap": "已达到目标",
        "fraction": "分子/分母",
        "records": "记录数",
        "trend_title": "季度趋势（2020年基线至今）",
        "target_line": "目标",
        "deadline": "2025年目标期限",
        "deadline_short": "2025年底",
        "month": "{year}年{month}月",
        "actual": "实际值",
        "projection": "按当前进度预测",
        "quarter_in_progress": "本季度（进行中）",
        "projection_at_deadline": "按当前进度，{deadline}预计为 {value}",
        "projection_after_deadline": "2025年目标期限已到；按当前进度，{until}预计为 {value}",
        "no_data": "暂无数据",
        "not_published": "指标尚未发布：服务器还没有计算本镇的指标（管理员运行 manage.py "
        "publish_indicators，或等待指标发布服务完成首次计算），指标卡片和趋势暂不显示。"
        "设施、水体等清单仍按最新上报数据显示。",
        "published_as_of": "指标计算截至 {date}",
        "series_starts": "{period} 起有记录",
        "as_of": "数据截至 {date}",
        "name": "名称",
        "level": "层级",
        "admin_village": "行政村",
        "natural_village": "自然村",
        "coverage": "治理覆盖率(%)",
        "operation": "正常运行率(%)",
        "natural_villages": "自然村数",
        "facilities": "设施数",
        "water_bodies": "黑臭水体数",
        "sewage_mode": "治理模式",
        "households": "户数",
        "select_village_hint": "点击表格中的一行查看该村的设施和水体。",
        "village_detail": "{name}：设施 {facilities}，黑臭水体 {water}",
        "filter_placeholder": "筛选…",
        "facility_code": "设施编码",
        "facility_name": "设施名称",
        "status_group": "状态",
        "status": "最近状态",
        "last_inspection": "最近巡查日期",
        "days_since": "距今天数",
        "faults": "故障",
        "inspector": "巡查人",
        "records_link": "查看巡查记录与照片（服务器，需登录）",
        "records_of_value": "{n} 条记录 ›",
        "map_title": "设施分布（按最近状态）",
        "town_outline": "镇域范围（示意）",
        "village_points": "行政村",
        "water_code": "水体编码",
        "water_name": "水体名称",
        "stage": "阶段",
        "stage_date": "阶段日期",
        "last_monitoring": "最近监测",
        "overdue": "监测逾期",
        "rebound": "返黑",
        "stage_counts": "各阶段水体数",
        "water_hint": "点击列表中的水体查看监测记录。",
        "history_title": "监测记录（对照农村黑臭阈值）",
        "threshold": "{name} 阈值 {value:g}",
        "film_title": "废旧农膜回收率（按行政村）",
        "straw_title": "秸秆综合利用率（按行政村）",
        "straw_split": "秸秆利用方式（吨）",
        "tonnes": "吨",
        "thin_film": "超薄膜发现数",
        "burning": "发现露天焚烧的报告数",
        "burning_sites": "标注的焚烧点数",
        "findings_title": "超薄农膜与露天焚烧发现",
        "no_findings": "本期没有带位置的发现",
        "alert_count": "共 {n} 条预警",
        "no_alerts": "当前没有预警。",
        "never_inspected": "从未巡查",
        "days_not_inspected": "{days} 天未巡查",
        "rebound_on": "返黑日期 {date}",
        "monitoring_since": "最近监测或进入监测 {date}",
        "below_target": "{indicator} {value:.1f}%（目标 {target:g}%）",
        "yes": "是",
        "no": "否",
        "not_found": "页面不存在。",
        "callback_error": "数据加载出错，请稍后刷新；如果仍然出错，请联系系统管理员。",
    },
    {
        "app_title": "Zouqu rural environment monitoring",
        "browser_title": "Zouqu survey dashboard",
        "login_title": "Log in",
        "username": "User name",
        "password": "Password",
        "login": "Log in",
        "logout": "Log out",
        "other_language": "中文",
        "login_failed": "Wrong user name or password.",
        "login_forbidden": "Only town officials and district administrators can use the dashboard.",
        "csrf_failed": "The security check failed (the page has expired or the request did not "
        "come from this page). Reload the page and try again.",
        "year": "Year",
        "year_option": "{year}",
        "quarter": "Quarter",
        "quarter_option": "Q{quarter}",
        "whole_year": "Whole year",
        "village": "Village",
        "whole_town": "Whole town",
        "town": "Town",
        "period_year": "{year}",
        "period_quarter": "{year} Q{quarter}",
        "download_workbook": "Download the annual workbook",
        "workbook_name": "{town}{year}年度考核工作簿.xlsx",
        "value": "Value",
        "target": "Target",
        "gap": "Gap",
        "gap_points": "{gap:.1f} points",
        "no_gap": "Target reached",
        "fraction": "Numerator / denominator",
        "records": "Records",
        "trend_title": "Quarterly trend (2020 baseline to now)",
        "target_line": "Target",
        "deadline": "2025 deadline",
        "deadline_short": "end of 2025",
        "month": "{year}-{month:02d}",
        "actual": "Actual",
        "projection": "Projection at current pace",
        "quarter_in_progress": "This quarter (in progress)",
        "projection_at_deadline": "At the current pace: {value} by {deadline}",
        "projection_after_deadline": "The 2025 deadline has come; at the current pace: {value} "
        "by {until}",
        "no_data": "No data yet",
        "not_published": "No indicator values are published for this town yet (an administrator "
        "runs manage.py publish_indicators, or the indicator publisher finishes its first run): "
        "cards and trends stay empty until then. Facility and water-body lists show the latest "
        "reports.",
        "published_as_of": "Indicators computed up to {date}",
        "series_starts": "records from {period}",
        "as_of": "Data as of {date}",
        "name": "Name",
        "level": "Level",
        "admin_village": "Admin village",
        "natural_village": "Natural village",
        "coverage": "Coverage (%)",
        "operation": "Normal operation (%)",
        "natural_villages": "Natural villages",
        "facilities": "Facilities",
        "water_bodies": "Water bodies",
        "sewage_mode": "Sewage treatment",
        "households": "Households",
        "select_village_hint": "Select a row to see the village's facilities and water bodies.",
        "village_detail": "{name}: {facilities} facilities, {water} water bodies",
        "filter_placeholder": "Filter…",
        "facility_code": "Code",
        "facility_name": "Facility",
        "status_group": "Status",
        "status": "Latest judgement",
        "last_inspection": "Last inspection",
        "days_since": "Days since",
        "faults": "Faults",
        "inspector": "Inspector",
        "records_link": "Inspection records and photos (server, login required)",
        "records_of_value": "{n} records ›",
        "map_title": "Facilities by latest status",
        "town_outline": "Town extent (approximate)",
        "village_points": "Villages",
        "water_code": "Code",
        "water_name": "Water body",
        "stage": "Stage",
        "stage_date": "Stage date",
        "last_monitoring": "Last monitoring",
        "overdue": "Monitoring overdue",
        "rebound": "Rebound",
        "stage_counts": "Water bodies by stage",
        "water_hint": "Select a water body to see its measurements.",
        "history_title": "measurements against the rural thresholds",
        "threshold": "{name} threshold {value:g}",
        "film_title": "Waste film recovery by village",
        "straw_title": "Straw utilisation by village",
        "straw_split": "Straw used, by use (t)",
        "tonnes": "t",
        "thin_film": "Banned-thickness film findings",
        "burning": "Reports of open burning",
        "burning_sites": "Mapped burning sites",
        "findings_title": "Banned-thickness film and open burning",
        "no_findings": "No located findings in this period",
        "alert_count": "{n} alerts",
        "no_alerts": "No alerts.",
        "never_inspected": "never inspected",
        "days_not_inspected": "{days} days without inspection",
        "rebound_on": "rebound on {date}",
        "monitoring_since": "last monitored or entered monitoring {date}",
        "below_target": "{indicator} {value:.1f}% (target {target:g}%)",
        "yes": "yes",
        "no": "no",
        "not_found": "Page not found.",
        "callback_error": "Loading the data failed. Refresh later; if it keeps failing, "
        "tell the administrator.",
    },
)
