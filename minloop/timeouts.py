"""timeout() and timeout_at(): a deadline for a block of code (CPython's asyncio/timeouts.py).

1. A Timeout is a timer that cancels the current Task. ``__aenter__`` puts a TimerHandle on
   the loop (``call_at(when, _on_timeout)``); if it fires, ``_on_timeout`` calls
   ``task.cancel()`` and the block stops at its current ``await`` with CancelledError.
2. ``__aexit__`` turns *its own* cancellation into TimeoutError (chained: ``from`` the
   CancelledError) and lets any other cancellation through. To tell them apart it uses the
   Task's cancel count: it remembers ``task.cancelling()`` on entry, and on expiry calls
   ``task.uncancel()``; only if the count is back to what it was (nobody else asked to
   cancel the Task meanwhile) is the CancelledError its own. So nested timeouts work, and a
   Task cancelled from outside during an expired timeout stays cancelled.
3. States, as CPython names them: created, active, expiring (the timer fired, the
   CancelledError is on its way), expired, finished. ``reschedule()`` moves the deadline
   while active; ``when()`` reads it; ``expired()`` says whether the timer fired.

Same code as CPython 3.11's module, without the type hints (``@final`` is kept: it is visible
at run time as ``Timeout.__final__``). 3.12's is the same; 3.13's
``__aexit__`` also accepts a CancelledError subclass and, when the block raised some other
error while expiring, inserts a TimeoutError into that error's ``__context__`` chain.
minloop keeps 3.11's behaviour.
"""

import enum
from typing import final

from . import events, exceptions, tasks

__all__ = ("Timeout", "timeout", "timeout_at")


class _State(enum.Enum):
    CREATED = "created"
    ENTERED = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    EXITED = "finished"


@final
class Timeout:
    """An async context manager that cancels the Task running it at a deadline.

    Use timeout() or timeout_at() rather than making one directly."""

    def __init__(self, when):
        """``when``: a loop time (loop.time()), or None for no deadline. A deadline in the
        past fires on the next iteration of the loop."""
        self._state = _State.CREATED
        self._timeout_handler = None   # the TimerHandle (or Handle) that will fire
        self._task = None
        self._when = when

    def when(self):
        """The current deadline (a loop time), or None."""
        return self._when

    def reschedule(self, when):
        """Move the deadline to ``when`` (None: no deadline). Only while the block runs."""
        if self._state is not _State.ENTERED:
            if self._state is _State.CREATED:
                raise RuntimeError("Timeout has not been entered")
            raise RuntimeError(f"Cannot change state of {self._state.value} Timeout")
        self._when = when
        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
        if when is None:
            self._timeout_handler = None
        else:
            loop = events.get_running_loop()
            if when <= loop.time():
                self._timeout_handler = loop.call_soon(self._on_timeout)
            else:
                self._timeout_handler = loop.call_at(when, self._on_timeout)

    def expired(self):
        """Did the deadline pass while the block ran?"""
        return self._state in (_State.EXPIRING, _State.EXPIRED)

    def __repr__(self):
        info = [""]
        if self._state is _State.ENTERED:
            when = round(self._when, 3) if self._when is not None else None
            info.append(f"when={when}")
        return f"<Timeout [{self._state.value}]{' '.join(info)}>"

    async def __aenter__(self):
        if self._state is not _State.CREATED:
            raise RuntimeError("Timeout has already been entered")
        task = tasks.current_task()
        if task is None:
            raise RuntimeError("Timeout should be used inside a task")
        self._state = _State.ENTERED
        self._task = task
        self._cancelling = task.cancelling()   # cancel requests before ours
        self.reschedule(self._when)
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        assert self._state in (_State.ENTERED, _State.EXPIRING)
        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
            self._timeout_handler = None

        if self._state is _State.EXPIRING:
            self._state = _State.EXPIRED
            # Take back our own cancel request. If no one else asked to cancel the Task
            # meanwhile, the CancelledError flying out of the block is ours: it becomes
            # TimeoutError. Otherwise it goes on, and the Task ends cancelled.
            if self._task.uncancel() <= self._cancelling and exc_type is exceptions.CancelledError:
                raise TimeoutError from exc_val
        elif self._state is _State.ENTERED:
            self._state = _State.EXITED
        return None

    def _on_timeout(self):
        """The timer's callback: cancel the Task (CancelledError at its current await)."""
        assert self._state is _State.ENTERED
        self._task.cancel()
        self._state = _State.EXPIRING
        self._timeout_handler = None   # drop the reference early


def timeout(delay):
    """``async with timeout(delay):`` cancels the block after ``delay`` seconds and raises
    TimeoutError. ``None``: no deadline (reschedule() can set one later)."""
    loop = events.get_running_loop()
    return Timeout(loop.time() + delay if delay is not None else None)


def timeout_at(when):
    """Like timeout(), with a deadline in loop time (``loop.time() + 10``), not a delay."""
    return Timeout(when)
