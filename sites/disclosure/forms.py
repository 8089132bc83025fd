"""The public 依申请公开 form: plain HTML, works without JavaScript."""

import re

from django import forms

from sites.interaction.forms import PHONE_RE, MultipleFileField, PublicForm, _plain
from sites.personal import valid_resident_id

from .kinds import ApplicantKind, Delivery, IdType

CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class ApplicationForm(PublicForm):
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices,
                                       help_text="公民选“自然人”；法人或其他组织按单位性质选择。")
    name = forms.CharField(label="申请人姓名或单位名称", max_length=100)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40, help_text="仅用于办理，不会公开。")
    contact = forms.CharField(label="联系人（法人或其他组织填写）", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, help_text="查询办理进度时需要。")
    email = forms.EmailField(label="电子邮箱", required=False)
    postal_address = forms.CharField(label="通信地址", max_length=200, required=False)
    description = forms.CharField(label="所需政府信息的内容描述", max_length=2000, min_length=5,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    document_hint = forms.CharField(label="文件名称、文号或其他特征（可不填）", max_length=200, required=False)
    purpose = forms.CharField(label="用途（可不填）", max_length=200, required=False)
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices)
    attachments = MultipleFileField(label="附件（可不填，如身份证明材料）", required=False)

    def clean_name(self):
        return _plain(self.cleaned_data["name"])

    def clean_description(self):
        text = _plain(self.cleaned_data["description"])
        if len(text) < 5:
            raise forms.ValidationError("请具体描述所需的政府信息（至少 5 个字）。")
        return text

    def clean_phone(self):
        phone = re.sub(r"\s", "", self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError("联系电话格式不正确，请填写 11 位手机号或带区号的固定电话。")
        return phone


    def clean(self):
        data = super().clean()
        kind, id_type = data.get("applicant_kind"), data.get("id_type")
        number = re.sub(r"\s", "", data.get("id_number", "")).upper()
        data["id_number"] = number
        organisation = kind and kind != ApplicantKind.NATURAL
        if organisation and id_type != IdType.CREDIT_CODE:
            self.add_error("id_type", "法人或其他组织请选择统一社会信用代码。")
        if not organisation and id_type == IdType.CREDIT_CODE:
            self.add_error("id_type", "自然人请选择身份证件。")
        if id_type == IdType.RESIDENT and number and not valid_resident_id(number):
            self.add_error("id_number", "居民身份证号码不正确，请核对（18 位，最后一位可能是 X）。")
        if id_type == IdType.CREDIT_CODE and number and not CREDIT_CODE_RE.match(number):
            self.add_error("id_number", "统一社会信用代码应为 18 位数字或大写字母。")
        if organisation and not _plain(data.get("contact", "")):
            self.add_error("contact", "法人或其他组织请填写联系人。")
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件方式获取信息的，请填写电子邮箱。")
        return data


class QueryForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20)
    phone = forms.CharField(label="申请时填写的联系电话", max_length=20)
