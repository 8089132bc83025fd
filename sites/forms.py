"""The admin form of every site page: the submitter's responsibility statement.

The statement is part of submitting content in this group (谁上网，谁负责);
``review`` records it with the exact revision it was signed for.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

RESPONSIBILITY_STATEMENT = (
    "本人已对拟发布信息进行保密审查，确认不涉及国家秘密、工作秘密、商业秘密和个人隐私，"
    "并对信息的真实性、准确性负责。"
)


class SitePageForm(WagtailAdminPageForm):
    """Page form that requires the responsibility statement when submitting."""

    responsibility_confirmed = forms.BooleanField(
        label="保密审查责任声明", required=False, help_text=RESPONSIBILITY_STATEMENT,
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
