"""A small, reviewed thesaurus of the field's synonyms: variant → canonical term.

Each group names one thing (a facility, a service channel, a body, a drafting variant) in
words a drafter would accept as interchangeable in a local regulation: replacing one by the
other never changes who must do what. Words whose legal meaning differs stay apart even
when they often appear together: 应当/可以, 公共数据/政务数据, 开放/开发利用, 共享/交换,
个人信息/隐私, 罚款/处分, 政务处分/处分, 考核/评估, 专家咨询/专家论证, 标准/规范,
无障碍/适老化, 数字产业化/产业数字化, 一网通办/一网统管, 公共设施/公用设施.

Replacement is by longest phrase first and is not re-scanned, so a variant must never be a
substring of its own or another group's canonical form in running text (the tests check
that every canonical term normalises to itself). Abbreviations that also occur across word
boundaries (工信 in 员工信息, 发改 in 开发改造, 等保 in 等保障, 考评 in 参考评价) are left out.
A canonical form must not add a word that is common in the library for another reason
(监督管理 in 市场监督管理, 智慧 in 智慧化): that would tie every text using the variant to
unrelated clauses, so such groups take the shorter or plainer form as canonical.
Keep it small; a wrong entry silently merges topics.

Measured with `drafter eval` on the gold files (docs/benchmarks.md, "Suggestions").
"""

from __future__ import annotations

# (canonical, variants): one tuple per group, each with the reason it is safe.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    # Mobile government services: the references say 掌上 (掌上办); drafters also write
    # 移动端 / 手机端 / 移动终端 / a mobile client. All name the phone channel of one service.
    ("掌上", ("移动端", "手机端", "移动终端", "移动客户端", "手机客户端")),
    # Wireless networks: the references say 无线网络 (鹰潭, 济宁); WiFi/WLAN are the same
    # access technology, 无线上网 the service it provides.
    ("无线网络", ("WiFi", "Wi-Fi", "WLAN", "无线局域网", "无线上网")),
    # Accessibility for the elderly: 海口 writes 适老化, 成都 老年人. (无障碍 is wider, it
    # covers persons with disabilities, and stays apart.)
    ("老年人", ("适老化", "老年群体")),
    # The digital divide: 信息鸿沟 is the older name of the same gap.
    ("数字鸿沟", ("信息鸿沟",)),
    # The data bureau as the subject of an article: 海口 大数据发展部门, 无锡 大数据主管部门;
    # other cities name the same body the data (resources) authority.
    (
        "大数据部门",
        (
            "大数据主管部门",
            "大数据发展部门",
            "大数据管理部门",
            "数据主管部门",
            "数据管理部门",
            "数据资源主管部门",
            "数据资源管理部门",
        ),
    ),
    # The government-services authority under its usual titles.
    ("政务服务部门", ("政务服务管理部门", "政务服务主管部门")),
    # 行政服务 is the older name of 政务服务 (行政服务中心 became 政务服务中心 nationwide).
    ("政务服务", ("行政服务",)),
    # The physical service hall and the centre that runs it are one place in a statute.
    ("政务服务中心", ("行政服务中心", "政务服务大厅", "行政服务大厅", "政务大厅")),
    # The online service platform under its portal names.
    ("政务服务平台", ("网上办事大厅", "网上服务大厅", "网上大厅")),
    # "Internet + government services" is the policy name for online government services.
    ("网上政务服务", ("互联网+政务服务", "互联网＋政务服务", "互联网政务服务")),
    # Handling a matter online: 在线/线上/网上 办理, 网上办事, fully online (全程网办); 一网通办
    # is the same rule stated as a reform goal (every matter handled online, one portal).
    ("网上办理", ("在线办理", "线上办理", "网上办事", "一网通办")),
    ("全程网上办理", ("全程网办",)),
    # Online and offline channels.
    ("线上线下", ("网上网下", "线上和线下", "网上和网下")),
    # The citizens' service hotline (12345) has a different name in each city; 政务服务便民
    # 热线 is the national name (国办发〔2020〕53号), 市民/百姓/市长/诉求热线 local ones.
    (
        "便民热线",
        (
            "政务服务便民热线",
            "便民服务热线",
            "政务服务热线",
            "政务热线",
            "市民热线",
            "百姓热线",
            "市长热线",
            "诉求热线",
        ),
    ),
    # Citizens' evaluation of government services: 好差评 is the name of the evaluation
    # system (政务服务好差评制度).
    ("评价", ("好差评",)),
    # Expert advice: a think tank (智库) and an expert committee are advisory bodies. (专家
    # 论证, a procedural step of major decisions, stays apart.)
    ("专家咨询", ("专家智库", "智库")),
    ("专家咨询委员会", ("专家委员会",)),
    # Government websites.
    ("政府网站", ("政府门户网站", "政务网站")),
    # The e-government extranet/intranet are called 政务外网/政务内网 for short.
    ("政务外网", ("电子政务外网",)),
    ("政务内网", ("电子政务内网",)),
    # 信息资源 is the older name of 数据资源 (政务信息资源 → 政务数据资源); the word
    # 政务信息 alone stays apart: 政府信息公开 is a different legal regime.
    ("数据资源", ("信息资源",)),
    ("数据孤岛", ("信息孤岛",)),
    # Gathering data into one place: 归集/汇聚/汇集 of data.
    ("数据归集", ("数据汇聚", "数据汇集")),
    ("归集数据", ("汇聚数据", "汇集数据")),
    # Word order only.
    ("共享交换", ("交换共享",)),
    ("开放共享", ("共享开放",)),
    ("企业和群众", ("群众和企业", "企业群众")),
    # Network security: the combined forms, and the grading scheme renamed in 2019.
    ("网络安全", ("网络和信息安全", "网络与信息安全", "网络信息安全")),
    ("网络安全等级保护", ("信息安全等级保护",)),
    # Funding: 经费 and 资金 are both money provided for the work (所需经费/资金纳入预算).
    ("资金", ("经费",)),
    # Including something into a budget, plan or list: 列入 and 纳入 mean the same.
    ("纳入", ("列入",)),
    # Free of charge.
    ("免费", ("无偿",)),
    # Private capital invested in projects.
    ("社会资本", ("民间资本",)),
    # All sectors of society as participants.
    ("社会力量", ("社会各界", "社会各方面", "社会各方")),
    # Performance evaluation and third-party assessment: one word each in practice.
    ("绩效评价", ("绩效评估",)),
    ("第三方评估", ("第三方评价",)),
    # Infrastructure: 新基建 abbreviates 新型基础设施; ICT and telecom infrastructure.
    ("新型基础设施", ("新基建",)),
    ("通信基础设施", ("信息通信基础设施",)),
    ("千兆光网", ("千兆光纤网络",)),
    ("5g", ("5G", "第五代移动通信")),
    ("算力", ("计算能力",)),
    # Multi-function smart poles carry lights, cameras and base stations under many names.
    # Canonical forms never add 智慧: it is in almost every smart-city article (智慧城市),
    # so it would tie the term to all of them; the same holds for 智能化/智慧化 below.
    ("多功能杆", ("智慧灯杆", "多功能智能杆", "综合杆", "智能杆", "智慧杆")),
    ("城市信息模型", ("CIM",)),
    ("建筑信息模型", ("BIM",)),
    ("首席数据官", ("CDO",)),
    ("智能化", ("智慧化",)),
    ("信息化和工业化融合", ("两化融合", "信息化与工业化融合", "信息化和工业化深度融合")),
    ("研发", ("研究开发",)),
    # 中小企业 includes micro enterprises by law (中小企业促进法).
    ("中小企业", ("中小微企业",)),
    ("高校", ("高等院校", "高等学校")),
    ("科研机构", ("科研院所",)),
    # Electronic seals of organs; 电子签名 (a different statute) stays apart.
    ("电子印章", ("电子签章",)),
    # Department names: the same bodies under their full and short titles.
    ("网信", ("网络安全和信息化",)),
    ("发展改革", ("发展和改革",)),
    ("工业和信息化", ("经济和信息化",)),
    # Canonical is the short form: 市场监督管理 embeds 监督管理, one of the commonest
    # legal phrases, which would tie every 市场监管 text to unrelated supervision clauses.
    ("市场监管", ("市场监督管理",)),
    # Residential communities: 济宁 writes 智慧住区, the others 智慧社区; a 住区 is a
    # residential community. (小区, one housing estate inside a community, stays apart.)
    ("社区", ("住区", "居住社区")),
    # The countryside: 数字乡村 (the national programme's name) and 农村信息化 / 农业农村
    # name the same rural areas; 乡村振兴 is the strategy for them.
    ("农村", ("乡村",)),
    ("住房和城乡建设", ("住房城乡建设",)),
    ("公安机关", ("公安部门",)),
    ("通信管理部门", ("通信管理局", "通信主管部门", "电信管理机构")),
    # 行政处分 is the former name of 处分 (公务员法); 政务处分 is a different sanction.
    ("处分", ("行政处分",)),
    # Drafting variants with one standard form (立法技术规范): 其他, 作出, 免予, 账, 登录.
    ("其他", ("其它",)),
    ("作出", ("做出",)),
    ("免予", ("免于",)),
    ("账户", ("帐户",)),
    ("账号", ("帐号",)),
    ("登录", ("登陆",)),
]

SYNONYMS: dict[str, str] = {
    variant: canonical for canonical, variants in GROUPS for variant in variants
}
