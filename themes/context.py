"""Which site (and so which theme and filing record) a request is for.

Kept as the name templates and older code use; the answer comes from
``sitegroup.registry.lookup``, the one place that decides it.
"""

from sitegroup.registry.lookup import profile_for_request as current_profile

__all__ = ["current_profile"]
