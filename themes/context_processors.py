from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject, lazy

from .context import current_profile

THEMES = ("portal", "county", "department")


def _theme(request):
    profile = current_profile(request)
    return profile.theme if profile and profile.theme in THEMES else "portal"


def site_theme(request):
    """Lazy, so admin pages that never touch the theme pay no query for it.

    ``theme_base`` is a lazily loaded Template rather than a name: ``{% extends %}``
    accepts a Template object, but not a lazy string.
    """
    return {
        "site_profile": SimpleLazyObject(lambda: current_profile(request)),
        "theme": lazy(lambda: _theme(request), str)(),
        "theme_base": SimpleLazyObject(
            lambda: get_template(f"themes/{_theme(request)}/base.html").template
        ),
    }
