from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from sitegroup.registry.roles import is_group_office

from .calendar import unconfirmed_years
from .models import CalendarDay, CalendarYear


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = "节假日与调休"
    form_fields = ["date", "is_working", "name"]
    list_display = ["date", "is_working", "name", "source"]
    list_filter = ["is_working", "source"]
    copy_view_enabled = False


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    icon = "date"
    menu_label = "年度节假日安排"
    form_fields = ["year", "confirmed"]
    list_display = ["year", "confirmed", "source", "updated_at"]
    copy_view_enabled = False


class CalendarGroup(ViewSetGroup):
    menu_label = "工作日历"
    menu_icon = "date"
    menu_order = 185
    items = (CalendarYearViewSet, CalendarDayViewSet)


@hooks.register("register_admin_viewset")
def register_calendar():
    return CalendarGroup()


class MissingScheduleWarning(Component):
    order = 30

    def __init__(self, years):
        self.years = years

    def render_html(self, parent_context=None):
        years = "、".join(f"{year} 年" for year in self.years)
        return format_html(
            '<section class="panel help-block help-warning" role="status"><p>{} 的法定节假日安排尚未确认，'
            "依申请公开、政民互动等期限暂按周末和法定节日推算（未含调休）。国务院公布安排后，请在“工作日历”中录入调休并确认。</p></section>",
            years,
        )


@hooks.register("construct_homepage_panels")
def warn_missing_schedule(request, panels):
    if is_group_office(request.user):
        years = unconfirmed_years(timezone.localdate())
        if years:
            panels.append(MissingScheduleWarning(years))
