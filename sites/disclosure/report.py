"""The national annual report on government-information disclosure, from the data.

Table 3 (依申请) is enforced to balance: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度,
column by column. Applications belong to the site answering them (after a
transfer, the receiving site).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from sites.models import DisclosureEntryPage, DisclosureGenre, DisclosureValidity
from sites.visibility import descendants_q

from .kinds import GROUNDS, ApplicantKind, Result
from .models import REVIEW_KEYS, AnnualReportExtra, Application

COLUMNS = [(kind.value, kind.label) for kind in ApplicantKind] + [("total", "总计")]
NUMERALS = "一二三四五六七"


@dataclass
class Row:
    label: str
    counts: dict
    level: int = 0  # 0 section, 1 result, 2 ground

    def cells(self):
        return [self.counts.get(key, 0) for key, _label in COLUMNS]


@dataclass
class AnnualReport:
    profile: object
    year: int
    rows: list = field(default_factory=list)
    proactive: list = field(default_factory=list)  # (label, [(heading, value)])
    extra: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def balanced(self):
        return not self.problems


def _by_kind(queryset):
    counts = dict(queryset.values_list("applicant_kind").annotate(n=Count("pk")).order_by())
    counts["total"] = sum(counts.values())
    return counts


def _add(*dicts):
    keys = {key for d in dicts for key in d}
    return {key: sum(d.get(key, 0) for d in dicts) for key in keys}


def build(profile, year: int, today=None) -> AnnualReport:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    mine = Application.objects.filter(site=profile)
    report = AnnualReport(profile, year)
    received = _by_kind(mine.filter(received_on__range=(start, end)))
    carried = _by_kind(mine.filter(Q(answered_on__isnull=True) | Q(answered_on__gte=start), received_on__lt=start))
    report.rows.append(Row("一、本年新收政府信息公开申请数量", received))
    report.rows.append(Row("二、上年结转政府信息公开申请数量", carried))
    report.rows.append(Row("三、本年度办理结果", {}))
    answered = (
        mine.filter(answered_on__range=(start, end)).values_list("result", "ground", "applicant_kind")
        .annotate(n=Count("pk")).order_by()
    )
    table = {}
    for result, ground, kind, n in answered:
        table.setdefault((result, ground), {})[kind] = n
        table.setdefault((result, None), {}).setdefault(kind, 0)
        table[(result, None)][kind] += n
    for counts in table.values():
        counts["total"] = sum(v for k, v in counts.items() if k != "total")
    total = {}
    for number, result in zip(NUMERALS, Result, strict=False):
        label = result.label.split("（")[0] if result != Result.PARTIAL else result.label
        counts = table.get((result.value, None), {"total": 0})
        report.rows.append(Row(f"（{number}）{label}", counts, level=1))
        total = _add(total, counts)
        for n, (ground, ground_label) in enumerate(GROUNDS.get(result, []), start=1):
            report.rows.append(Row(f"{n}．{ground_label}", table.get((result.value, ground), {"total": 0}), level=2))
    report.rows.append(Row(f"（{NUMERALS[len(Result)]}）总计", total, level=1))
    carry_next = _by_kind(mine.filter(Q(answered_on__isnull=True) | Q(answered_on__gt=end), received_on__lte=end))
    report.rows.append(Row("四、结转下年度继续办理", carry_next))
    for key, label in COLUMNS:
        left = received.get(key, 0) + carried.get(key, 0)
        right = total.get(key, 0) + carry_next.get(key, 0)
        if left != right:
            report.problems.append(f"{label}：本年新收 + 上年结转 = {left}，办理结果总计 + 结转下年度 = {right}，不平衡")
    backwards = mine.filter(answered_on__range=(start, end), answered_on__lt=F("received_on")).count()
    if backwards:
        report.problems.append(f"{backwards} 件申请的答复日期早于收到日期，请核对登记的日期")
    report.proactive = proactive(profile, year)
    extra = AnnualReportExtra.objects.filter(profile=profile, year=year).first()
    report.extra = extra.figures if extra else {}
    return report


def proactive(profile, year):
    """主动公开情况 as recorded in the catalogue's 体裁."""
    entries = DisclosureEntryPage.objects.live().filter(descendants_q(profile.site.root_page))
    dated = Q(date__year=year)
    counts = entries.aggregate(**{
        f"{genre}_issued": Count("pk", filter=dated & Q(genre=genre)) for genre in DisclosureGenre.values
    }, **{
        f"{genre}_repealed": Count("pk", filter=Q(genre=genre, validity=DisclosureValidity.REPEALED,
                                                   last_published_at__year=year))
        for genre in (DisclosureGenre.REGULATION, DisclosureGenre.NORMATIVE)
    }, **{
        f"{genre}_valid": Count("pk", filter=Q(genre=genre, validity=DisclosureValidity.VALID))
        for genre in (DisclosureGenre.REGULATION, DisclosureGenre.NORMATIVE)
    })
    rows = []
    for genre in (DisclosureGenre.REGULATION, DisclosureGenre.NORMATIVE):
        rows.append((genre.label, [("本年制发件数", counts[f"{genre}_issued"]),
                                   ("本年废止件数", counts[f"{genre}_repealed"]),
                                   ("现行有效件数", counts[f"{genre}_valid"])]))
    for genre in (DisclosureGenre.LICENSING, DisclosureGenre.PENALTY, DisclosureGenre.COERCION):
        rows.append((genre.label, [("本年处理决定数量（按公开条目计）", counts[f"{genre}_issued"])]))
    rows.append((DisclosureGenre.FEES.label, [("本年公开条目数", counts[f"{DisclosureGenre.FEES}_issued"])]))
    return rows


REVIEW_GROUPS = [("review", "行政复议"), ("direct", "行政诉讼（未经复议直接起诉）"),
                 ("after", "行政诉讼（复议后起诉）")]


def extra_rows(figures):
    rows = []
    for group, label in REVIEW_GROUPS:
        values = [(name, int(figures.get(f"{group}_{key}", 0) or 0)) for key, name in REVIEW_KEYS]
        rows.append((label, values + [("总计", sum(v for _n, v in values))]))
    return rows


def as_table(report):
    """Header row and body rows of table 3, for csv/xlsx/html."""
    header = ["", *(label for _key, label in COLUMNS)]
    # A section heading (三、本年度办理结果) has no figures of its own.
    return header, [[row.label, *(row.cells() if row.counts or row.level else [""] * len(COLUMNS))]
                    for row in report.rows]
