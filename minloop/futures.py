"""Future: a box for a result that is not there yet, and a list of who to tell.

Simplifies CPython's asyncio/futures.py (the pure-Python ``_PyFuture``; what normally runs is
the C version in ``_asyncio``):

1. Three states: PENDING, then exactly one of FINISHED (result or exception) or CANCELLED.
2. Done-callbacks never run synchronously: finishing a Future *schedules* each callback with
   ``loop.call_soon``, so they run on a later pass of ``_run_once``.
3. ``await fut`` yields the Future itself to the Task driving the coroutine; the Task then
   adds a done-callback to wake up when the Future finishes (see tasks.py). The attribute
   ``_asyncio_future_blocking`` is the flag both sides check; asyncio's own Task checks it
   too, which is why stdlib asyncio code can await a minloop Future.
4. An exception nobody retrieved is reported to the loop's exception handler when the Future
   is garbage-collected.
5. Error messages follow the C Future that asyncio users meet ("Result is not set.",
   "invalid state"); CPython's pure-Python fallback words them differently.
6. What asyncio's C Future does and CPython's pure-Python one does not is done here too:
   set_exception() refuses what is not an exception, debug mode records the whole stack
   where a Future was made, and an exception raised out of result() leaves no reference
   cycle behind, so a failed Future is freed (and reported) without the cyclic collector.
7. ``__slots__`` keeps Futures and Tasks small (see benchmarks/). The ``__dict__`` slot
   still lets you hang your own attributes on one (``task.tag = 1``), as asyncio's C
   Future allows; the dict is only made if you do.
8. Where a pure-Python Future cannot be the C one: ``await`` on a Future that has already
   failed adds two frames to the exception's traceback (``__next__`` and ``result``; the C
   Future has none; an exception that wakes a Task loses them, see Task.__wakeup). And
   ``fut.__await__()`` returns the Future itself (see ``__await__``), so it has no
   ``send``/``throw``/``close``, which the C Future's small iterator object has: code that
   drives an ``__await__`` iterator with ``send()`` fails here. (The Future cannot simply
   grow those methods: with them it would pass for a coroutine, ``collections.abc.Coroutine``.)
"""

import concurrent.futures
import contextvars
import reprlib
import sys
import traceback
import types

from . import events
from .exceptions import CancelledError, InvalidStateError, TimeoutError
from .format_helpers import format_callback_source

__all__ = ("Future", "isfuture", "wrap_future")

_PENDING = "PENDING"
_CANCELLED = "CANCELLED"
_FINISHED = "FINISHED"


def isfuture(obj):
    """True for anything that speaks the asyncio Future protocol (minloop's, asyncio's...)."""
    return (hasattr(obj.__class__, "_asyncio_future_blocking") and
            obj._asyncio_future_blocking is not None)


def _get_loop(fut):
    try:
        get_loop = fut.get_loop
    except AttributeError:
        return fut._loop
    return get_loop()


class Future:
    """A result that will be set later, by someone else, on this loop."""

    # Memory matters: a program may hold 100,000 waiting Tasks, each waiting on a Future.
    # __slots__ gives the attributes every Future uses a fixed place (no dict per instance).
    __slots__ = ("_state", "_result", "_exception", "_loop", "_callback0", "_context0",
                 "_callbacks", "_asyncio_future_blocking", "_log_traceback",
                 "__weakref__", "__dict__")

    # Attributes most Futures never set are class-level defaults, as in CPython's
    # pure-Python Future: reading one on a fresh Future finds the class's None, and setting
    # one (on cancel, or a failure) puts it in that instance's __dict__, made only then.
    _exception_tb = None
    _source_traceback = None      # CPython's debug mode records where a Future was made
    _cancel_message = None
    _cancelled_exc = None

    __class_getitem__ = classmethod(types.GenericAlias)   # so Future[int] works in hints

    def __init__(self, *, loop=None):
        # The two attributes __del__ reads come first: if finding a loop fails below,
        # __del__ still runs on the half-made object, and must find them.
        self._state = _PENDING
        self._log_traceback = False
        self._result = None
        self._exception = None
        self._loop = events.get_event_loop() if loop is None else loop
        if self._loop.get_debug():
            # Debug mode: remember where the Future was made, for its repr ("created at")
            # and for the exception handler (the 'source_traceback' key). The whole stack,
            # as the C Future records it (CPython's pure-Python one keeps the last 10
            # frames, with format_helpers.extract_stack, as Handles do).
            self._source_traceback = traceback.extract_stack(sys._getframe(1))
        # Done-callbacks. Most Futures get exactly one (the Task waiting on it), so the first
        # is kept in two fields of its own and a list is made only for a second one: no
        # list and no (fn, context) tuple per waiting Task. CPython's C Future does the
        # same (fut_callback0, fut_context0).
        self._callback0 = None
        self._context0 = None
        self._callbacks = None
        # True while the Future is being yielded by __await__ to a Task (see module doc).
        self._asyncio_future_blocking = False

    # ------------------------------------------------------------ repr

    def _repr_info(self):
        info = [self._state.lower()]
        if self._state == _FINISHED:
            if self._exception is not None:
                info.append(f"exception={self._exception!r}")
            else:
                info.append(f"result={_short_repr(self._result)}")
        callbacks = self._callback_list()
        if callbacks:
            info.append(_format_callbacks(callbacks))
        if self._source_traceback:
            frame = self._source_traceback[-1]
            info.append(f"created at {frame[0]}:{frame[1]}")
        return info

    @reprlib.recursive_repr()   # a Future whose result is itself shows "..." there
    def __repr__(self):
        return "<{} {}>".format(self.__class__.__name__, " ".join(self._repr_info()))

    def __del__(self):
        # getattr: __del__ also runs on a Future whose __init__ never ran (Future(5)).
        if not getattr(self, "_log_traceback", False):
            return
        context = {
            "message": f"{self.__class__.__name__} exception was never retrieved",
            "exception": self._exception,
            "future": self,
        }
        if self._source_traceback:
            context["source_traceback"] = self._source_traceback
        self._loop.call_exception_handler(context)

    # ------------------------------------------------------------ reading the state

    def get_loop(self):
        return self._loop

    def cancelled(self):
        return self._state == _CANCELLED

    def done(self):
        """Done means a result or exception is set, or the Future was cancelled."""
        return self._state != _PENDING

    def _make_cancelled_error(self):
        """The CancelledError to raise: the one that cancelled a Task if we kept it (so its
        traceback shows where the cancellation came from), else a new one with the message."""
        if self._cancelled_exc is not None:
            exc = self._cancelled_exc
            self._cancelled_exc = None
            return exc
        if self._cancel_message is None:
            return CancelledError()
        return CancelledError(self._cancel_message)

    def result(self):
        """The result; or raise the exception, CancelledError, or InvalidStateError if the
        Future is not done yet."""
        if self._state == _CANCELLED:
            try:
                raise self._make_cancelled_error()
            finally:
                self = None   # the same cycle as below, through the CancelledError
        if self._state != _FINISHED:
            raise InvalidStateError("Result is not set.")
        self._log_traceback = False
        if self._exception is not None:
            # Re-raise with the traceback it had when set, so each result() call does not
            # grow the traceback with another frame. This frame joins that traceback, and
            # its `self` would make a cycle (Future -> exception -> traceback -> frame ->
            # Future) that only the cyclic collector frees: drop it on the way out. (The
            # C Future that asyncio runs has no frame here, so it never makes the cycle.)
            try:
                raise self._exception.with_traceback(self._exception_tb)
            finally:
                self = None
        return self._result

    def exception(self):
        """The exception set (None if a result was set); same errors as result()."""
        if self._state == _CANCELLED:
            try:
                raise self._make_cancelled_error()
            finally:
                self = None   # as in result()
        if self._state != _FINISHED:
            raise InvalidStateError("Exception is not set.")
        self._log_traceback = False
        return self._exception

    # ------------------------------------------------------------ callbacks

    def add_done_callback(self, fn, *, context=None):
        """Call ``fn(future)`` once the Future is done, through the loop's ready queue (even
        if it is done already)."""
        if self._state != _PENDING:
            self._loop.call_soon(fn, self, context=context)
        else:
            if context is None:
                context = contextvars.copy_context()
            if self._callback0 is None and not self._callbacks:
                self._callback0, self._context0 = fn, context
            elif self._callbacks is None:
                self._callbacks = [(fn, context)]
            else:
                self._callbacks.append((fn, context))

    def remove_done_callback(self, fn):
        """Remove every registration of ``fn``; return how many there were."""
        removed_count = 0
        if self._callback0 is not None and self._callback0 == fn:
            self._callback0 = self._context0 = None
            removed_count = 1
        if self._callbacks:
            filtered = [(f, ctx) for (f, ctx) in self._callbacks if f != fn]
            removed_count += len(self._callbacks) - len(filtered)
            self._callbacks = filtered or None
        return removed_count

    def _callback_list(self):
        """All (callback, context) pairs, in the order they will be called."""
        first = [] if self._callback0 is None else [(self._callback0, self._context0)]
        return first + (self._callbacks or [])

    def _schedule_callbacks(self):
        """The one place a Future hands its callbacks to the loop (CPython: __schedule_callbacks)."""
        if self._callback0 is not None:
            callback, ctx = self._callback0, self._context0
            self._callback0 = self._context0 = None
            self._loop.call_soon(callback, self, context=ctx)
        callbacks = self._callbacks
        if callbacks:
            self._callbacks = None
            for callback, ctx in callbacks:
                self._loop.call_soon(callback, self, context=ctx)

    # ------------------------------------------------------------ completing

    def cancel(self, msg=None):
        """Cancel a pending Future and schedule its callbacks. False if already done."""
        self._log_traceback = False
        if self._state != _PENDING:
            return False
        self._state = _CANCELLED
        self._cancel_message = msg
        self._schedule_callbacks()
        return True

    def set_result(self, result):
        if self._state != _PENDING:
            raise InvalidStateError("invalid state")
        self._result = result
        self._state = _FINISHED
        self._schedule_callbacks()

    def set_exception(self, exception):
        if self._state != _PENDING:
            raise InvalidStateError("invalid state")
        # The C Future's checks: an exception class is instantiated; anything that is not
        # then an exception is refused before the Future is touched. (CPython's pure-Python
        # Future skips the second check and fails later, in __del__ or result().)
        if isinstance(exception, type) and issubclass(exception, BaseException):
            exception = exception()
        if not isinstance(exception, BaseException):
            raise TypeError("invalid exception object")
        if type(exception) is StopIteration:
            raise TypeError("StopIteration interacts badly with generators "
                            "and cannot be raised into a Future")
        self._exception = exception
        self._exception_tb = exception.__traceback__
        self._state = _FINISHED
        self._schedule_callbacks()
        self._log_traceback = True

    # ------------------------------------------------------------ await

    # `await fut` asks fut.__await__() for an iterator and pulls values from it; each value
    # pulled goes straight up to the Task running the coroutine. CPython's pure-Python
    # Future writes __await__ as a generator:
    #
    #     if not self.done():
    #         self._asyncio_future_blocking = True
    #         yield self                  # the Task receives the Future and waits on it
    #     if not self.done():
    #         raise RuntimeError("await wasn't used with future")
    #     return self.result()
    #
    # minloop's Future is its own iterator instead, which behaves the same for a Task and
    # costs no extra object per await (a generator frame is ~200 bytes for every waiting
    # Task; CPython's C Future uses a small iterator object for the same reason). So when
    # reading CPython's futures.py beside this one, here is where the two are shaped
    # differently while doing the same thing.

    def __await__(self):
        return self

    __iter__ = __await__  # so `yield from future` works in generator-based code

    def __next__(self):
        if self._state == _PENDING:
            if self._asyncio_future_blocking:
                # Yielded once already and no Task took it (a Task resets the flag): this
                # is not an `await` driven by a Task (e.g. list(fut)). CPython's message.
                raise RuntimeError("await wasn't used with future")
            self._asyncio_future_blocking = True
            return self                       # like `yield self`
        try:
            raise StopIteration(self.result())    # like `return self.result()` (may raise)
        finally:
            self = None   # result()'s exception passes through this frame: see result()


# ---------------------------------------------------------------- small helpers

def _short_repr(value):
    return reprlib.repr(value)


def _format_callbacks(cb):
    def fmt(item):
        return format_callback_source(item[0], ())

    size = len(cb)
    if size == 1:
        text = fmt(cb[0])
    elif size == 2:
        text = f"{fmt(cb[0])}, {fmt(cb[1])}"
    else:
        text = f"{fmt(cb[0])}, <{size - 2} more>, {fmt(cb[-1])}"
    return f"cb=[{text}]"


def _set_result_unless_cancelled(fut, result):
    """Helper for sleep(): the timer may fire after the sleeping Task was cancelled."""
    if fut.cancelled():
        return
    fut.set_result(result)


# ---------------------------------------------------------------- threads' futures

def _convert_future_exc(exc):
    """concurrent.futures has its own CancelledError, TimeoutError and InvalidStateError
    (in 3.11 its TimeoutError is the builtin, like asyncio's); a loop Future gets asyncio's."""
    exc_class = type(exc)
    if exc_class is concurrent.futures.CancelledError:
        return CancelledError(*exc.args)
    elif exc_class is concurrent.futures.TimeoutError:
        return TimeoutError(*exc.args)
    elif exc_class is concurrent.futures.InvalidStateError:
        return InvalidStateError(*exc.args)
    else:
        return exc


def _set_concurrent_future_state(concurrent, source):
    """Copy a finished loop Future's outcome into a concurrent.futures.Future."""
    assert source.done()
    if source.cancelled():
        concurrent.cancel()
    if not concurrent.set_running_or_notify_cancel():
        return
    exception = source.exception()
    if exception is not None:
        concurrent.set_exception(_convert_future_exc(exception))
    else:
        concurrent.set_result(source.result())


def _copy_future_state(source, dest):
    """Copy a finished Future's outcome (a loop Future or a concurrent.futures.Future) into
    the loop Future ``dest``."""
    assert source.done()
    if dest.cancelled():
        return
    assert not dest.done()
    if source.cancelled():
        dest.cancel()
    else:
        exception = source.exception()
        if exception is not None:
            dest.set_exception(_convert_future_exc(exception))
        else:
            dest.set_result(source.result())


def _chain_future(source, destination):
    """When ``source`` finishes, finish ``destination`` the same way; when ``destination`` is
    cancelled, cancel ``source``. Either may be a loop Future or a concurrent.futures.Future
    (wrap_future and run_coroutine_threadsafe chain one of each).

    A concurrent Future is finished in *some* thread; we hop to the loop's thread with
    call_soon_threadsafe before touching a loop Future."""
    if not isfuture(source) and not isinstance(source, concurrent.futures.Future):
        raise TypeError("A future is required for source argument")
    if not isfuture(destination) and not isinstance(destination, concurrent.futures.Future):
        raise TypeError("A future is required for destination argument")
    source_loop = _get_loop(source) if isfuture(source) else None
    dest_loop = _get_loop(destination) if isfuture(destination) else None

    def _set_state(future, other):
        if isfuture(future):
            _copy_future_state(other, future)
        else:
            _set_concurrent_future_state(future, other)

    def _call_check_cancel(destination):
        if destination.cancelled():
            if source_loop is None or source_loop is dest_loop:
                source.cancel()
            else:
                source_loop.call_soon_threadsafe(source.cancel)

    def _call_set_state(source):
        if (destination.cancelled() and
                dest_loop is not None and dest_loop.is_closed()):
            return
        if dest_loop is None or dest_loop is source_loop:
            _set_state(destination, source)
        else:
            if dest_loop.is_closed():
                return
            dest_loop.call_soon_threadsafe(_set_state, destination, source)

    destination.add_done_callback(_call_check_cancel)
    source.add_done_callback(_call_set_state)


def wrap_future(future, *, loop=None):
    """A loop Future mirroring a concurrent.futures.Future (e.g. from a thread pool).
    Cancelling the loop Future cancels the concurrent one (if it has not started)."""
    if isfuture(future):
        return future
    # An assert, as in CPython: wrap_future(5) raises AssertionError (not under -O).
    assert isinstance(future, concurrent.futures.Future), \
        f"concurrent.futures.Future is expected, got {future!r}"
    if loop is None:
        loop = events.get_event_loop()
    new_future = loop.create_future()
    _chain_future(future, new_future)
    return new_future
