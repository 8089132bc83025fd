from django.urls import path

from . import catalogue_views, views

# Mounted at the site root by sitegroup/urls.py (see PUBLIC_URLS there).
apply_urls = [
    path("", views.apply, name="ysqgk_apply"),
    path("query/", views.query, name="ysqgk_query"),
]
catalogue_urls = [
    path("gkml/", catalogue_views.catalogue, name="disclosure_catalogue"),
    path("gkzn/", catalogue_views.guide, name="disclosure_guide"),
    path("gknb/", catalogue_views.reports, name="disclosure_reports"),
]
