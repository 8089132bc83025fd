from django.urls import path

from . import views

urlpatterns = [
    path("", views.apply, name="ysqgk_apply"),
    path("query/", views.query, name="ysqgk_query"),
]
