"""Interval arithmetic on aware datetimes (no Django import): merge and measure.

Everything is normalised to UTC first: Python compares and subtracts two datetimes that share
a tzinfo on the wall clock, which is wrong across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

Interval = tuple[datetime, datetime]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of half-open intervals, sorted and non-overlapping."""
    merged: list[Interval] = []
    utc = [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in intervals]
    for start, end in sorted(i for i in utc if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def total_hours(intervals: Iterable[Interval]) -> float:
    return sum((e - s).total_seconds() for s, e in merge(intervals)) / 3600


def clip(interval: Interval, start: datetime, end: datetime) -> Interval | None:
    s = max(interval[0].astimezone(UTC), start.astimezone(UTC))
    e = min(interval[1].astimezone(UTC), end.astimezone(UTC))
    return (s, e) if e > s else None


def intersect_hours(a: Iterable[Interval], b: Iterable[Interval]) -> float:
    """Hours covered by both unions."""
    left, right = merge(a), merge(b)
    i = j = 0
    seconds = 0.0
    while i < len(left) and j < len(right):
        s = max(left[i][0], right[j][0])
        e = min(left[i][1], right[j][1])
        if e > s:
            seconds += (e - s).total_seconds()
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return seconds / 3600
