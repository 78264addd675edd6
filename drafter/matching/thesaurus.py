"""A small, reviewed thesaurus of the field's synonyms: variant → canonical term.

Each entry was checked against the reference texts: the two wordings name the same
thing in these regulations. Keep it small; a wrong entry silently merges topics.
"""

from __future__ import annotations

SYNONYMS: dict[str, str] = {
    # Mobile government services: the references say 掌上 (掌上办); drafters also write
    # 移动端 / 手机端 / 移动终端.
    "移动端": "掌上",
    "手机端": "掌上",
    "移动终端": "掌上",
    # Wireless networks: the references say 无线网络 (鹰潭, 济宁).
    "WiFi": "无线网络",
    "Wi-Fi": "无线网络",
    "WLAN": "无线网络",
    "无线局域网": "无线网络",
    # Accessibility for the elderly: 海口 writes 适老化, 成都 老年人.
    "适老化": "老年人",
    "老年群体": "老年人",
    # The data bureau as the subject of an article: 海口 大数据发展部门, 无锡 大数据主管部门.
    "大数据主管部门": "大数据部门",
    "大数据发展部门": "大数据部门",
    "大数据管理部门": "大数据部门",
}
