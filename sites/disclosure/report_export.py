"""The annual report as csv, xlsx or html."""

import csv
import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from .report import as_table, extra_rows


def to_csv(report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{report.profile.name} {report.year} 年政府信息公开工作年度报告"])
    writer.writerow(["二、主动公开政府信息情况"])
    for label, values in report.proactive:
        writer.writerow([label, *(f"{name}：{value}" for name, value in values)])
    writer.writerow(["三、收到和处理政府信息公开申请情况"])
    header, rows = as_table(report)
    writer.writerow(header)
    writer.writerows(rows)
    writer.writerow(["四、政府信息公开行政复议、行政诉讼情况"])
    for label, values in extra_rows(report.extra):
        writer.writerow([label, *(f"{name}：{value}" for name, value in values)])
    return out.getvalue()


def to_xlsx(report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "依申请公开情况"
    sheet.append([f"{report.profile.name} {report.year} 年政府信息公开工作年度报告 — 收到和处理政府信息公开申请情况"])
    sheet["A1"].font = Font(bold=True)
    header, rows = as_table(report)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 60
    proactive = book.create_sheet("主动公开情况")
    for label, values in report.proactive:
        proactive.append([label, *(f"{name}：{value}" for name, value in values)])
    extra = book.create_sheet("复议诉讼情况")
    for label, values in extra_rows(report.extra):
        extra.append([label, *(f"{name}：{value}" for name, value in values)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_html(report) -> str:
    header, rows = as_table(report)
    return render_to_string("disclosure/report_table.html", {
        "report": report, "header": header, "rows": zip(report.rows, rows, strict=True),
        "extra": extra_rows(report.extra),
    })
