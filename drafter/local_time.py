"""Times shown to the drafter: local time, written the Chinese way (2026年12月2日 19:18).

Files keep ISO 8601 with the UTC offset (a lock or an autosave may come from another
machine or time zone); only what a person reads is converted, here, in one place.
"""

from __future__ import annotations

from datetime import datetime

UNKNOWN_TIME = "时间不详"


def format_local_time(value: str | datetime) -> str:
    """`value` (ISO 8601 text or a datetime) in local time, e.g. "2026年12月2日 19:18".

    A time without an offset is taken as local already. Text that is not a time is
    returned unchanged (an old or hand-edited file must still give a readable message).
    """
    if isinstance(value, str):
        if not value.strip():
            return UNKNOWN_TIME
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    else:
        moment = value
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # to this computer's time zone
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
