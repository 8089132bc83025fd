"""Word lists in the admin: the group office keeps the group-wide lists and
may edit any; a site administrator keeps only their own site's lists."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.permission_policies import ModelPermissionPolicy

from sitegroup.registry.models import SiteGroup, SiteProfile, SiteRole

from .models import WordList

SITE_ACTIONS = {"add", "change", "delete", "view"}


def admin_site_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_admin_site_ids", None)
    if cached is None:
        cached = set(SiteGroup.objects.filter(group__user=user, role=SiteRole.ADMIN).values_list("profile_id", flat=True))
        user._admin_site_ids = cached
    return cached


class WordListPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (the group office, superusers) reach every list;
    a site admin's reach is the lists of the sites they administer."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or (
            action in SITE_ACTIONS and bool(admin_site_ids(user))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        return action in SITE_ACTIONS and instance.site_id is not None and instance.site_id in admin_site_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if any(super(WordListPermissionPolicy, self).user_has_permission(user, action) for action in actions):
            return WordList.objects.all()
        if SITE_ACTIONS & set(actions):
            return WordList.objects.filter(site_id__in=admin_site_ids(user))
        return WordList.objects.none()

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def is_office(self, user):
        return super().user_has_permission(user, "change")


policy = WordListPermissionPolicy(WordList)


class WordListForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not policy.is_office(user):
            site = self.fields["site"]
            site.queryset = SiteProfile.objects.filter(pk__in=admin_site_ids(user))
            site.required = True
            site.empty_label = None
            site.help_text = "本站词库只用于本站页面；全站群通用词库由市政府信息办维护。"


class ScopedObjectMixin:
    """Model-level checks pass for any site admin, so every object view also
    checks the object itself (a 404 would leak less, but Wagtail's own
    PermissionDenied handling gives the clearer message)."""

    instance_actions = ["change"]

    # Wagtail's edit/delete views take a queryset, its history/usage views none.
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not policy.user_has_any_permission_for_instance(self.request.user, self.instance_actions, obj):
            raise PermissionDenied
        return obj


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        return policy.instances_user_has_any_permission_for(self.request.user, ["change", "view"])


class EditView(ScopedObjectMixin, generic.EditView):
    pass


class DeleteView(ScopedObjectMixin, generic.DeleteView):
    instance_actions = ["delete"]


class HistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class UsageView(ScopedObjectMixin, usage.UsageView):
    pass
