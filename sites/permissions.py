"""Wagtail's page permissions, refined for a site group.

``Page.permissions_for_user`` is Wagtail's documented point for a page class to
answer differently. Two refinements:

- The group office holds "lock" on every page only so that Wagtail lets it
  browse every site (there is no view-only page permission). It must not lock
  a site's pages: only the site's admins and reviewers may.
- Reviewers hold "change" so that they can open the editor to review; they are
  not writers, and must reject a submission rather than delete it.
- Nobody publishes a site page directly, superusers included: content goes live
  only when the final review stage approves it (review.finish publishes then).
"""

from wagtail.models import PagePermissionTester

from sitegroup.registry.lookup import site_root_path
from sitegroup.registry.models import REVIEW_ROLES, SiteGroup, SiteRole

LOCKING_ROLES = {SiteRole.ADMIN, *REVIEW_ROLES}
WRITING_ROLES = {SiteRole.ADMIN, SiteRole.EDITOR, SiteRole.OFFICER}
_CACHE_ATTR = "_sitegroup_roles_by_root"


def site_roles(user, page) -> set[str]:
    """The roles ``user`` holds on the site of ``page`` (one query per site per request)."""
    root = site_root_path(page)
    if root is None or not user.is_authenticated:
        return set()
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if root not in cache:
        cache[root] = set(
            SiteGroup.objects.filter(group__user=user, profile__site__root_page__path=root).values_list(
                "role", flat=True
            )
        )
    return cache[root]


class SitePagePermissionTester(PagePermissionTester):
    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False

    def can_set_view_restrictions(self):
        # Restricting who may see a page only ever narrows publication; Wagtail
        # ties it to "publish", which superusers alone hold here.
        return super().can_publish()

    def can_lock(self):
        if not super().can_lock():
            return False
        return self.user.is_superuser or bool(site_roles(self.user, self.page) & LOCKING_ROLES)

    def can_delete(self, ignore_bulk=False):
        if not super().can_delete(ignore_bulk=ignore_bulk):
            return False
        return self.user.is_superuser or bool(site_roles(self.user, self.page) & WRITING_ROLES)
