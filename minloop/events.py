"""Handles, timer handles and the "which loop is running?" registry.

Simplifies CPython's asyncio/events.py:

1. A Handle is a callback plus its arguments plus the contextvars Context it runs in. The loop
   never calls your function directly: it stores a Handle in ``_ready`` and later calls
   ``handle._run()``.
2. A TimerHandle is a Handle with a deadline, ``when``; the loop keeps them in a heap ordered
   by ``when``.
3. The running-loop registry is per thread. CPython keeps it in C (``_asyncio``).
   The *current* loop (what get_event_loop() returns outside a running loop) belongs to the
   event loop *policy*, as in CPython: ``get_event_loop()``, ``set_event_loop()`` and
   ``new_event_loop()`` ask ``get_event_loop_policy()``. minloop's policy is a separate object
   from asyncio's: ``asyncio.set_event_loop_policy(minloop.DefaultEventLoopPolicy())`` makes
   asyncio's own functions create minloop loops. (Policies are deprecated in 3.14.)
4. While a minloop loop runs, it also registers itself with asyncio's own registry, so that
   stdlib asyncio code calling ``asyncio.get_running_loop()`` finds it (this is how uvloop
   plugs in too). See ``BaseEventLoop.run_forever``.
"""

import contextvars
import os
import sys
import threading
# A plain class of methods that raise NotImplementedError. minloop's loop subclasses
# asyncio's own (base_events), so isinstance() checks accept it with either module.
from asyncio.events import AbstractEventLoop, AbstractEventLoopPolicy

from . import format_helpers
from .format_helpers import format_callback_source

__all__ = (
    "AbstractEventLoopPolicy", "AbstractEventLoop",
    "Handle", "TimerHandle",
    "get_event_loop_policy", "set_event_loop_policy",
    "get_running_loop", "get_event_loop", "set_event_loop", "new_event_loop",
    "_get_running_loop", "_set_running_loop",
)


# ---------------------------------------------------------------- Handle

class Handle:
    """A callback scheduled on the loop: ``callback(*args)`` run inside ``context``.

    In debug mode a Handle also records where it was made (``_source_traceback``), shown in
    its repr ("created at file:line") and given to the exception handler."""

    __slots__ = ("_callback", "_args", "_cancelled", "_loop", "_source_traceback", "_repr",
                 "__weakref__", "_context")

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
        self._repr = None
        # Speed trick: CPython calls self._loop.get_debug(); a Handle is made for every
        # callback and every step of a Task, and reading the attribute instead of calling
        # the method saves ~50 ns of the ~650 ns a callback costs (call_soon workload, 8%).
        # minloop's Handles always belong to a minloop loop, so the attribute is there.
        if loop._debug:
            self._source_traceback = format_helpers.extract_stack(sys._getframe(1))
        else:
            self._source_traceback = None

    def _repr_info(self):
        info = [self.__class__.__name__]
        if self._cancelled:
            info.append("cancelled")
        if self._callback is not None:
            info.append(format_callback_source(self._callback, self._args))
        if self._source_traceback:
            frame = self._source_traceback[-1]
            info.append(f"created at {frame[0]}:{frame[1]}")
        return info

    def __repr__(self):
        if self._repr is not None:
            return self._repr
        return "<{}>".format(" ".join(self._repr_info()))

    def cancel(self):
        """Mark the handle so the loop skips it. Nothing is removed from ``_ready`` here."""
        if not self._cancelled:
            self._cancelled = True
            if self._loop._debug:   # get_debug() in CPython: see the speed trick in __init__
                # Keep the repr with the callback in it, for "Executing <Handle ...> took
                # 0.5 seconds" and the exception handler.
                self._repr = repr(self)
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
            context = {
                "message": f"Exception in callback {cb}",
                "exception": exc,
                "handle": self,
            }
            if self._source_traceback:
                context["source_traceback"] = self._source_traceback
            self._loop.call_exception_handler(context)
        self = None  # break the reference cycle through the traceback, as CPython does


# ---------------------------------------------------------------- TimerHandle

class TimerHandle(Handle):
    """A Handle with a deadline. Ordered by ``when`` so it can live in a heap."""

    __slots__ = ("_scheduled", "_when")

    def __init__(self, when, callback, args, loop, context=None):
        super().__init__(callback, args, loop, context)
        if self._source_traceback:
            del self._source_traceback[-1]   # the frame of this __init__
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
    # __hash__ above. Comparing with anything but a TimerHandle returns NotImplemented, so
    # `handle < 5` raises Python's own TypeError.
    def __lt__(self, other):
        # Speed trick: CPython tests isinstance(other, TimerHandle) first, as the other
        # three do below. heapq calls __lt__ about 17 times per timer pushed and popped on
        # a heap of 100,000; asking the attribute and catching its absence costs nothing
        # when it is there (try is free in 3.11) and saves the isinstance() call:
        # 4% of the timers workload.
        try:
            return self._when < other._when
        except AttributeError:
            return NotImplemented

    def __le__(self, other):
        if isinstance(other, TimerHandle):
            return self._when < other._when or self.__eq__(other)
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, TimerHandle):
            return self._when > other._when
        return NotImplemented

    def __ge__(self, other):
        if isinstance(other, TimerHandle):
            return self._when > other._when or self.__eq__(other)
        return NotImplemented

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

class BaseDefaultEventLoopPolicy(AbstractEventLoopPolicy):
    """One current loop per thread. As asyncio 3.11's policy, get_event_loop() makes one on
    first use in the main thread, but only if set_event_loop() was never called there
    (run() calls set_event_loop(None) when it finishes); other threads get none.
    ``_loop_factory`` is set by unix_events.DefaultEventLoopPolicy."""

    _loop_factory = None

    class _Local(threading.local):
        _loop = None
        _set_called = False

    def __init__(self):
        self._local = self._Local()

    def get_event_loop(self):
        if (self._local._loop is None and not self._local._set_called
                and threading.current_thread() is threading.main_thread()):
            self.set_event_loop(self.new_event_loop())
        if self._local._loop is None:
            raise RuntimeError("There is no current event loop in thread %r."
                               % threading.current_thread().name)
        return self._local._loop

    def set_event_loop(self, loop):
        self._local._set_called = True   # before the type check, as in CPython
        if loop is not None and not isinstance(loop, AbstractEventLoop):
            raise TypeError(f"loop must be an instance of AbstractEventLoop or None, "
                            f"not '{type(loop).__name__}'")
        self._local._loop = loop

    def new_event_loop(self):
        return self._loop_factory()


# The policy is global; the loops it hands out are per thread. Made on first use.
_event_loop_policy = None
_lock = threading.Lock()


def _init_event_loop_policy():
    global _event_loop_policy
    with _lock:
        if _event_loop_policy is None:
            from .unix_events import DefaultEventLoopPolicy   # imported late: it imports us
            _event_loop_policy = DefaultEventLoopPolicy()


def get_event_loop_policy():
    """The current event loop policy (minloop's own, not asyncio's)."""
    if _event_loop_policy is None:
        _init_event_loop_policy()
    return _event_loop_policy


def set_event_loop_policy(policy):
    """Set the policy; None restores the default one (made again on next use)."""
    global _event_loop_policy
    if policy is not None and not isinstance(policy, AbstractEventLoopPolicy):
        raise TypeError(f"policy must be an instance of AbstractEventLoopPolicy or None, "
                        f"not '{type(policy).__name__}'")
    _event_loop_policy = policy


class _RunningLoop(threading.local):
    # (loop, pid): after a fork the child must not think its parent's loop is running.
    loop_pid = (None, None)


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
    """The running loop if there is one, else the policy's current loop for this thread."""
    loop = _get_running_loop()
    if loop is not None:
        return loop
    return get_event_loop_policy().get_event_loop()


def set_event_loop(loop):
    """Make ``loop`` this thread's current loop: get_event_loop_policy().set_event_loop(loop)."""
    get_event_loop_policy().set_event_loop(loop)


def new_event_loop(*, clock=None):
    """A fresh loop from the policy: get_event_loop_policy().new_event_loop().

    minloop only: ``clock=VirtualClock()`` gives a loop on virtual time; the policy's
    factory must then accept ``clock`` (minloop's does)."""
    policy = get_event_loop_policy()
    if clock is None:
        return policy.new_event_loop()
    return policy._loop_factory(clock=clock)
