from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from .services import STATEMENT


class ReviewedPageForm(WagtailAdminPageForm):
    """Page form that requires the responsibility statement when submitting."""

    responsibility_confirmed = forms.BooleanField(
        label="保密审查责任声明", required=False, help_text=STATEMENT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's panels never render Django's hidden "initial-" inputs, so a
        # field with a callable default (the article date) always looked changed:
        # a reviewer approving from the edit page then saved a revision as if they
        # had edited the content, and separation of duties refused their approval.
        for field in self.fields.values():
            field.show_hidden_initial = False

    def clean(self):
        cleaned = super().clean()
        if "action-submit" in self.data and not cleaned.get("responsibility_confirmed"):
            self.add_error(
                "responsibility_confirmed",
                "提交审核前，请勾选保密审查责任声明：“谁上网，谁负责”。",
            )
        return cleaned

    def save(self, commit=True):
        from .sanitise import sanitise_instance

        # Sanitise before Wagtail stores the revision that reviewers will see.
        page = super().save(commit=False)
        removed = sanitise_instance(page)
        if removed:
            page._sanitised_removed = removed
            if page.pk:
                from .sanitise import record_removed

                record_removed(page)
        if commit:
            page.save()
        return page


class DecisionForm(forms.Form):
    finding = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤稿理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        error_messages={"required": "撤稿必须填写理由。"},
    )
