"""A synthetic corpus of budget disclosures, for tests and benchmarks.

``generate(n, out)`` writes ``n`` realistic 部门预算 disclosures in the reference (Hebei)
markdown layout: varied departments, function classes, sizes and years, every identity of
DOMAIN.md satisfied, except in a share of documents into which known errors are injected.
``manifest.json`` lists every file with its department, year, size class and injected
errors (kind, rule family, tables), which is what the audit is expected to find.

Amounts are kept as integer hundredths of 万元, so that every sum is exact.
Documents are deterministic functions of ``(seed, index)``: the same call writes the same
bytes. A department's documents of consecutive years are generated from the same series,
so the "比上年增减" statements are true against the previous year's document.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from yusuan.model.text import int_to_cn

YEARS: tuple[int, ...] = (2022, 2023, 2024, 2025)

CITIES = ("张家口市", "石家庄市", "保定市", "唐山市", "邯郸市", "廊坊市", "承德市", "沧州市",
          "衡水市", "邢台市", "秦皇岛市")
DISTRICTS = ("", "桥东区", "桥西区", "新华区", "开发区", "高新区", "东城县", "西城县", "南山县",
             "北川县", "清河县", "平原县", "安宁县", "永和县", "长乐县")

#: The 31 类 of the 2024 function classification, in the order of the 收支总表.
CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("209", "社会保险基金支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"), ("229", "其他支出"), ("230", "转移性支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"),
    ("299", "人行科目"),
)
CLASS_NAMES = dict(CLASSES)

#: department → (its 行政运行 项, its project 项 codes); every code is in the packaged
#: catalogue for 2022–2025, whose names (by year) the documents print.
DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("统计局", "2010501", ("2010506", "2010507")), ("财政局", "2010601", ("2010604", "2010607")),
    ("审计局", "2010801", ("2010802",)), ("发展和改革委员会", "2010401", ("2010402",)),
    ("人民政府办公室", "2010301", ("2010302", "2010303")), ("人大常委会办公室", "2010101", ("2010102",)),
    ("政协办公室", "2010201", ("2010202",)), ("纪委监委", "2011101", ("2011102",)),
    ("商务局", "2011301", ("2011302",)), ("市场监督管理局", "2013801", ("2013802",)),
    ("总工会", "2012901", ("2012906",)), ("档案馆", "2012601", ("2012602",)),
    ("民族宗教事务局", "2012301", ("2012302",)), ("委组织部", "2013201", ("2013202",)),
    ("委宣传部", "2013301", ("2013302",)), ("委网信办", "2013701", ("2013702",)),
    ("人民检察院", "2040401", ("2040410",)), ("中级人民法院", "2040501", ("2040504", "2040505")),
    ("司法局", "2040601", ("2040605", "2040607")), ("城市管理综合行政执法局", "2120101", ("2120104",)),
)
#: basic-only lines every department has (pensions, health insurance, housing fund).
COMMON_LINES = ("2080501", "2080505", "2080506", "2101101", "2210201")

PERSONNEL = (("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
             ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
             ("30110", "职工基本医疗保险缴费"), ("30113", "住房公积金"), ("30302", "退休费"))
PUBLIC = (("30201", "办公费"), ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"),
          ("30211", "差旅费"), ("30213", "维修（护）费"), ("30216", "培训费"),
          ("30228", "工会经费"), ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"))
ECON_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助"}

SIZES = {"small": (150_00, 800_00), "medium": (800_00, 5000_00), "large": (5000_00, 60000_00)}

#: kind → (rule family expected to catch it, tables concerned, description, the rule ids
#: of the audit expected to report it).
INJECTIONS: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {
    "row-total": ("arithmetic", ("expenditure",), "支出总表某行合计不等于基本支出加项目支出",
                  ("row-total",)),
    "hierarchy": ("arithmetic", ("general_expenditure",), "一般公共预算支出表某款不等于其项之和",
                  ("hierarchy-sum",)),
    "cross-table": ("cross-table", ("general_basic_expenditure", "general_expenditure"),
                    "基本支出表合计与一般公共预算支出表基本支出不一致", ("cross-table",)),
    "balance": ("arithmetic", ("summary",), "收支总表收入总计不等于支出总计", ("balance",)),
    "three-public-sum": ("arithmetic", ("three_public",), "三公经费合计不等于各项之和",
                         ("row-total",)),
    "narrative-amount": ("narrative", ("narrative",), "说明中的支出总额与表格不符",
                         ("narrative-amount",)),
    "narrative-change": ("narrative", ("narrative",), "说明中的增减额与基本、项目增减之和不符",
                         ("narrative-change-sum",)),
    "wrong-year": ("narrative", ("narrative",), "说明中的比较年份不是上一年", ("narrative-year",)),
    "obsolete-name": ("catalog", ("expenditure",), "使用已停用的类名称（医疗卫生与计划生育支出）",
                      ("name-obsolete",)),
    "missing-table": ("completeness", ("general_basic_expenditure",),
                      "缺少一般公共预算财政拨款基本支出表", ("table-missing",)),
    "class-amount": ("narrative", ("narrative",), "说明中某项科目的金额与一般公共预算支出表不符",
                     ("class-amount",)),
    "percent-pair": ("narrative", ("narrative",), "说明中由上年执行数和本年预算计算的增减百分比有误",
                     ("percent-pair",)),
    "procurement-sum": ("narrative", ("narrative",), "政府采购总额不等于货物、工程、服务之和",
                        ("procurement-sum",)),
    "obsolete-name-text": ("narrative", ("narrative",),
                           "说明中使用已停用的类名称（医疗卫生与计划生育支出）", ("narrative-name-obsolete",)),
    "vehicle-sum": ("narrative", ("narrative",), "车辆总数不等于各类车辆之和", ("vehicle-sum",)),
    "performance-funds": ("performance", ("narrative", "expenditure"),
                          "绩效目标涉及项目预算资金超过项目支出", ("performance-funds",)),
    "empty-note": ("completeness", ("capital_expenditure",),
                   "国有资本经营预算支出表的空表说明写成了政府性基金", ("empty-note-table",)),
}

#: injected kinds that need last year's document (a comparison with it)
NEEDS_PRIOR = frozenset({"narrative-change", "wrong-year", "percent-pair"})


@dataclass(frozen=True, slots=True)
class Injection:
    kind: str
    family: str
    tables: tuple[str, ...]
    description: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Budget:
    """The numbers of one synthetic disclosure (hundredths of 万元)."""

    department: str
    code: str
    region: str
    year: int
    size: str
    basic: dict[str, int]            # 项 code → basic expenditure
    project: dict[str, int]          # 项 code → project expenditure
    personnel: dict[str, int]        # economic 款 → 人员经费
    public: dict[str, int]           # economic 款 → 公用经费
    three: tuple[int, int, int, int]  # abroad, vehicle purchase, vehicle operation, reception
    operation_funds: int

    @property
    def total(self) -> int:
        return sum(self.basic.values()) + sum(self.project.values())

    @property
    def basic_total(self) -> int:
        return sum(self.basic.values())

    @property
    def project_total(self) -> int:
        return sum(self.project.values())


@dataclass(frozen=True, slots=True)
class SynthDoc:
    name: str
    budget: Budget
    injected: tuple[Injection, ...]
    text: str
    fmt: str = "md"
    meta: dict[str, object] = field(default_factory=dict)


def _rng(*key: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in integer parts proportional to ``weights`` (exact sum)."""
    s = sum(weights) or 1.0
    parts = [int(total * w / s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def budget(seed: int, region: str, dept_index: int, year: int) -> Budget:
    """The budget of one department of one region in one year (deterministic)."""
    name, admin, projects = DEPARTMENTS[dept_index % len(DEPARTMENTS)]
    base = _rng(seed, region, name)
    size = base.choice(("small", "small", "medium", "medium", "medium", "large"))
    lo, hi = SIZES[size]
    total0 = base.randint(lo, hi)
    growth = 1.0 + sum(_rng(seed, region, name, y).uniform(-0.08, 0.12)
                       for y in range(YEARS[0], year))
    r = _rng(seed, region, name, year)
    total = max(int(total0 * growth), 50_00)
    project_share = base.uniform(0.0, 0.5) * r.uniform(0.8, 1.2)
    project_total = int(total * min(project_share, 0.7))
    basic_total = total - project_total
    personnel_share = base.uniform(0.72, 0.95)
    personnel_total = int(basic_total * personnel_share)
    public_total = basic_total - personnel_total

    basic_codes = [admin, *COMMON_LINES]
    basic_amounts = _split(basic_total, [6.0, 1.2, 1.0, 0.4, 0.8, 0.9])
    basic = dict(zip(basic_codes, basic_amounts, strict=True))
    project = dict(zip(projects, _split(project_total, [1.0] * len(projects)), strict=True))
    if project_total == 0:
        project = {}
    pers = dict(zip((c for c, _ in PERSONNEL),
                    _split(personnel_total, [base.uniform(0.5, 3) for _ in PERSONNEL]),
                    strict=True))
    pub = dict(zip((c for c, _ in PUBLIC),
                   _split(public_total, [base.uniform(0.2, 2) for _ in PUBLIC]), strict=True))
    if base.random() < 0.4:
        three = (0, 0, 0, 0)
    else:
        op = min(pub["30231"], int(public_total * 0.08))
        three = (r.choice((0, 0, r.randint(1_00, 20_00))), r.choice((0, 0, 0, 25_00)),
                 op, r.randint(0, 3_00))
    return Budget(
        department=f"{region}{name}", code=f"{100 + dept_index % len(DEPARTMENTS)}",
        region=region, year=year, size=size, basic=basic, project=project,
        personnel=pers, public=pub, three=three, operation_funds=public_total,
    )


def _fmt(v: int | None) -> str:
    if v is None:
        return ""
    sign = "-" if v < 0 else ""
    v = abs(v)
    return f"{sign}{v // 100}.{v % 100:02d}"


def _blank(v: int) -> str:
    return "" if v == 0 else _fmt(v)


def _name(scheme: str, code: str, year: int) -> str:
    from yusuan.catalog import load_catalog

    entry = load_catalog().get(scheme, code, year)  # type: ignore[arg-type]
    if entry is None:
        return CLASS_NAMES.get(code, code)
    return entry.name


def _function_rows(amounts: dict[str, tuple[int, int]], year: int) -> list[tuple[str, str, int, int]]:
    """类/款/项 rows with totals rolled up: (code, name, basic, project)."""
    rolled: dict[str, list[int]] = {}
    for code, (b, p) in amounts.items():
        for c in (code[:3], code[:5], code):
            acc = rolled.setdefault(c, [0, 0])
            acc[0] += b
            acc[1] += p
    out = []
    for c in sorted(rolled):
        name = _name("function", c, year)
        out.append((c, name, rolled[c][0], rolled[c][1]))
    return out


def _econ_rows(b: Budget) -> list[tuple[str, str, int, int]]:
    rolled: dict[str, list[int]] = {}
    for code, v in b.personnel.items():
        for c in (code[:3], code):
            rolled.setdefault(c, [0, 0])[0] += v
    for code, v in b.public.items():
        for c in (code[:3], code):
            rolled.setdefault(c, [0, 0])[1] += v
    return [(c, _name("economic", c, b.year), v[0], v[1]) for c, v in sorted(rolled.items())]


def _table(title: str, b: Budget, header: list[list[str]], rows: list[list[str]],
           note: str | None = None) -> str:
    width = len(header[0])
    lines = [title, "", f"{b.code} {b.department}", "", f"预算年度：{b.year}", "", "单位：万元", ""]
    lines.append("| " + " | ".join(header[0]) + " |")
    lines.append("|" + "|".join("----" for _ in range(width)) + "|")
    for h in header[1:]:
        lines.append("| " + " | ".join(h) + " |")
    for r in rows:
        lines.append("| " + " | ".join(r) + " |")
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


class _Doc:
    """Builds the markdown of one budget, with the injections applied while writing."""

    def __init__(self, b: Budget, prior: Budget | None, inject: set[str], r: random.Random):
        self.b, self.prior, self.inject, self.r = b, prior, inject, r
        self.delta = r.randint(1, 50) * 100  # 0.01–0.50 万元 ×100: a visible difference

    def tables(self) -> list[str]:
        b = self.b
        amounts = {c: (b.basic.get(c, 0), b.project.get(c, 0))
                   for c in sorted(set(b.basic) | set(b.project))}
        frows = _function_rows(amounts, b.year)
        out = [self.summary(frows), self.income(frows), self.expenditure(frows),
               self.fiscal(frows), self.general(frows)]
        if "missing-table" not in self.inject:
            out.append(self.basic_table())
        capital_note = ("政府性基金预算财政拨款预算" if "empty-note" in self.inject
                        else "国有资本经营预算财政拨款预算")
        for title, what in (("部门预算政府性基金预算财政拨款支出表", "政府性基金预算财政拨款预算"),
                            ("部门预算国有资本经营预算财政拨款支出表", capital_note)):
            out.append(_table(title, b, [
                ["序号", "功能分类科目", "", "合计", "基本支出", "项目支出"],
                ["", "科目编码", "科目名称", "", "", ""],
                ["栏次", "1", "2", "3", "4", "5"]], [[""] * 6], f"注：无{what}，空表列示。"))
        out.append(self.three_public())
        return out

    def class_totals(self, frows: list[tuple[str, str, int, int]]) -> dict[str, int]:
        return {c: bb + p for c, _, bb, p in frows if len(c) == 3}

    def summary(self, frows: list[tuple[str, str, int, int]]) -> str:
        b = self.b
        totals = self.class_totals(frows)
        rows = []
        income = [("一、一般公共预算拨款收入", b.total), ("二、政府性基金预算拨款收入", 0),
                  ("三、国有资本经营预算拨款收入", 0), ("四、财政专户管理资金收入", 0),
                  ("五、单位资金", 0)]
        for i, (code, name) in enumerate(CLASSES):
            left = income[i] if i < len(income) else ("", 0)
            rows.append([str(i + 1), left[0], _blank(left[1]),
                         f"{int_to_cn(i + 1)}、{name}", _blank(totals.get(code, 0))])
        income_total = b.total + (self.delta if "balance" in self.inject else 0)
        n = len(CLASSES)
        rows.append([str(n + 1), "本年收入合计", _fmt(income_total), "本年支出合计", _fmt(b.total)])
        rows.append([str(n + 2), "上年结转结余", "", "年终结转结余", ""])
        rows.append([str(n + 3), "收入总计", _fmt(income_total), "支出总计", _fmt(b.total)])
        return _table("部门预算收支总表", b, [["序号", "收入", "", "支出", ""],
                                      ["", "项目", "预算数", "项目", "预算数"],
                                      ["栏次", "1", "2", "3", "4"]], rows)

    def income(self, frows: list[tuple[str, str, int, int]]) -> str:
        b = self.b
        t = _fmt(b.total)
        rows = [["1", "", "合计", t, t, t, "", "", "", "", "", "", ""]]
        for i, (c, name, bb, p) in enumerate(frows, start=2):
            v = _fmt(bb + p)
            rows.append([str(i), c, name, v, v, v, "", "", "", "", "", "", ""])
        return _table("部门预算收入总表", b, [
            ["序号", "功能分类科目", "", "合计", "本年收入", "", "", "", "", "", "", "", "上年结转"],
            ["", "科目编码", "科目名称", "", "小计", "财政拨款收入", "财政专户收入", "事业收入",
             "经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", ""],
            ["栏次", *map(str, range(1, 13))]], rows)

    def expenditure(self, frows: list[tuple[str, str, int, int]]) -> str:
        b = self.b
        rows = [["1", "", "合计", _fmt(b.total), _blank(b.basic_total), _blank(b.project_total),
                 "", "", ""]]
        bad = next((c for c, *_ in frows if len(c) == 7), None)
        for i, (c, name, bb, p) in enumerate(frows, start=2):
            total = bb + p + (self.delta if "row-total" in self.inject and c == bad else 0)
            if "obsolete-name" in self.inject and c == "210":
                name = "医疗卫生与计划生育支出"
            rows.append([str(i), c, name, _fmt(total), _blank(bb), _blank(p), "", "", ""])
        return _table("部门预算支出总表", b, [
            ["序号", "功能分类科目", "", "合计", "基本支出", "项目支出", "经营支出", "上解上级支出",
             "对附属单位补助支出"],
            ["", "科目编码", "科目名称", "", "", "", "", "", ""],
            ["栏次", *map(str, range(1, 9))]], rows)

    def fiscal(self, frows: list[tuple[str, str, int, int]]) -> str:
        b = self.b
        totals = self.class_totals(frows)
        income = ["一、一般公共预算拨款", "二、政府性基金预算拨款", "三、国有资本经营预算拨款"]
        rows = []
        for i, (code, name) in enumerate(CLASSES):
            left = income[i] if i < 3 else ""
            lv = _fmt(b.total) if i == 0 else ""
            v = _blank(totals.get(code, 0))
            rows.append([str(i + 1), left, lv, f"{int_to_cn(i + 1)}、{name}", v, v, "", ""])
        t = _fmt(b.total)
        n = len(CLASSES)
        rows += [
            [str(n + 1), "本年收入合计", t, "本年支出合计", t, t, "", ""],
            [str(n + 2), "年初财政拨款结转和结余", "", "年末财政拨款结转和结余", "", "", "", ""],
            [str(n + 3), "一、一般公共预算拨款", "", "", "", "", "", ""],
            [str(n + 4), "二、政府性基金预算拨款", "", "", "", "", "", ""],
            [str(n + 5), "三、国有资本经营预算拨款", "", "", "", "", "", ""],
            [str(n + 6), "收入总计", t, "支出总计", t, t, "", ""],
        ]
        return _table("部门预算财政拨款收支总表", b, [
            ["序号", "收入", "", "支出", "", "", "", ""],
            ["", "项目", "金额", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
             "国有资本经营预算财政拨款"],
            ["栏次", *map(str, range(1, 8))]], rows)

    def general(self, frows: list[tuple[str, str, int, int]]) -> str:
        b = self.b
        rows = [["1", "", "合计", _fmt(b.total), _blank(b.basic_total), _blank(b.project_total)]]
        bad = next((c for c, *_ in frows if len(c) == 5), None)
        for i, (c, name, bb, p) in enumerate(frows, start=2):
            d = self.delta if "hierarchy" in self.inject and c == bad else 0
            rows.append([str(i), c, name, _fmt(bb + p + d), _blank(bb + d), _blank(p)])
        return _table("部门预算一般公共预算财政拨款支出表", b, [
            ["序号", "功能分类科目", "", "合计", "基本支出", "项目支出"],
            ["", "科目编码", "科目名称", "", "", ""],
            ["栏次", "1", "2", "3", "4", "5"]], rows)

    def basic_table(self) -> str:
        b = self.b
        erows = _econ_rows(b)
        d = self.delta if "cross-table" in self.inject else 0
        pers_total = sum(b.personnel.values()) + d
        pub_total = sum(b.public.values())
        rows = [["1", "", "合计", _fmt(pers_total + pub_total), _blank(pers_total),
                 _blank(pub_total)]]
        first = True
        for i, (c, name, pe, pu) in enumerate(erows, start=2):
            if d and c in ("301", "30101") :
                pe += d
            if first and len(c) == 3:
                first = False
            rows.append([str(i), c, name, _fmt(pe + pu), _blank(pe), _blank(pu)])
        return _table("部门预算一般公共预算财政拨款基本支出表", b, [
            ["序号", "支出部门经济分类科目", "", "一般公共预算基本支出", "", ""],
            ["", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            ["栏次", "1", "2", "3", "4", "5"]], rows)

    def three_public(self) -> str:
        b = self.b
        abroad, purchase, operation, reception = b.three
        vehicles = purchase + operation
        total = abroad + vehicles + reception
        header = [["序号", "项目", "资金性质", "", "", ""],
                  ["", "", "合计", "一般公共预算财政拨款", "政府性基金预算拨款",
                   "国有资本经营预算财政拨款"],
                  ["栏次", "1", "2", "3", "4", "5"]]
        title = "部门预算财政拨款“三公”经费支出表"
        if total == 0 and "three-public-sum" not in self.inject:
            return _table(title, b, header, [[""] * 6], "注：无财政拨款“三公”经费支出预算，空表列示。")
        shown = total + (self.delta if "three-public-sum" in self.inject else 0)
        rows = [["1", "合计", _fmt(shown), _fmt(shown), "", ""]]
        for i, (label, v) in enumerate((("因公出国（境）费", abroad), ("公务用车购置及运维费", vehicles),
                                        ("其中：公务用车购置费", purchase), ("公务用车运维费", operation),
                                        ("公务接待费", reception)), start=2):
            rows.append([str(i), label, _fmt(v), _fmt(v), "", ""])
        return _table(title, b, header, rows)

    def narrative(self) -> str:
        b, prior = self.b, self.prior
        w = _fmt
        total = b.total + (self.delta if "narrative-amount" in self.inject else 0)
        abroad, purchase, operation, reception = b.three
        three = abroad + purchase + operation + reception
        parts = [
            f"{b.department} {b.year} 年部门预算信息公开情况说明", "",
            f"按照《中华人民共和国预算法》、《地方预决算公开操作规程》规定，现将{b.department} "
            f"{b.year} 年部门预算公开如下：", "",
            "一、部门职责及机构设置情况", "",
            f"{b.department}是河北省{b.region}人民政府的工作部门，负责本行业领域的管理工作。"
            "本部门预算包括部门本级及所属单位预算。", "",
            "二、部门预算安排的总体情况", "",
            "1、收入说明", "",
            f"反映本部门当年全部收入。{b.year}年预算收入{w(b.total)}万元，其中：一般公共预算收入"
            f"{w(b.total)}万元，基金预算收入0.00万元，国有资本经营预算收入0.00万元。", "",
            "2、支出说明", "",
            f"{b.year}年支出预算{w(total)}万元，其中基本支出{w(b.basic_total)}万元，包括人员经费"
            f"{w(sum(b.personnel.values()))}万元和日常公用经费{w(sum(b.public.values()))}万元；"
            f"项目支出{w(b.project_total)}万元。", "",
            "3、比上年增减情况", "",
        ]
        if prior is not None:
            change = b.total - prior.total
            cb = b.basic_total - prior.basic_total
            cp = b.project_total - prior.project_total
            if "narrative-change" in self.inject:
                change += self.delta
            py = prior.year - (1 if "wrong-year" in self.inject else 0)
            parts += [
                f"{b.year}年预算收支安排{w(b.total)}万元，较{py}年预算{_dir(change)}"
                f"{w(abs(change))}万元，其中：基本支出{_dir(cb)}{w(abs(cb))}万元，"
                f"项目支出{_dir(cp)}{w(abs(cp))}万元。", ""]
        else:
            parts += [f"{b.year}年预算收支安排{w(b.total)}万元。", ""]
        parts += self.class_paragraph()
        parts += [
            "三、机关运行经费安排情况", "",
            f"{b.year}年，我部门机关运行经费预算安排{w(b.operation_funds)}万元。", "",
            "四、财政拨款“三公”经费预算情况及增减变化原因", "",
            f"{b.year}年，我部门财政拨款“三公”经费预算安排{w(three)}万元，其中因公出国（境）费"
            f"{w(abroad)}万元；公务用车购置及运维费{w(purchase + operation)}万元（其中：公务用车购置费"
            f"为{w(purchase)}万元，公务用车运维费{w(operation)}万元）；公务接待费{w(reception)}万元。",
            "",
            "五、部门整体绩效目标", "",
            f"保障{b.department}正常运转，按时足额发放人员经费，完成年度重点工作任务。", "",
            self.performance(), "",
            "六、政府采购预算情况", "", *self.procurement(), "",
            "七、国有资产信息", "", self.vehicles(), "",
            "八、名词解释", "",
            "1、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。", "",
            "2、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。", "",
        ]
        return "\n".join(parts)


    def class_paragraph(self) -> list[str]:
        """The department's 行政运行 项 explained with its class and 款 (and, with last
        year's document, the change against last year's amount as a percentage)."""
        b, prior = self.b, self.prior
        code = next(iter(b.basic))  # the department's 行政运行
        amount = b.basic[code] + b.project.get(code, 0)
        shown = amount + (self.delta + 100 if "class-amount" in self.inject else 0)
        chain = (f"“{_name('function', code[:3], b.year)}（类）{_name('function', code[:5], b.year)}（款）"
                 f"{_name('function', code, b.year)}（项）”")
        text = f"{chain}{_fmt(shown)}万元，主要用于保障机构正常运转。"
        if prior is not None and prior.basic.get(code):
            last = prior.basic[code] + prior.project.get(code, 0)
            if amount == last:
                change = f"比{prior.year}年预算执行数持平"
            else:
                pct = Decimal(abs(amount - last) * 100) / Decimal(last)
                pct = pct.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                if "percent-pair" in self.inject:
                    pct += Decimal("1.37")
                change = f"比{prior.year}年预算执行数{'增加' if amount > last else '减少'}{pct}%"
            text += (f"{prior.year}年当年预算执行数为{_fmt(last)}万元，{b.year}年预算安排{_fmt(amount)}万元，"
                     f"{change}。")
        health = b.basic.get("2101101", 0)
        if health:
            cls = ("医疗卫生与计划生育支出" if "obsolete-name-text" in self.inject
                   else _name("function", "210", b.year))
            text += (f"“{cls}（类）{_name('function', '21011', b.year)}（款）"
                     f"{_name('function', '2101101', b.year)}（项）”{_fmt(health)}万元，主要用于在职人员医疗保险缴费。")
        return ["4、支出按功能分类科目说明", "", text, ""]

    def performance(self) -> str:
        """The projects with performance goals and the money they cover (项目支出)."""
        b = self.b
        covered = b.project_total + (self.delta + 100 if "performance-funds" in self.inject else 0)
        return (f"{b.year}年度，本部门编报绩效目标的项目共{len(b.project)}个，"
                f"涉及项目预算资金{_fmt(covered)}万元。")

    def vehicles(self) -> str:
        """The vehicles counted at the end of last year, by kind."""
        b = self.b
        general, duty = 1 + len(b.department) % 3, len(b.region) % 4
        total = general + duty + (1 if "vehicle-sum" in self.inject else 0)
        return (f"截至{b.year - 1}年12月31日，本部门共有车辆{total}辆，其中：一般公务用车{general}辆、"
                f"执法执勤用车{duty}辆、特种专业技术用车0辆。")

    def procurement(self) -> list[str]:
        """Government procurement: the total, goods + works + services, and the share
        reserved for small and medium enterprises."""
        b = self.b
        total = max(b.project_total // 2, b.basic_total // 20)
        goods, works = total * 2 // 10, total * 3 // 10
        services = total - goods - works
        shown = total + (self.delta + 100 if "procurement-sum" in self.inject else 0)
        sme = total * 4 // 10
        return [f"{b.year}年本部门政府采购预算{_fmt(shown)}万元，其中：政府采购货物预算{_fmt(goods)}万元、"
                f"政府采购工程预算{_fmt(works)}万元、政府采购服务预算{_fmt(services)}万元。"
                f"{b.year}年本部门面向中小企业预留政府采购项目预算金额{_fmt(sme)}万元，其中，预留给小型和"
                f"微型企业的政府采购项目预算为{_fmt(sme * 7 // 10)}万元。"]


def _dir(v: int) -> str:
    return "增加" if v >= 0 else "减少"


def document(seed: int, index: int, error_rate: float = 0.3) -> SynthDoc:
    """The ``index``-th document of the corpus of ``seed``."""
    year_i = index % len(YEARS)
    series = index // len(YEARS)
    dept_i = series % len(DEPARTMENTS)
    region_i = series // len(DEPARTMENTS)
    city = CITIES[region_i % len(CITIES)]
    district = DISTRICTS[(region_i // len(CITIES)) % len(DISTRICTS)]
    cycle = region_i // (len(CITIES) * len(DISTRICTS))
    region = city + district + (f"第{cycle + 1}片区" if cycle else "")
    year = YEARS[year_i]
    b = budget(seed, region, dept_i, year)
    prior = budget(seed, region, dept_i, year - 1) if year > YEARS[0] else None
    r = _rng(seed, "inject", index)
    inject: set[str] = set()
    if r.random() < error_rate:
        choices = [k for k in INJECTIONS if k not in NEEDS_PRIOR or prior is not None]
        if sum(b.three) == 0 or ("obsolete-name" in choices and "2101101" not in b.basic):
            pass
        inject.add(r.choice(choices))
    builder = _Doc(b, prior, inject, r)
    head = [f"{b.year} 年部门预算信息公开", "", "部门预算公开表", ""]
    text = "\n".join(head) + "\n" + "\n".join(builder.tables()) + "\n" + builder.narrative() + "\n"
    injected = tuple(Injection(k, *INJECTIONS[k]) for k in sorted(inject))
    name = f"{index:05d}-{b.department}-{b.year}.md"
    return SynthDoc(name, b, injected, text)


def documents(n: int, seed: int = 1, error_rate: float = 0.3) -> Iterator[SynthDoc]:
    for i in range(n):
        yield document(seed, i, error_rate)


def generate(n: int, out: str | Path, seed: int = 1, error_rate: float = 0.3,
             formats: tuple[str, ...] = ("md",)) -> list[dict[str, object]]:
    """Write ``n`` documents (and ``manifest.json``) into ``out``; returns the manifest.
    ``formats`` cycles through the formats asked for (``md``, ``xlsx``)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    manifest: list[dict[str, object]] = []
    for i, d in enumerate(documents(n, seed, error_rate)):
        fmt = formats[i % len(formats)]
        name = d.name
        if fmt == "md":
            (folder / name).write_text(d.text, encoding="utf-8")
        else:
            name = name[:-3] + f".{fmt}"
            (folder / name).write_bytes(convert(d.text, fmt, name))
        b = d.budget
        manifest.append({
            "file": name, "department": b.department, "region": b.region, "year": b.year,
            "size": b.size, "total": _fmt(b.total), "format": fmt,
            "injected": [json.loads(json.dumps(asdict(x))) for x in d.injected],
        })
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def convert(markdown: str, fmt: str, name: str) -> bytes:
    """The same document in another format, through the renderers (``yusuan.render``):
    the markdown is read into the model and written out again."""
    from yusuan.parse import read_bytes
    from yusuan.render import render

    doc = read_bytes(markdown.encode("utf-8"), name)
    return render(doc, fmt, "hebei")
