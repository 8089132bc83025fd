"""Facts the registry announces to the apps above it. Receivers connect with
``sender=SiteProfile``; they must not change what the sender decided."""

from django.dispatch import Signal

# A site was created (sent inside the provisioning transaction, so a receiver
# that raises undoes the whole site). Arguments: profile.
site_provisioned = Signal()

# A site's filing record was changed through ``update_site``. Arguments: profile,
# changes ({field: [old, new]}), user (who acted, or None), cause (an object the
# caller passes through, e.g. the filing application that was approved, or None).
site_updated = Signal()

# The public directory of sites (portal 站群导航, every site's link home) changed,
# so every page that shows it is stale. No arguments.
directory_changed = Signal()
