"""The argument types the commands share, and their flags that override a setting.

A flag that stands for a setting (`up --cluster`, `maintain --retain-hours`, `docs --port`)
takes its bounds from that setting's field in config.py, the one place they are written, and
is checked twice by them: at parse time, so a wrong flag is argparse's one usage line (exit 2),
and again by `Settings` itself when `with_flags` puts it in place of the setting.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from cinelake.config import Settings, bounds


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def utc_time(text: str) -> dt.datetime:
    """A time in UTC (naive, as the databases' times are; an offset is converted), in the past."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DDTHH:MM:SS time: {text!r}") from exc
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if value > dt.datetime.now(dt.UTC).replace(tzinfo=None):
        raise argparse.ArgumentTypeError(f"{text!r} is in the future: nothing to re-read there")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"a number above 0 and at most 1000, not {text!r}")
    return value


def setting_int(field: str, what: str, low: int | None = None) -> Callable[[str], int]:
    """An integer flag for the setting `field`, within that setting's bounds; `low` raises the
    floor where the flag asks for more than the setting allows (a cluster has a worker)."""
    field_low, high = bounds(field)
    low = field_low if low is None else low

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}, {low}-{high}, not {text!r}")
        return value

    return parse


def with_flags(settings: Settings, **flags: Any) -> Settings:
    """The settings with the flags given on the command line (None: not given) in their
    fields' place, validated by `Settings` as the environment's values are."""
    given = {field: value for field, value in flags.items() if value is not None}
    return settings.with_overrides(**given) if given else settings
