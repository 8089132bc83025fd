"""Reply deadlines in working days on the group calendar (收到当天不计)."""

import datetime

from sitegroup.workdays.calendar import add_working_days, working_days_between

from .kinds import DEFAULT_LIMIT

__all__ = ["due_date", "working_days_between"]


def due_date(start: datetime.date, channel) -> datetime.date:
    limit = (channel.reply_limit if channel is not None else None) or DEFAULT_LIMIT
    return add_working_days(start, limit)
