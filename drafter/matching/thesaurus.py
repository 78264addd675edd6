"""A small, reviewed thesaurus of the field's synonyms: variant → canonical term.

Each entry was checked against the reference texts: the two wordings name the same
thing in these regulations. Keep it small; a wrong entry silently merges topics.
"""

from __future__ import annotations

SYNONYMS: dict[str, str] = {
    # Mobile government services: 掌上办 / 移动端 / 手机端 / 移动终端.
    "移动端": "掌上",
    "手机端": "掌上",
    "移动终端": "掌上",
    # Wireless networks.
    "WiFi": "无线网络",
    "Wi-Fi": "无线网络",
    "WLAN": "无线网络",
    "无线局域网": "无线网络",
    # Accessibility for the elderly.
    "适老化": "老年人",
    "老年群体": "老年人",
    "老年用户": "老年人",
    # Government cloud.
    "政务云平台": "政务云",
    # Names of the city brain / operations centre.
    "城市大脑": "城市运行管理中心",
    "城市运行中心": "城市运行管理中心",
    "城运中心": "城市运行管理中心",
    # The data bureau under its various names.
    "大数据主管部门": "大数据部门",
    "大数据管理部门": "大数据部门",
    "大数据发展部门": "大数据部门",
    "数据主管部门": "大数据部门",
}
