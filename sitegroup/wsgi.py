import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitegroup.settings.dev")

application = get_wsgi_application()

# Pay the segmentation start-up cost when the worker boots, not on a visitor's first search.
from search.segment import warm_up  # noqa: E402

warm_up()
