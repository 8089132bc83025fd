"""The statutory clock of an application, on the group working-day calendar."""

import datetime

from sitegroup.workdays.calendar import add_working_days, working_days_between

from .models import DisclosureSettings, SiteDisclosureRule

__all__ = ["limits_for", "due_date", "working_days_between", "correction_deadline"]


def limits_for(profile, rules=None):
    """(reply limit, extension limit, publish limit) in working days for ``profile``."""
    rules = rules or DisclosureSettings.load()
    site = SiteDisclosureRule.objects.filter(profile=profile).first()
    return (
        (site and site.reply_limit) or rules.reply_limit,
        (site and site.extension_limit) or rules.extension_limit,
        (site and site.publish_limit) or rules.publish_limit,
    )


def due_date(application) -> datetime.date | None:
    """None while the clock is stopped (补正 or 征求第三方意见)."""
    if application.is_paused:
        return None
    days = application.limit_days + application.extension_days + application.consultation_days
    return add_working_days(application.clock_start, days)


def correction_deadline(application, rules=None) -> datetime.date:
    rules = rules or DisclosureSettings.load()
    return add_working_days(application.clock_start, rules.correction_limit)
