"""Queue the addresses each content or site change touches (see ``changes``).

Receivers only record rows in the edit's own transaction; rendering happens in
the background task the commit starts.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from sitegroup.registry.events import directory_changed
from sitegroup.registry.models import SiteProfile

from . import changes


@receiver(page_published)
def _published(sender, instance, **kwargs):
    if changes.enabled():
        changes.record(changes.after_publish(instance), "publish")


@receiver(page_unpublished)
def _unpublished(sender, instance, **kwargs):
    if changes.enabled():
        changes.record(changes.removed_subtree(instance), "unpublish")


@receiver(post_page_move)
def _moved(sender, instance, url_path_before=None, **kwargs):
    if changes.enabled() and url_path_before:
        changes.record(changes.after_move(instance, url_path_before), "move")


# Every deleted page has a row in Page (its own or its parent link's), so Page as the
# sender sees each once; a receiver without a sender would also turn every other
# model's bulk delete into a row-by-row one (Django cannot fast-delete a model
# that has pre_delete listeners).
@receiver(pre_delete, sender=Page)
def _deleted(sender, instance, **kwargs):
    if changes.enabled():
        changes.record(changes.removed_subtree(instance), "delete")


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restricted(sender, instance, **kwargs):
    if not changes.enabled():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        changes.record(changes.restriction_changed(page), "restriction")


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def _restriction_groups(sender, instance, **kwargs):
    if isinstance(instance, PageViewRestriction) and changes.enabled():
        changes.record(changes.restriction_changed(instance.page), "restriction")


@receiver(post_save, sender=SiteProfile)
def _profile_saved(sender, instance, **kwargs):
    # Theme, filing footer and status are on (or decide) every page of the site;
    # update_site saves the profile, so its changes arrive here too.
    if changes.enabled():
        changes.record(changes.site_changed(instance.site_id), "site")


@receiver(directory_changed, sender=SiteProfile)
def _group_changed(sender, **kwargs):
    # The directory of sites (names, addresses) is on every site's pages; a site
    # that changed its host or left the group leaves its old tree behind.
    if changes.enabled():
        changes.record(changes.whole_group(), "group")
