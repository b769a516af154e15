"""The scoring rubric (评分细则): criteria with a weight and a score range, and totals.

A rubric is data, a list of {"code", "title", "weight", "min", "max", "description"}.
Each criterion is scored within [min, max] and counts `weight` points of a 100-point total:
contribution = weight × (score − min) / (max − min). The 2020 default scores each of the
notice's requirements 1–6 directly in points (range 0…weight), so the total is their sum;
requirement 7 (investment ≥ 300 万元, period) is an eligibility rule of the formal check,
not a score.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
TOTAL_WEIGHT = Decimal("100")

DEFAULT_2020 = [
    (
        "leadership",
        "符合行动计划，创新引领、示范带动",
        20,
        "符合《智慧江苏建设行动计划》确定的重点环节、关键业务和重大应用，具有很强的创新性、"
        "引导性和代表性，在相关行业和领域产生重大示范引领和带动作用。",
    ),
    (
        "management",
        "纳入规划，实施方案与项目管理",
        15,
        "纳入本地或本系统信息化发展规划，建设实施方案科学可行，严格履行审批程序，"
        "实行法人负责、招投标、监理等制度，组织领导和监督管理体系健全。",
    ),
    (
        "demand",
        "需求主导、以用促建，应用成效",
        20,
        "依托信息化手段解决企业、群众等社会关注的难点、痛点问题，具有广泛的应用基础和社会影响力。",
    ),
    (
        "integration",
        "融合创新，新一代信息技术应用",
        15,
        "5G、人工智能、大数据等新一代信息技术的创新应用和深度融合，建设管理集约化、"
        "应用系统平台化、资源利用社会化，带动省内相关产业发展。",
    ),
    (
        "autonomy",
        "自主可控与网络安全",
        15,
        "具有自主研发的关键核心技术，采用国产智能化产品、软件、工具和装备并实现自主可控，"
        "具备相应的网络与信息安全防护能力。",
    ),
    (
        "promotion",
        "模式创新与推广前景",
        15,
        "信息产品、信息服务业态模式创新成效良好，市场推广前景广阔，应用模式和推进保障机制较为成熟，"
        "能够形成本行业、本领域的优秀解决方案。",
    ),
]


def default_2020_rubric() -> list[dict]:
    """The notice's six requirements (二、建设要求 1–6), weights 20/15/20/15/15/15."""
    return [
        {
            "code": code,
            "title": title,
            "weight": weight,
            "min": 0,
            "max": weight,
            "description": description,
        }
        for code, title, weight, description in DEFAULT_2020
    ]


def rubric_for(call) -> list[dict]:
    """The rubric of the call's review plan, or the 2020 default when it has none."""
    # A call without a plan raises RelatedObjectDoesNotExist, an AttributeError.
    plan = getattr(call, "review_plan", None)
    rubric = plan.rubric if plan is not None else []
    return normalised(rubric) if rubric else default_2020_rubric()


def _decimal(value, what):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("评分标准中“%(what)s”不是数字。") % {"what": what}) from None
    if not number.is_finite():
        raise ValidationError(_("评分标准中“%(what)s”不是数字。") % {"what": what})
    return number


def normalised(rubric) -> list[dict]:
    """Check a rubric and fill in defaults (min 0, max = weight); raises ValidationError."""
    if not isinstance(rubric, list) or not rubric:
        raise ValidationError(_("评分标准至少要有一项评分指标。"))
    result, codes, weights = [], set(), Decimal(0)
    for item in rubric:
        code, title = str(item.get("code", "")).strip(), str(item.get("title", "")).strip()
        if not code or not title:
            raise ValidationError(_("每项评分指标都要有代码和名称。"))
        if code in codes:
            raise ValidationError(_("评分指标代码“%(code)s”重复。") % {"code": code})
        codes.add(code)
        weight = _decimal(item.get("weight"), f"{title}·权重")
        low = _decimal(item.get("min", 0), f"{title}·最低分")
        high = _decimal(item.get("max", weight), f"{title}·最高分")
        if weight <= 0 or high <= low:
            raise ValidationError(
                _("评分指标“%(title)s”的权重须大于 0，且最高分须高于最低分。") % {"title": title}
            )
        weights += weight
        result.append(
            {
                **item,
                "code": code,
                "title": title,
                "weight": str(weight),
                "min": str(low),
                "max": str(high),
                "description": item.get("description", ""),
            }
        )
    if weights != TOTAL_WEIGHT:
        raise ValidationError(
            _("评分指标的权重合计应为 100，现为 %(sum)s。") % {"sum": f"{weights.normalize():f}"}
        )
    return result


def contribution(criterion: dict, score: Decimal) -> Decimal:
    low, high = Decimal(criterion["min"]), Decimal(criterion["max"])
    return Decimal(criterion["weight"]) * (score - low) / (high - low)


def total(rubric: list[dict], items: dict) -> Decimal | None:
    """The 100-point total of a complete set of item scores, two decimals; None if incomplete."""
    values = []
    for criterion in rubric:
        raw = items.get(criterion["code"])
        if raw in (None, ""):
            return None
        values.append(contribution(criterion, Decimal(str(raw))))
    return sum(values, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def scale(rubric: list[dict]) -> tuple[Decimal, Decimal]:
    """The range of a total: 0 to the sum of weights (100)."""
    return Decimal(0), sum((Decimal(c["weight"]) for c in rubric), Decimal(0))
