"""Load the dictionary that applies to one site: built-ins, group-wide lists and
the site's own lists. Compiled automata are cached per site and rebuilt when a
list changes (one cheap query tells)."""

import threading

from django.db.models import Count, Max, Q

from .models import Term, WordList
from .screening import Dictionary, Entry, builtin_entries

_cache: dict = {}
_lock = threading.Lock()


def _scope(site_id):
    return Q(word_list__active=True) & (Q(word_list__site__isnull=True) | Q(word_list__site_id=site_id))


def _stamp(site_id):
    lists = WordList.objects.filter(Q(site__isnull=True) | Q(site_id=site_id))
    agg = lists.aggregate(changed=Max("updated_at"), lists=Count("id"))
    terms = Term.objects.filter(_scope(site_id)).aggregate(n=Count("id"), top=Max("id"))
    return (agg["changed"], agg["lists"], terms["n"], terms["top"])


def dictionary_for(site_id=None) -> Dictionary:
    return versioned_dictionary(site_id)[0]


def versioned_dictionary(site_id=None) -> tuple[Dictionary, str]:
    """The site's dictionary and a version string that changes whenever any list
    that applies to the site changes (for caching what was screened with it)."""
    stamp = _stamp(site_id)
    version = f"{site_id}|" + "|".join(str(part) for part in stamp)
    cached = _cache.get(site_id)
    if cached and cached[0] == stamp:
        return cached[1], version
    with _lock:
        terms = Term.objects.filter(_scope(site_id)).values_list("word", "kind", "level", "correction")
        entries = builtin_entries() + [Entry(w, k, lvl, c) for w, k, lvl, c in terms]
        dictionary = Dictionary(entries)
        _cache[site_id] = (stamp, dictionary)
        return dictionary, version
