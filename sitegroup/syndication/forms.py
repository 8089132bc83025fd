from django import forms

from .models import Intake


class SubmitForm(forms.Form):
    intakes = forms.ModelMultipleChoiceField(
        label="报送栏目", queryset=Intake.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个报送栏目。"},
    )
    note = forms.CharField(label="报送说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, intakes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intakes"].queryset = intakes
        self.fields["intakes"].label_from_instance = lambda i: f"{i}{'（' + i.note + '）' if i.note else ''}"


class AcceptForm(forms.Form):
    title = forms.CharField(label="采用标题", max_length=255, required=False,
                            help_text="留空则使用原文标题（原文修改后随之更新）；填写即为“采用并修改”。")
    summary = forms.CharField(label="采用摘要", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="留空则使用原文摘要。")


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "退回必须填写理由。"})


class PeriodForm(forms.Form):
    start = forms.DateField(label="起始日期", error_messages={"invalid": "起始日期格式不正确，应为 年-月-日。"})
    end = forms.DateField(label="截止日期", error_messages={"invalid": "截止日期格式不正确，应为 年-月-日。"})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data
