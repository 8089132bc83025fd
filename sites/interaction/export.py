"""政民互动 statistics as an Excel workbook (openpyxl)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .kinds import Satisfaction

HEADERS = ["网站", "收到", "已答复", "超期", "转办", "无效", "平均答复用时（工作日）",
           "满意", "基本满意", "不满意", "满意率（%）", "超期未答复超过否决天数"]


def workbook(rows, start, end) -> bytes:
    """``rows``: (site name, SiteFigures) in display order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "政民互动统计"
    sheet.append([f"政民互动统计 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for name, f in rows:
        sheet.append([
            name, f.received, f.answered, f.overdue, f.transferred, f.invalid,
            f.average_days if f.average_days is not None else "—",
            *(f.satisfaction.get(value, 0) for value in Satisfaction.values), f.satisfied_rate if f.satisfied_rate is not None else "—", f.veto,
        ])
    sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
