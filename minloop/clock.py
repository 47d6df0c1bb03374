"""Clocks the loop can read: real monotonic time, or a virtual clock for notebooks and tests.

CPython's loop always reads ``time.monotonic()``. minloop takes a clock so that a program full
of ``sleep(1)`` runs instantly and prints the same thing every time: with a VirtualClock, when
the loop would otherwise block waiting for a timer, it moves the clock forward instead
(see ``BaseEventLoop._run_once``, phase 3).
"""

import time

__all__ = ("VirtualClock",)


class VirtualClock:
    """Time that only moves when the loop moves it. Starts at ``start`` (default 0.0)."""

    def __init__(self, start=0.0):
        self._now = float(start)

    def time(self):
        return self._now

    def advance_to(self, when):
        """Move time forward to exactly ``when`` (never backwards). The loop jumps to a
        timer's own deadline rather than adding a difference, so float rounding can never
        leave the clock a hair short of the deadline."""
        if when > self._now:
            self._now = when

    def __repr__(self):
        return f"<VirtualClock t={self._now:g}>"


def real_time():
    return time.monotonic()
