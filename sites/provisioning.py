"""The page tree of a new site: its home page and the standard columns.

Called by ``sitegroup.registry.services.provision_site`` through the
``SITEGROUP_PAGE_TREE_BUILDER`` setting, inside the provisioning transaction:
the registry (lower in the dependency order) creates the Site, its filing
record, media collection and role groups, and asks this layer for pages.
"""

from wagtail.models import Page

from .columns import STANDARD_COLUMNS
from .models import ColumnPage, SiteHomePage


def build_page_tree(spec) -> Page:
    """Create and publish the home page and columns of ``spec``; return the home page."""
    home = SiteHomePage(title=spec.name, slug=spec.code, intro=spec.intro)
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    for slug, title, kind in spec.columns if spec.columns is not None else STANDARD_COLUMNS:
        column = ColumnPage(title=title, slug=slug, kind=kind)
        home.add_child(instance=column)
        column.save_revision().publish()
    return home
