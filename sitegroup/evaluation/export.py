"""The score cards of one month as an Excel workbook."""

import io

from .models import CRITERIA


def as_xlsx(cards, period_label: str, weights: dict) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "绩效评估"
    sheet.append([f"政府网站绩效评估（{period_label}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["权重"] + [f"{label} {weights.get(key, 0)}" for key, label in CRITERIA])
    sheet.append(["排名", "网站", "域名"] + [label for _, label in CRITERIA] + ["总分", "等级", "单项否决", "扣分明细", "加分明细", "说明"])
    for rank, card in enumerate(cards, start=1):
        scores = [None if card.scores.get(key) is None else float(card.scores[key]) for key, _ in CRITERIA]
        notes = "；".join(f"{label}：{card.notes[key]}" for key, label in CRITERIA if card.notes.get(key))
        vetoes = "；".join(f"{label}：{reason}" for label, reason in card.vetoes)
        deductions = "；".join(f"{label} −{points}：{reason}" for label, reason, points in card.deductions)
        bonuses = "；".join(f"+{points}：{reason}" for reason, points in card.bonuses)
        sheet.append([rank, card.profile.name, card.profile.site.hostname, *scores, float(card.total), card.grade,
                      vetoes, deductions, bonuses, notes])
    widths = [6, 20, 28] + [10] * len(CRITERIA) + [8, 18, 60, 60, 40, 80]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
