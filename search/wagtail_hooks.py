from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Synonym


class SynonymViewSet(ModelViewSet):
    model = Synonym
    icon = "search"
    menu_label = "检索同义词"
    add_to_admin_menu = True
    menu_order = 170
    form_fields = ["terms", "active"]
    list_display = ["terms", "active"]


@hooks.register("register_admin_viewset")
def register_synonyms():
    return SynonymViewSet("synonym")
