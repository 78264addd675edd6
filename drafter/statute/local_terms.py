"""Names that tie a clause to one city: city names, city-specific labels, local bodies and places.

Shared by matching (to see through them) and by adoption into a draft (to localise or flag them).
Entries are reviewed by hand; add to them rather than hard-coding lists elsewhere.
"""

from __future__ import annotations

# Cities of the bundled references, plus their common short forms.
CITY_NAMES: dict[str, list[str]] = {
    "鹰潭市": ["鹰潭"],
    "海口市": ["海口"],
    "成都市": ["成都", "蓉城"],
    "济宁市": ["济宁"],
    "无锡市": ["无锡"],
}

# City-specific brand labels and the generic term they stand for.
CITY_LABELS: dict[str, str] = {
    "智慧蓉城": "智慧城市",
    "数字无锡": "数字城市",
    "智慧鹰潭": "智慧城市",
    "智慧海口": "智慧城市",
    "智慧济宁": "智慧城市",
    "智慧新城": "智慧城市",
}

# Ways of naming the county-level governments under a city; all mean the same tier.
COUNTY_TIER_FORMS: list[str] = [
    "区（市）县",
    "区(市)县",
    "县（市、区）",
    "县(市、区)",
    "区（市）",
    "区(市)",
    "县级市、区",
    "县级市",
]

# Named local bodies, places and regional strategies: never replaced automatically,
# only flagged for the drafter to review.
LOCAL_BODIES: list[str] = [
    "市大数据发展部门",
    "市网络理政办",
    "市信息化工作办公室",
    "市信息办",
    "市大数据管理局",
    "智慧蓉城运行中心",
    "市城运中心",
]

REGIONAL_NAMES: list[str] = [
    "海南自由贸易港",
    "自由贸易港",
    "成渝地区双城经济圈",
    "成都都市圈",
    "长三角",
    "粤港澳大湾区",
    "蠡湖未来城",
    "梁溪科技城",
    "龙虎山",
    "江东新区",
    "复兴城",
    "太白湖新区",
    "公园城市示范区",
]

# County-tier forms that only one city uses (成都's 区（市）县, 无锡's 县级市、区): in another
# city's draft they are that city's wording and should become the draft's own form.
CITY_COUNTY_TIER_FORMS: dict[str, list[str]] = {
    "成都市": ["区（市）县", "区(市)县"],
    "无锡市": ["县级市、区"],
}

# Forms any city may use for the same tier; the first is the default for a draft that uses
# none of them yet (it is the form most provincial and municipal regulations use).
GENERIC_COUNTY_TIER_FORMS: list[str] = ["县（市、区）", "县(市、区)"]

# What can follow a short city name to make it the name of one particular place or body
# (海口港, 济宁国家高新技术产业开发区, 海口江东新区): such a name is not simply "this city".
PLACE_NAME_CONTINUATIONS: tuple[str, ...] = (
    "港",
    "湾",
    "国家",
    "经济",
    "高新",
    "新区",
    "开发区",
    "片区",
    "园区",
    "区",
    "县",
    "镇",
    "路",
    "街",
    "站",
    "机场",
    "大学",
    "学院",
    "江",
    "湖",
    "山",
    "河",
)
