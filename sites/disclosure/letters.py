"""The reply letter (政府信息公开申请答复书) as a Word document (python-docx)."""

import io

from django.core.files.base import ContentFile
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sites.interaction.masking import mask_personal_numbers

from .kinds import Result

REMEDY = ("申请人对本答复不服的，可以自收到本答复之日起六十日内依法申请行政复议，"
          "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。")


def reply_letter(application) -> ContentFile:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(14)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("政府信息公开申请答复书")
    run.bold, run.font.size = True, Pt(20)
    number = document.add_paragraph(f"编号：{application.code}")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{application.name}：")
    document.add_paragraph(
        f"本机关于 {application.received_on:%Y年%m月%d日} 收到您（单位）提出的政府信息公开申请，"
        f"申请获取“{mask_personal_numbers(application.description)[:200]}”的政府信息。经审查，现答复如下："
    )
    result = Result(application.result).label.split("（")[0]
    line = f"办理结果：{result}"
    if application.ground:
        line += f"（{application.ground_label}）"
    document.add_paragraph(line)
    for paragraph in application.reply_text.splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    if application.extension_days:
        document.add_paragraph(f"本申请已依法延期答复 {application.extension_days} 个工作日（{application.extension_reason}）。")
    document.add_paragraph(REMEDY)
    signature = document.add_paragraph(f"{application.site.name}\n{application.answered_on:%Y年%m月%d日}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return ContentFile(out.getvalue())
