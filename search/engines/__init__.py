from django.conf import settings
from django.utils.module_loading import import_string

ENGINES = {
    "embedded": "search.engines.embedded.EmbeddedEngine",
    "elasticsearch": "search.engines.elastic.ElasticsearchEngine",
}


def get_engine():
    name = getattr(settings, "SEARCH_ENGINE", "embedded")
    return import_string(ENGINES.get(name, name))()
