"""Handles, timer handles and the "which loop is running?" registry.

Simplifies CPython's asyncio/events.py:

1. A Handle is a callback plus its arguments plus the contextvars Context it runs in. The loop
   never calls your function directly: it stores a Handle in ``_ready`` and later calls
   ``handle._run()``.
2. A TimerHandle is a Handle with a deadline, ``when``; the loop keeps them in a heap ordered
   by ``when``.
3. The running-loop registry is per thread. CPython keeps it in C (``_asyncio``) and also has
   event-loop *policies*; minloop has no policies, just one "current loop" per thread.
4. While a minloop loop runs, it also registers itself with asyncio's own registry, so that
   stdlib asyncio code calling ``asyncio.get_running_loop()`` finds it (this is how uvloop
   plugs in too). See ``BaseEventLoop.run_forever``.
"""

import contextvars
import os
import threading
from asyncio.events import AbstractEventLoop   # minloop's loop subclasses it (base_events)

from .format_helpers import format_callback_source

__all__ = (
    "Handle", "TimerHandle",
    "get_running_loop", "get_event_loop", "set_event_loop", "new_event_loop",
    "_get_running_loop", "_set_running_loop",
)


# ---------------------------------------------------------------- Handle

class Handle:
    """A callback scheduled on the loop: ``callback(*args)`` run inside ``context``."""

    __slots__ = ("_callback", "_args", "_cancelled", "_loop", "_context", "__weakref__")

    def __init__(self, callback, args, loop, context=None):
        if context is None:
            # Like CPython: a callback runs in a *copy* of the context current when it was
            # scheduled, so a ContextVar set inside it cannot leak into its caller.
            context = contextvars.copy_context()
        self._context = context
        self._loop = loop
        self._callback = callback
        self._args = args
        self._cancelled = False

    def _repr_info(self):
        info = [self.__class__.__name__]
        if self._cancelled:
            info.append("cancelled")
        if self._callback is not None:
            info.append(format_callback_source(self._callback, self._args))
        return info

    def __repr__(self):
        return "<{}>".format(" ".join(self._repr_info()))

    def get_context(self):
        return self._context

    def cancel(self):
        """Mark the handle so the loop skips it. Nothing is removed from ``_ready`` here."""
        if not self._cancelled:
            self._cancelled = True
            # Drop references early, so a cancelled handle does not keep objects alive.
            self._callback = None
            self._args = None

    def cancelled(self):
        return self._cancelled

    def _run(self):
        """Call the callback. An exception goes to the loop's exception handler, so one
        failing callback never stops the loop."""
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            cb = format_callback_source(self._callback, self._args)
            self._loop.call_exception_handler({
                "message": f"Exception in callback {cb}",
                "exception": exc,
                "handle": self,
            })
        self = None  # break the reference cycle through the traceback, as CPython does


# ---------------------------------------------------------------- TimerHandle

class TimerHandle(Handle):
    """A Handle with a deadline. Ordered by ``when`` so it can live in a heap."""

    __slots__ = ("_scheduled", "_when")

    def __init__(self, when, callback, args, loop, context=None):
        super().__init__(callback, args, loop, context)
        self._when = when
        self._scheduled = False   # True while it sits in loop._scheduled

    def _repr_info(self):
        info = super()._repr_info()
        pos = 2 if self._cancelled else 1
        info.insert(pos, f"when={self._when}")
        return info

    def __hash__(self):
        return hash(self._when)

    # heapq only needs __lt__. As in CPython, __eq__ compares deadline, callback, args and
    # cancelled (not just `when`); defining __eq__ removes the default __hash__, hence the
    # __hash__ above.
    def __lt__(self, other):
        return self._when < other._when

    def __le__(self, other):
        return self._when < other._when or self.__eq__(other)

    def __gt__(self, other):
        return self._when > other._when

    def __ge__(self, other):
        return self._when > other._when or self.__eq__(other)

    def __eq__(self, other):
        if isinstance(other, TimerHandle):
            return (self._when == other._when and self._callback == other._callback
                    and self._args == other._args and self._cancelled == other._cancelled)
        return NotImplemented

    def cancel(self):
        if not self._cancelled:
            # Tell the loop, which counts cancelled timers still in its heap (see _run_once).
            self._loop._timer_handle_cancelled(self)
        super().cancel()

    def when(self):
        """The absolute loop time (``loop.time()`` clock) at which the callback is due."""
        return self._when


# ---------------------------------------------------------------- which loop is running?

class _RunningLoop(threading.local):
    # (loop, pid): after a fork the child must not think its parent's loop is running.
    loop_pid = (None, None)
    current = None          # the loop set_event_loop() chose for this thread
    set_called = False      # set_event_loop() was called (even with None)


_state = _RunningLoop()


def _get_running_loop():
    """The running minloop loop of this thread, or None (no error: for internal use)."""
    loop, pid = _state.loop_pid
    if loop is not None and pid == os.getpid():
        return loop
    return None


def _set_running_loop(loop):
    _state.loop_pid = (loop, os.getpid())


def get_running_loop():
    """Return the running event loop; raise RuntimeError if there is none."""
    loop = _get_running_loop()
    if loop is None:
        raise RuntimeError("no running event loop")
    return loop


def get_event_loop():
    """The running loop if there is one, else this thread's current loop. As asyncio 3.11's
    default policy does, one is created on first use in the main thread, but only if
    set_event_loop() was never called (run() calls set_event_loop(None) when it finishes)."""
    loop = _get_running_loop()
    if loop is not None:
        return loop
    if _state.current is None:
        if _state.set_called or threading.current_thread() is not threading.main_thread():
            raise RuntimeError("There is no current event loop in thread %r."
                               % threading.current_thread().name)
        set_event_loop(new_event_loop())
    return _state.current


def set_event_loop(loop):
    """Make ``loop`` this thread's current loop (what get_event_loop() returns)."""
    if loop is not None and not isinstance(loop, AbstractEventLoop):
        raise TypeError(f"loop must be an instance of AbstractEventLoop or None, "
                        f"not '{type(loop).__name__}'")
    _state.set_called = True
    _state.current = loop


def new_event_loop(*, clock=None):
    """A fresh minloop loop. Pass ``clock=VirtualClock()`` for virtual time."""
    from .selector_events import SelectorEventLoop   # imported late: it imports us
    return SelectorEventLoop(clock=clock)

