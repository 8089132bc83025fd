"""Admin form for a site and its filing record, edited as one thing."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .models import SiteProfile
from .services import PROFILE_FIELDS, SiteSpec, validate_spec


class SiteProfileForm(WagtailAdminModelForm):
    name = forms.CharField(label="网站名称", max_length=100)
    hostname = forms.CharField(
        label="域名", max_length=255, help_text="如 xiushui.jiujiang.gov.cn，不含协议和端口。"
    )
    port = forms.IntegerField(label="端口", initial=80, min_value=1, max_value=65535)
    is_default_site = forms.BooleanField(
        label="默认站点", required=False, help_text="未匹配任何域名的访问由默认站点（门户）响应。"
    )

    class Meta:
        model = SiteProfile
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            site = self.instance.site
            self.initial.update(
                name=site.site_name, hostname=site.hostname, port=site.port,
                is_default_site=site.is_default_site,
            )

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower()
        if "/" in hostname or ":" in hostname or " " in hostname:
            raise ValidationError("域名只填写主机名，如 xiushui.jiujiang.gov.cn。")
        return hostname

    def _post_clean(self):
        # Model validation runs through the provisioning service's own checks
        # (uniqueness of hostname and 网站标识码 across the group included).
        if self.errors:
            return
        try:
            validate_spec(self.to_spec(), instance=self.instance if self.instance.pk else None)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)

    def to_spec(self) -> SiteSpec:
        data = self.cleaned_data
        return SiteSpec(
            name=data["name"], hostname=data["hostname"], port=data["port"],
            is_default_site=data.get("is_default_site", False),
            **{name: data.get(name) for name in PROFILE_FIELDS},
        )
