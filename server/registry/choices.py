"""Choice lists of the registry, from the domain reference (§3.4, §4.3, §4.4).

The codes are stable: questionnaires, CSV media and exports use them.
"""

from django.db import models


class VillageKind(models.TextChoices):
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"


class SewageMode(models.TextChoices):
    SEWER = "sewer", "接入城镇污水管网"
    CENTRALIZED = "centralized", "集中式处理设施"
    DECENTRALIZED = "decentralized", "分散式处理设施"
    NONE = "none", "未治理"


class ProcessType(models.TextChoices):
    NAGUAN = "naguan", "纳入城镇管网"
    AO = "ao", "A/O"
    A2O = "a2o", "A²/O"
    MBR = "mbr", "MBR 膜生物反应器"
    CONTACT_OX = "contact_ox", "生物接触氧化"
    BIOFILTER = "biofilter", "生物滤池"
    WETLAND = "wetland", "人工湿地"
    ANAEROBIC_WETLAND = "anaerobic_wetland", "厌氧+人工湿地"
    POND = "pond", "稳定塘/生态塘"
    SOIL = "soil", "土壤渗滤"
    JINGCAO = "jingcao", "净化槽/一体化设备"
    SEPTIC = "septic", "化粪池/三格式"
    OTHER = "other", "其他"


class FacilityScale(models.TextChoices):
    HOUSEHOLD = "household", "户用/分散"
    CLUSTER = "cluster", "联户/组团"
    VILLAGE = "village", "村级集中"


class OmMode(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方专业运维"
    TOWN = "town", "镇级"
    VILLAGE = "village", "村级日常+专业"
    URBAN_WWTP = "urban_wwtp", "纳入城镇污水厂运维"
    NONE = "none", "无"


class FacilityStatus(models.TextChoices):
    """Latest judgement of a facility, by the inspection rubric (domain §3.3)."""

    NORMAL = "normal", "正常运行"
    DEFECTIVE = "defective", "带病运行"
    STOPPED = "stopped", "停运"
    UNINSPECTED = "uninspected", "未巡查"


class WaterBodyKind(models.TextChoices):
    POND = "pond", "坑塘"
    DITCH = "ditch", "沟渠"
    CREEK = "creek", "河浜/断头浜"
    RIVER = "river", "河道"
    OTHER = "other", "其他"


class WaterBodyStage(models.TextChoices):
    """Ledger lifecycle of a black-odorous water body (清单 → 销号, or 返黑)."""

    SCREENED = "screened", "排查确认"
    WORKS = "works", "整治中"
    COMPLETED = "completed", "整治完成"
    MONITORING = "monitoring", "整治后监测"
    CLOSED = "closed", "销号"
    REBOUND = "rebound", "返黑"
