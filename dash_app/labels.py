"""User-facing Chinese text, keyed by English names."""

APP_TITLE = "邹区镇农村生态环境监测"
TOWN_SUFFIX = "农村生态环境监测"

PAGES = {
    "overview": "总览",
    "villages": "行政村",
    "facilities": "设施",
    "water": "黑臭水体",
    "farm": "农膜/秸秆",
    "alerts": "预警",
}

INDICATOR_SHORT = {
    "SEWAGE_COVERAGE": "污水治理覆盖率",
    "FACILITY_OPERATION": "设施正常运行率",
    "BLACK_WATER_ELIMINATION": "黑臭水体消除比例",
    "FILM_RECOVERY": "废旧农膜回收率",
    "STRAW_UTILIZATION": "秸秆综合利用率",
}

MET = {True: "✔ 达标", False: "✘ 未达标", None: "— 无数据"}

FACILITY_STATUS = {
    "normal": "正常运行",
    "defective": "带病运行",
    "stopped": "停运",
    "uninspected": "未巡查",
}
# The map's three groups (issue 6): 正常 / 异常 / 未巡查.
STATUS_GROUP = {"normal": "正常", "abnormal": "异常", "uninspected": "未巡查"}

WATER_STAGE = {
    "screened": "排查确认",
    "works": "整治中",
    "completed": "整治完成",
    "monitoring": "整治后监测",
    "closed": "销号",
    "rebound": "返黑",
}

SEWAGE_MODE = {
    "sewer": "接入城镇管网",
    "centralized": "集中式处理",
    "decentralized": "分散式处理",
    "none": "未治理",
}

STRAW_USE = {
    "fertilizer": "肥料化",
    "feed": "饲料化",
    "fuel": "燃料化",
    "substrate": "基料化",
    "material": "原料化",
    "exported": "调出",
    "imported": "调入",
}

ALERT_KIND = {
    "facility_abnormal": "设施异常",
    "facility_not_inspected_90": "超90天未巡查",
    "facility_not_inspected_30": "超30天未巡查",
    "water_rebound": "水体返黑",
    "water_overdue": "整治后监测逾期",
    "village_below_target": "行政村未达标",
}

TEXT = {
    "login_title": "登录",
    "username": "用户名",
    "password": "密码",
    "login": "登录",
    "logout": "退出",
    "login_failed": "用户名或密码错误。",
    "login_forbidden": "仅镇级管理人员和区级管理员可以使用仪表盘。",
    "year": "年份",
    "quarter": "季度",
    "whole_year": "全年",
    "village": "行政村",
    "whole_town": "全镇",
    "download_workbook": "下载年度考核工作簿",
    "value": "现状值",
    "target": "目标值",
    "gap": "差距",
    "no_gap": "已达到目标",
    "records": "记录数",
    "trend_title": "季度趋势（2020年基线至今）",
    "target_line": "目标",
    "deadline": "2025年目标期限",
    "actual": "实际值",
    "projection": "按当前进度预测",
    "projection_at_deadline": "按当前进度，{deadline}预计为 {value}",
    "projection_after_deadline": "目标期限已过；按当前进度，{until}预计为 {value}",
    "no_data": "暂无数据",
    "as_of": "数据截至 {date}",
    "loading": "加载中…",
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
    "facility_code": "设施编码",
    "facility_name": "设施名称",
    "status": "最近状态",
    "last_inspection": "最近巡查日期",
    "days_since": "距今天数",
    "faults": "故障",
    "inspector": "巡查人",
    "photos": "照片",
    "map_title": "设施分布（按最近状态）",
    "town_outline": "镇域范围（示意）",
    "village_points": "行政村",
    "water_code": "水体编码",
    "water_name": "水体名称",
    "stage": "阶段",
    "stage_date": "阶段日期",
    "overdue": "监测逾期",
    "rebound": "返黑",
    "stage_counts": "各阶段水体数",
    "history_title": "监测记录（对照农村黑臭阈值）",
    "film_title": "废旧农膜回收率（按行政村）",
    "straw_title": "秸秆综合利用率（按行政村）",
    "straw_split": "秸秆利用方式（吨）",
    "thin_film": "超薄膜发现数",
    "burning": "露天焚烧发现数",
    "used_kg": "使用量(kg)",
    "recovered_kg": "回收量(kg)",
    "collectable_t": "可收集量(吨)",
    "utilised_t": "利用量(吨)",
    "alert_count": "共 {n} 条预警",
    "no_alerts": "当前没有预警。",
    "open_record": "查看",
    "yes": "是",
    "no": "否",
    "not_found": "页面不存在。",
}
