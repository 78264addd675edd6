"""Times shown to the drafter: local time in Chinese form (lock dialog, recovery offer)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from drafter.draft.lock import DraftLockedError
from drafter.local_time import UNKNOWN_TIME, format_local_time

pytestmark = pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset (POSIX)")


@pytest.fixture
def local_zone(monkeypatch):
    """Set this process's local time zone for one test (restored afterwards)."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def test_utc_time_is_shown_in_local_time_the_chinese_way(local_zone):
    local_zone("Asia/Shanghai")
    assert format_local_time("2026-12-02T11:18:21+00:00") == "2026年12月2日 19:18"
    # Crossing midnight changes the date too.
    assert format_local_time("2026-12-31T17:05:00+00:00") == "2027年1月1日 01:05"
    local_zone("America/New_York")
    assert format_local_time("2026-12-02T11:18:21+00:00") == "2026年12月2日 06:18"


def test_datetimes_naive_times_and_non_times(local_zone):
    local_zone("Asia/Shanghai")
    aware = datetime(2026, 3, 9, 1, 2, tzinfo=timezone(timedelta(hours=-5)))
    assert format_local_time(aware) == "2026年3月9日 14:02"
    # Without an offset the time is taken as local already: unchanged hours.
    assert format_local_time("2026-03-09T08:30:00") == "2026年3月9日 08:30"
    assert format_local_time(datetime(2026, 10, 1, 9, 0)) == "2026年10月1日 09:00"
    assert format_local_time("now") == "now"
    assert format_local_time("") == UNKNOWN_TIME


def test_lock_message_shows_the_owners_time_locally(local_zone):
    local_zone("Asia/Shanghai")
    owner = {"pid": 4242, "host": "office-pc", "since": "2026-12-02T11:18:21+00:00"}
    message = str(DraftLockedError(Path("草案.drafter.json"), owner))
    assert "2026年12月2日 19:18起" in message and "T11:18" not in message
    assert "office-pc" in message and "4242" in message
    assert "?起" in str(DraftLockedError(Path("x.drafter.json"), {"pid": 1}))
