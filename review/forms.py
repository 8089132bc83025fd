from django import forms


class DecisionForm(forms.Form):
    finding = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤稿理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        error_messages={"required": "撤稿必须填写理由。"},
    )
