"""Benchmark of duplicate and continuation detection (keyprojects.selection.similarity).

    .venv/bin/python bench/bench_duplicates.py [--documents 20000] [--seed 2020]

Generates realistic Chinese project texts (names and construction content from templates
and word lists), plants near-duplicates (the same project rewritten with small edits, as a
partner would) and continuation phases (二期 of an earlier key project), then runs the very
code the background task runs on plain data and prints the indexing time, the query time
per application, the pairs found and the recall of what was planted. No database needed.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")

import django

django.setup()

from keyprojects.selection import similarity  # noqa: E402
from keyprojects.selection.similarity import Document  # noqa: E402

CITIES = {
    "南京市": ["玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "江宁区", "溧水区"],
    "无锡市": ["梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市"],
    "徐州市": ["鼓楼区", "云龙区", "铜山区", "丰县", "沛县", "睢宁县", "新沂市", "邳州市"],
    "常州市": ["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"],
    "苏州市": ["姑苏区", "虎丘区", "吴中区", "相城区", "吴江区", "常熟市", "张家港市", "昆山市"],
    "南通市": ["崇川区", "通州区", "如东县", "启东市", "如皋市", "海安市"],
    "连云港市": ["连云区", "海州区", "赣榆区", "东海县", "灌云县", "灌南县"],
    "淮安市": ["淮安区", "淮阴区", "清江浦区", "洪泽区", "涟水县", "盱眙县", "金湖县"],
    "盐城市": ["亭湖区", "盐都区", "大丰区", "响水县", "滨海县", "阜宁县", "射阳县", "东台市"],
    "扬州市": ["广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"],
    "镇江市": ["京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市"],
    "泰州市": ["海陵区", "高港区", "姜堰区", "兴化市", "靖江市", "泰兴市"],
    "宿迁市": ["宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县"],
}

# Per field: (name words, system nouns, components, objects monitored, outcomes)
FIELDS = {
    "水务": (
        ["智慧水务", "供排水一体化", "城市防汛"],
        ["平台", "管理系统", "综合平台"],
        [
            "供水管网压力监测",
            "漏损分析模型",
            "二次供水泵房远程监控",
            "水厂智能加药",
            "内涝积水预警",
            "排水管网数字孪生",
            "营业收费系统",
            "水质在线监测",
            "智能水表远传",
            "管网GIS系统",
            "调度指挥中心",
            "排污口监管",
            "河湖水位监测",
            "供水应急预案库",
            "用户服务热线",
        ],
        ["供水管网", "雨水泵站", "污水处理厂", "居民小区泵房"],
        ["管网漏损率下降", "抢修响应时间缩短", "水质合格率提升"],
    ),
    "交通": (
        ["智慧交通", "交通大脑", "智能网联"],
        ["平台", "系统", "指挥中心"],
        [
            "信号灯自适应控制",
            "路口视频结构化分析",
            "公交到站预测",
            "停车诱导",
            "交通事件自动检测",
            "车路协同路侧单元",
            "货运车辆动态监管",
            "出行信息服务",
            "电子警察",
            "网约车监管",
            "共享单车调度",
            "交通仿真推演",
            "危化品运输监控",
            "桥梁健康监测",
            "智慧公交站台",
        ],
        ["主干道路口", "公交线路", "公共停车场", "高速公路收费站"],
        ["高峰通行时间缩短", "交通事故下降", "公交准点率提升"],
    ),
    "教育": (
        ["智慧教育", "教育云", "智慧校园"],
        ["平台", "工程", "服务平台"],
        [
            "录播教室",
            "互动教学终端",
            "学生综合素质评价",
            "分层作业推荐",
            "教师研修社区",
            "校园安全视频分析",
            "课后服务管理",
            "优质课程资源库",
            "智慧图书馆",
            "体质健康监测",
            "家校互通",
            "电子班牌",
            "教育资产管理",
            "招生入学服务",
            "考试阅卷系统",
        ],
        ["中小学", "幼儿园", "职业学校", "教学点"],
        ["学生课业负担减轻", "优质资源覆盖率提升", "教师备课效率提高"],
    ),
    "医疗": (
        ["全民健康", "智慧医疗", "互联网医院"],
        ["信息平台", "平台", "服务体系"],
        [
            "电子病历共享",
            "检查检验结果互认",
            "远程会诊",
            "家庭医生签约",
            "区域影像中心",
            "慢病随访管理",
            "预约挂号",
            "医保移动支付",
            "智慧药房",
            "院前急救调度",
            "健康档案开放",
            "合理用药监测",
            "医共体协同",
            "公共卫生监测预警",
            "护理服务预约",
        ],
        ["二级以上医院", "社区卫生服务中心", "乡镇卫生院", "村卫生室"],
        ["患者平均就诊时间缩短", "重复检查减少", "基层首诊率提升"],
    ),
    "农业": (
        ["智慧农业", "数字乡村", "农业物联网"],
        ["大数据平台", "示范工程", "服务平台"],
        [
            "墒情监测",
            "虫情测报",
            "水肥一体化精准灌溉",
            "农产品质量追溯",
            "农机作业监管",
            "设施大棚环境调控",
            "农业气象服务",
            "农资电商",
            "畜禽养殖环境监测",
            "耕地质量监测",
            "农村产权交易",
            "乡村治理积分",
            "冷链物流追踪",
            "土壤采样分析",
            "农技专家在线",
        ],
        ["粮食生产基地", "设施大棚", "水产养殖池塘", "家庭农场"],
        ["化肥农药用量下降", "亩均效益提高", "农产品抽检合格率提升"],
    ),
    "政务": (
        ["一网通办", "一网统管", "数字政府"],
        ["平台", "中心", "系统"],
        [
            "政务数据共享交换",
            "电子证照库",
            "事项标准化梳理",
            "网格化事件处置",
            "12345热线工单分拨",
            "领导驾驶舱",
            "跨部门协同审批",
            "好差评系统",
            "统一身份认证",
            "电子印章",
            "企业开办一窗通",
            "城市运行体征监测",
            "基层减负报表",
            "信用信息共享",
            "政务地图服务",
        ],
        ["街道", "社区网格", "政务服务中心", "委办局"],
        ["办件时限压缩", "群众跑动次数减少", "事件按期办结率提升"],
    ),
    "制造": (
        ["工业互联网", "智能制造", "5G全连接工厂"],
        ["平台", "标识解析节点", "示范项目"],
        [
            "设备联网采集",
            "预测性维护",
            "质量缺陷视觉检测",
            "生产排程优化",
            "能耗在线监测",
            "数字孪生产线",
            "供应链协同",
            "工业APP开发",
            "安全生产监测",
            "仓储智能调度",
            "产品全生命周期管理",
            "远程运维服务",
            "工艺参数优化",
            "AGV物流",
            "云化PLC",
        ],
        ["数控机床", "注塑设备", "空压机", "仓储物流设备"],
        ["设备综合效率提升", "产品不良率下降", "单位能耗下降"],
    ),
    "安全": (
        ["网络安全", "数据安全", "态势感知"],
        ["平台", "运营中心", "防护体系"],
        [
            "资产测绘",
            "威胁情报",
            "日志审计",
            "数据分类分级",
            "密码应用改造",
            "攻防演练",
            "漏洞闭环管理",
            "零信任访问控制",
            "终端检测响应",
            "安全运营编排",
            "蜜罐诱捕",
            "邮件安全网关",
            "数据脱敏",
            "API安全监测",
            "工控安全审计",
        ],
        ["政务外网", "重要信息系统", "工控网络", "数据中心"],
        ["高危漏洞修复时间缩短", "安全事件发现率提升", "等保测评一次通过"],
    ),
}

TECHS = ["5G", "人工智能", "大数据", "云计算", "物联网", "区块链", "北斗定位", "边缘计算"]
DEPTS = ["公安", "住建", "自然资源", "生态环境", "应急管理", "卫健", "市场监管", "城管", "交通运输"]
SYNONYMS = [
    ("建设", "建成"),
    ("实现", "做到"),
    ("覆盖", "辐射"),
    ("预计", "力争"),
    ("统一", "一体化"),
    ("提供", "开放"),
    ("推动", "促进"),
    ("完善", "健全"),
]

# A sentence is put together from an opening, a verb, a list of components in random
# order and a purpose, so that two unrelated projects rarely share whole sentences (as
# real applications, written by different people, do not).
OPENINGS = [
    "",
    "本项目",
    "项目拟",
    "围绕{field}领域痛点，",
    "按照“统一规划、分步实施”原则，",
    "以{tech}为支撑，",
    "结合{where}实际，",
    "聚焦{obj}管理，",
    "在现有系统基础上，",
    "对标省内先进地区，",
    "针对{obj}分散管理问题，",
    "以需求为导向，",
]
VERBS = ["建设", "新建", "搭建", "部署", "构建", "打造", "升级", "整合", "开发", "配套建设"]
PURPOSES = [
    "实现{c}的全过程闭环管理",
    "形成覆盖{where}的{field}数据底座",
    "提升{obj}的精细化管理水平",
    "为{dept}等部门提供数据服务",
    "支撑{outcome}",
    "推动{field}业务由事后处置向事前预警转变",
    "实现跨层级、跨部门业务协同",
    "满足{n}个{obj}的接入需求",
    "日均处理数据{n}万条",
    "服务常住人口约{n}万人",
    "预计{outcome}{n}%以上",
    "达到等保{level}级要求",
    "降低运维成本约{n}万元",
    "缩短业务办理时间{n}%",
]
EXTRAS = [
    "采用国产服务器、操作系统和数据库。",
    "项目实行法人负责制、招投标制和工程监理制。",
    "数据存储于{city}政务云。",
    "系统采用微服务架构，支持弹性扩容。",
    "建立运维保障和应急响应机制。",
    "同步制定数据安全管理制度。",
]


def sentence(rng, spec, values):
    _names, _nouns, components, _objects, _outcomes = spec
    listed = "、".join(rng.sample(components, rng.randint(2, 4)))
    purpose = rng.choice(PURPOSES).format(c=rng.choice(components), n=rng.randint(5, 990), **values)
    opening = rng.choice(OPENINGS).format(**values)
    return f"{opening}{rng.choice(VERBS)}{listed}，{purpose}。"


def make_project(rng, field=None, city=None):
    field = field or rng.choice(list(FIELDS))
    city = city or rng.choice(list(CITIES))
    county = rng.choice(CITIES[city])
    spec = FIELDS[field]
    names, nouns, _components, objects, outcomes = spec
    where = f"{city}{county}"
    focus = rng.choice([rng.choice(TECHS) + "+", rng.choice(spec[2])])
    suffix = rng.choice(["", "建设项目", "工程", "（一体化）"])
    name = f"{where}{rng.choice(objects)}{focus}{rng.choice(names)}{rng.choice(nouns)}{suffix}"
    values = {
        "where": where,
        "city": city,
        "obj": rng.choice(objects),
        "outcome": rng.choice(outcomes),
        "tech": rng.choice(TECHS),
        "dept": "、".join(rng.sample(DEPTS, 2)),
        "level": rng.choice(["二", "三"]),
        "field": field,
    }
    parts = [sentence(rng, spec, values) for _ in range(rng.randint(5, 9))]
    parts += [e.format(**values) for e in rng.sample(EXTRAS, rng.randint(0, 2))]
    return field, city, name, "".join(parts)


def rewrite(rng, name, content):
    """The same project as another organisation writes it: synonyms, a number changed,
    a sentence dropped or added, a slightly different name."""
    sentences = [s + "。" for s in content.split("。") if s]
    if len(sentences) > 4 and rng.random() < 0.5:
        sentences.pop(rng.randrange(len(sentences)))
    if rng.random() < 0.5:
        sentences.append("项目由开发单位负责建设，应用单位负责运营维护。")
    text = "".join(sentences)
    for old, new in rng.sample(SYNONYMS, 3):
        text = text.replace(old, new, 1)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if digits:
        i = rng.choice(digits)
        text = text[:i] + str(rng.randint(1, 9)) + text[i + 1 :]
    name = name.replace("平台", "综合平台", 1) if rng.random() < 0.5 else name + "建设项目"
    return name, text


def generate(total, seed):
    """(documents, planted duplicate pairs, planted continuation pairs) of keys."""
    rng = random.Random(seed)
    past_count = total // 20
    planted_dup_count = total // 60
    planted_cont_count = past_count // 10
    docs, duplicates, continuations = [], set(), set()
    past = []
    for k in range(past_count):
        _field, _city, name, content = make_project(rng)
        doc = Document(f"p:{k}", name, f"{name}\n{content}", frozenset({f"P{k}"}), past=True)
        docs.append(doc)
        past.append(doc)
    for k in range(total - past_count - planted_dup_count - planted_cont_count):
        _field, _city, name, content = make_project(rng)
        docs.append(Document(f"a:{k}", name, f"{name}\n{content}", frozenset({f"O{k}"})))
    applications = [d for d in docs if not d.past]
    for k, original in enumerate(rng.sample(applications, planted_dup_count)):
        name, content = rewrite(rng, original.name, original.text.split("\n", 1)[1])
        parties = frozenset({f"D{k}"}) | original.parties  # the partner applies too
        docs.append(Document(f"d:{k}", name, f"{name}\n{content}", parties))
        duplicates.add((original.key, f"d:{k}"))
    for k, earlier in enumerate(rng.sample(past, planted_cont_count)):
        # A later phase: the earlier name with 二期 and new content of the same field.
        field = next(f for f, spec in FIELDS.items() if any(w in earlier.name for w in spec[0]))
        _f, _c, _n, content = make_project(rng, field=field)
        name = earlier.name + rng.choice(["二期", "（二期）", "二期工程", "三期"])
        docs.append(Document(f"c:{k}", name, f"{name}\n在一期基础上，{content}", frozenset()))
        continuations.add((f"c:{k}", earlier.key))
    return docs, duplicates, continuations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()

    started = time.perf_counter()
    docs, duplicates, continuations = generate(args.documents, args.seed)
    generated = time.perf_counter() - started
    apps = sum(1 for d in docs if not d.past)
    print(f"documents: {len(docs)} ({apps} applications, {len(docs) - apps} earlier key projects)")
    print(f"mean text length: {sum(len(d.text) for d in docs) / len(docs):.0f} characters")
    print(f"generated in {generated:.1f} s")

    started = time.perf_counter()
    index = similarity.Index(docs)
    indexed = time.perf_counter() - started
    print(f"indexing (shingles, MinHash.bulk num_perm={similarity.NUM_PERM}, LSH): {indexed:.1f} s")

    started = time.perf_counter()
    matches = []
    for i, doc in enumerate(index.docs):
        if not doc.past:
            matches += index.matches_for(i)
    queried = time.perf_counter() - started
    print(
        f"querying all applications: {queried:.1f} s, "
        f"{1000 * queried / apps:.2f} ms per application"
    )

    found = {(m.left.key, m.right.key) for m in matches}
    found |= {(b, a) for a, b in found}
    flagged = {(m.left.key, m.right.key) for m in matches if m.continuation}
    planted = duplicates | continuations
    unexpected = [
        m
        for m in matches
        if (m.left.key, m.right.key) not in planted and (m.right.key, m.left.key) not in planted
    ]
    print(f"pairs found: {len(matches)} ({len(flagged)} flagged as continuation)")
    print(
        f"recall of planted near-duplicates: {len(duplicates & found) / len(duplicates):.1%} "
        f"({len(duplicates & found)}/{len(duplicates)})"
    )
    print(
        f"recall of planted continuations (flagged): "
        f"{len(continuations & flagged) / len(continuations):.1%} "
        f"({len(continuations & flagged)}/{len(continuations)})"
    )
    same_name = sum(1 for m in unexpected if m.name_jaccard >= similarity.SAME_NAME)
    print(
        f"pairs beyond the planted ones: {len(unexpected)} ({same_name} of them generated "
        f"with the same project name, which the rule flags on purpose)"
    )
    for m in unexpected[:5]:
        print(f"  {m.left.name} ↔ {m.right.name}: text {m.jaccard:.2f}, name {m.name_jaccard:.2f}")

    started = time.perf_counter()
    sample = matches[:200]
    for m in sample:
        similarity.matching_passages(m.left.text, m.right.text)
    passages = time.perf_counter() - started
    if sample:
        print(f"matching passages: {1000 * passages / len(sample):.1f} ms per pair")
    print(f"total: {generated + indexed + queried + passages:.1f} s")


if __name__ == "__main__":
    main()
