"""Which pages anonymous visitors may see, decided with one query per request.

Wagtail's ``PageQuerySet.public()`` reads every view restriction each time it
is used; a public page uses it for the navigation, listings and its own cache
decision. The restricted paths are read once and kept on the request instead.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.models import PageViewRestriction


def restricted_paths(request=None) -> tuple[str, ...]:
    cached = getattr(request, "_sitegroup_restricted_paths", None)
    if cached is not None:
        return cached
    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    if request is not None:
        request._sitegroup_restricted_paths = paths
    return paths


def public_q(request=None) -> Q:
    """A filter that keeps only pages outside every restricted subtree."""
    paths = restricted_paths(request)
    if not paths:
        return Q()
    return ~reduce(or_, (Q(path__startswith=path) for path in paths))


def is_public(page, request=None) -> bool:
    return not any(page.path.startswith(path) for path in restricted_paths(request))


def children_q(page) -> Q:
    """Children of ``page`` as a path range.

    Wagtail's ``child_of`` filters with ``path LIKE 'x%'``, which SQLite cannot
    answer from the path index; a range can, on every database.
    """
    return Q(path__range=_interval(page.path, page.steplen), depth=page.depth + 1)


def descendants_q(page, min_depth=None) -> Q:
    q = Q(path__gt=page.path, path__lt=page.path + "Z" * (255 - len(page.path)))
    if min_depth is not None:
        q &= Q(depth__gte=min_depth)
    return q


def _interval(path, steplen):
    return path + "0" * steplen, path + "Z" * steplen
