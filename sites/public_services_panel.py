"""The admin home's 待办 panel for the public services: messages and applications
waiting on the user's sites, with the overdue ones counted apart (two queries)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.admin.ui.components import Component


class PublicServicesPanel(Component):
    order = 40

    def __init__(self, rows):
        self.rows = rows  # (label, open, overdue, url)

    def render_html(self, parent_context=None):
        items = format_html_join(
            "", '<li><a href="{}">{}</a>：待办 {} 件{}</li>',
            ((url, label, open_, format_html("，<strong>已超期 {} 件</strong>", overdue) if overdue else "")
             for label, open_, overdue, url in self.rows),
        )
        return format_html('<section class="panel" aria-labelledby="public-services-title">'
                           '<h2 id="public-services-title">群众诉求待办</h2><ul>{}</ul></section>', items)


def panel_for(user):
    from sites.disclosure.kinds import OPEN as APPLICATION_OPEN
    from sites.disclosure.services import readable
    from sites.interaction.kinds import OPEN_STATES
    from sites.interaction.services import visible_messages

    today = timezone.localdate()
    rows = []
    for label, queryset, states, url in (
        ("政民互动留言", visible_messages(user), OPEN_STATES, reverse("interaction_inbox")),
        ("依申请公开", readable(user), APPLICATION_OPEN, reverse("ysqgk_inbox")),
    ):
        counts = queryset.filter(status__in=states).aggregate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        if counts["open"]:
            rows.append((label, counts["open"], counts["overdue"], url))
    return PublicServicesPanel(rows) if rows else None
