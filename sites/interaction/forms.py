"""The public message form: plain HTML, works without JavaScript."""

import re

from captcha.fields import CaptchaField
from django import forms

from .uploads import ALLOWED, ALLOWED_LABEL

PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _plain(value: str) -> str:
    return CONTROL_RE.sub("", value or "").strip()


class PublicForm(forms.Form):
    """What every public form ends with: a trap field people leave empty, and the
    image challenge. Required fields say in Chinese what is missing."""

    # Left empty by people; bots that fill every field give themselves away.
    website = forms.CharField(label="请勿填写", required=False, widget=forms.TextInput(attrs={
        "autocomplete": "off", "tabindex": "-1"}))
    captcha = CaptchaField(label="验证码", error_messages={"invalid": "验证码不正确，请重新输入。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Declared on the base, so Django lists them first; a person meets them last.
        self.order_fields([name for name in self.fields if name not in ("website", "captcha")])
        # The challenge's text box is the one a screen reader must tie to its error.
        self.fields["captcha"].widget.widgets[-1].attrs["aria-describedby"] = "id_captcha_1_error"
        for name, field in self.fields.items():
            if field.required and name != "captcha":
                field.error_messages["required"] = f"请填写{field.label}。"

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("提交未通过校验，请刷新页面后重试。")
        return ""


class MessageForm(PublicForm):
    category = forms.ChoiceField(label="分类")
    title = forms.CharField(label="标题", max_length=100, min_length=4)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 10}), max_length=3000, min_length=10)
    page_url = forms.CharField(label="出错页面地址", max_length=500, required=False)
    name = forms.CharField(label="姓名", max_length=30)
    phone = forms.CharField(label="联系电话", max_length=20, help_text="手机号或带区号的固定电话，不会公开。")
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    publish_consent = forms.BooleanField(
        label="同意在答复后公开本留言（公开时隐去姓名和联系方式）", required=False
    )
    attachments = MultipleFileField(
        label="附件", required=False, help_text=f"可选，{ALLOWED_LABEL}。"
    )

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["category"].choices = [("", "请选择")] + [(c, c) for c in channel.category_list]
        if channel.kind != "error_report":
            del self.fields["page_url"]
        else:
            self.fields["page_url"].required = True
            self.fields["page_url"].error_messages["required"] = "请填写出错页面地址。"
        self.fields["category"].error_messages["required"] = "请选择分类。"

    def clean_title(self):
        return _plain(self.cleaned_data["title"])

    def clean_content(self):
        content = _plain(self.cleaned_data["content"])
        if len(content) < 10:
            raise forms.ValidationError("内容太短，请至少写 10 个字。")
        return content

    def clean_name(self):
        return _plain(self.cleaned_data["name"])

    def clean_phone(self):
        phone = re.sub(r"\s", "", self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError("联系电话格式不正确，请填写 11 位手机号或带区号的固定电话。")
        return phone

    def clean_page_url(self):
        url = _plain(self.cleaned_data.get("page_url", ""))
        if url and not re.match(r"^https?://[^\s<>\"']+$", url):
            raise forms.ValidationError("出错页面地址应以 http:// 或 https:// 开头。")
        return url

