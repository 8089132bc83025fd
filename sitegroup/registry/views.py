from django.db import IntegrityError
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import SiteProfileForm
from .models import SiteProfile
from .services import provision_site, update_site


class SiteIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("site")


class SiteCreateView(generic.CreateView):
    def save_instance(self):
        return provision_site(self.form.to_spec())

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            # A concurrent registration took the hostname or code between validation and save.
            form.add_error(None, "保存失败：域名、站点代码或网站标识码已被占用，请检查后重试。")
            return self.form_invalid(form)


class SiteEditView(generic.EditView):
    def save_instance(self):
        return update_site(self.object, self.form.to_spec(), user=self.request.user)


class SiteProfileViewSet(ModelViewSet):
    model = SiteProfile
    form_class = SiteProfileForm
    index_view_class = SiteIndexView
    add_view_class = SiteCreateView
    edit_view_class = SiteEditView
    icon = "site"
    menu_label = "站点管理"
    menu_order = 150
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["__str__", "code", "kind", "status", "site_id_code", "organiser"]
    list_filter = ["kind", "status", "theme"]
    search_fields = ["code", "site_id_code", "organiser", "site__site_name", "site__hostname"]
    ordering = ["sort_order", "id"]

    def get_form_class(self, for_update=False):
        return self.form_class

