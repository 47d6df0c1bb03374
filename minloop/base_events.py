"""The event loop: a ready queue, a timer heap, a selector, and ``_run_once``.

Simplifies CPython's asyncio/base_events.py (BaseEventLoop) and selector_events.py
(BaseSelectorEventLoop) into one class, with the same attribute names and the same phases:

1. ``_ready`` is a deque of Handles to run; ``_scheduled`` is a heap of TimerHandles; the
   selector maps file descriptors to reader/writer Handles. Nothing else holds work.
2. ``_run_once`` is one iteration: purge cancelled timers, compute how long select may block,
   select, turn IO events into ready Handles, move due timers to ready, then run exactly the
   Handles that were ready when the run phase began.
3. minloop adds two things CPython lacks: a pluggable clock (``VirtualClock`` makes the loop
   jump over idle time instead of sleeping) and a tracing hook (``_tracer``) called at each
   phase, which the stepper widget and the text trace read.
4. It subclasses asyncio.AbstractEventLoop (a plain class of methods that raise
   NotImplementedError), so code that checks ``isinstance(loop, AbstractEventLoop)`` or
   calls ``asyncio.set_event_loop(loop)`` accepts it, and what minloop leaves out fails
   with NotImplementedError rather than AttributeError.
5. Debug mode (``PYTHONASYNCIODEBUG=1``, ``python -X dev``, ``loop.set_debug(True)``) does
   what CPython's does: thread and callback checks in call_soon/call_at, callbacks slower than
   ``slow_callback_duration`` logged ("Executing <Handle ...> took 0.500 seconds"), Handles
   and Futures that remember where they were made, coroutines that remember where they were
   created (``sys.set_coroutine_origin_tracking_depth``).
6. Networking (transports, servers, the sock_* helpers, getaddrinfo) is built on
   add_reader/add_writer in selector_events.py (BaseSelectorEventLoop); signal handlers and
   child processes in unix_events.py (_UnixSelectorEventLoop, the class new_event_loop()
   returns). subprocess_exec/subprocess_shell are here, as in CPython: they check their
   arguments and ask the subclass for a subprocess transport.
"""

import collections
import concurrent.futures
import heapq
import logging
import math
import selectors
import socket
import subprocess
import sys
import threading
import time
import traceback
import warnings
import weakref

from . import coroutines, events, futures, tasks
from .clock import real_time
from .format_helpers import DEBUG_STACK_DEPTH

__all__ = ("BaseEventLoop",)

# Module-level constants with CPython's names and values.
_MIN_SCHEDULED_TIMER_HANDLES = 100          # below this many timers, never rebuild the heap
_MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5  # rebuild when more than half are cancelled
MAXIMUM_SELECT_TIMEOUT = 24 * 3600          # select() rejects very large timeouts on some OSes

# asyncio logs to the "asyncio" logger; minloop logs to the same one, so code that configures
# asyncio's logging (or a test that captures it) sees minloop's messages in the same place.
logger = logging.getLogger("asyncio")

# asyncio's own running-loop registry (in C in CPython); see run_forever.
from asyncio import events as _asyncio_events


def _format_handle(handle):
    """How a slow callback is named in debug mode's warning: a Task's step by the Task."""
    cb = handle._callback
    if isinstance(getattr(cb, "__self__", None), tasks.Task):
        return repr(cb.__self__)
    return str(handle)


def _format_pipe(fd):
    if fd == subprocess.PIPE:
        return "<pipe>"
    elif fd == subprocess.STDOUT:
        return "<stdout>"
    return repr(fd)


def _check_subprocess_args(bufsize, text, encoding, errors):
    # The checks subprocess_shell and subprocess_exec share, in CPython's order.
    if bufsize != 0:
        raise ValueError("bufsize must be 0")
    if text:
        raise ValueError("text must be False")
    if encoding is not None:
        raise ValueError("encoding must be None")
    if errors is not None:
        raise ValueError("errors must be None")


def _run_until_complete_cb(fut):
    if not fut.cancelled():
        exc = fut.exception()
        if isinstance(exc, (SystemExit, KeyboardInterrupt)):
            # The loop is about to stop with this exception anyway.
            return
    futures._get_loop(fut).stop()


class BaseEventLoop(_asyncio_events.AbstractEventLoop):
    """A selector event loop with CPython's names. Create one with ``minloop.new_event_loop()``."""

    def __init__(self, selector=None, *, clock=None):
        self._closed = False
        self._stopping = False
        self._ready = collections.deque()       # Handles to run on the next run phase
        self._scheduled = []                    # heap of TimerHandles, earliest first
        self._timer_cancelled_count = 0         # cancelled TimerHandles still in the heap
        self._default_executor = None
        self._executor_shutdown_called = False
        self._executor_jobs = 0                 # run_in_executor calls still in flight
        self._exception_handler = None
        self._task_factory = None
        self._thread_id = None                  # set while running: the loop's thread
        self.set_debug(coroutines._is_debug_mode())   # -X dev or PYTHONASYNCIODEBUG
        # In debug mode, a callback (or a Task's step) that runs longer than this many
        # seconds is logged.
        self.slow_callback_duration = 0.1
        self._current_handle = None             # in debug mode: the Handle being run
        self._coroutine_origin_tracking_enabled = False
        self._coroutine_origin_tracking_saved_depth = None
        self._asyncgens = weakref.WeakSet()
        self._asyncgens_shutdown_called = False
        self._tracer = None                     # callable(phase, loop, **info), or None
        # A timer counts as due if it is within one clock tick of now (phase 5). It is > 0
        # on a virtual clock too, or a timer due exactly "now" could never be due (and the
        # virtual clock jumps to a deadline exactly: see _select_virtual).
        self._clock_resolution = time.get_clock_info("monotonic").resolution
        self._clock = clock
        # loop.time() is called for every call_later; binding the clock's function as an
        # instance attribute spares a method call. Not done for a subclass that overrides
        # time() (a test's fake clock, say), which must keep working.
        if type(self).time is BaseEventLoop.time:
            self.time = real_time if clock is None else clock.time
        if selector is None:
            selector = selectors.DefaultSelector()
        logger.debug("Using selector: %s", selector.__class__.__name__)
        self._selector = selector
        self._internal_fds = 0
        self._make_self_pipe()

    def __repr__(self):
        return (f"<{self.__class__.__name__} running={self.is_running()} "
                f"closed={self.is_closed()} debug={self.get_debug()}>")

    def __del__(self, _warn=warnings.warn):
        # A loop nobody closed: say so (a ResourceWarning, shown under -X dev) and close it,
        # so its self-pipe sockets and selector are not leaked. (_warn is bound early: this
        # may run at interpreter exit, when the warnings module is half gone.)
        if not getattr(self, "_closed", True):   # getattr: __init__ may have failed early
            _warn(f"unclosed event loop {self!r}", ResourceWarning, source=self)
            if not self.is_running():
                self.close()

    # ------------------------------------------------------------ the clock

    def time(self):
        """The loop's notion of now: time.monotonic(), or the virtual clock's time."""
        return real_time() if self._clock is None else self._clock.time()

    # ------------------------------------------------------------ scheduling callbacks

    def call_soon(self, callback, *args, context=None):
        """Arrange for ``callback(*args)`` to run on the next iteration, after those already
        queued (FIFO). Returns a Handle that can cancel it."""
        if self._closed:   # _check_closed(), inlined: this is the loop's hottest method
            raise RuntimeError("Event loop is closed")
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_soon")
        handle = self._call_soon(callback, args, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]   # debug mode: the frame of call_soon itself
        return handle

    def _call_soon(self, callback, args, context):
        """call_soon without its checks (CPython has the same split, and calls it from
        call_soon and call_soon_threadsafe). minloop's Task also calls it directly for a
        bare ``yield`` (sleep(0)), to skip call_soon's checks on its hottest path: a speed
        trick (see Task.__step)."""
        handle = events.Handle(callback, args, self, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
        self._ready.append(handle)
        return handle

    def call_later(self, delay, callback, *args, context=None):
        """Arrange for ``callback(*args)`` to run ``delay`` seconds from now."""
        if delay is None:
            raise TypeError("delay must not be None")
        timer = self.call_at(self.time() + delay, callback, *args, context=context)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        return timer

    def call_at(self, when, callback, *args, context=None):
        """Arrange for ``callback(*args)`` to run at loop time ``when``."""
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_at")
        timer = events.TimerHandle(when, callback, args, self, context)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def call_soon_threadsafe(self, callback, *args, context=None):
        """Like call_soon, but safe from another thread: also wakes the loop if it is blocked
        in select(), by writing a byte to the self-pipe."""
        self._check_closed()
        if self._debug:
            self._check_callback(callback, "call_soon_threadsafe")
        handle = self._call_soon(callback, args, context)   # deque.append is atomic
        if handle._source_traceback:
            del handle._source_traceback[-1]
        self._write_to_self()
        return handle

    def _timer_handle_cancelled(self, handle):
        """Called by TimerHandle.cancel(): the handle stays in the heap, we only count it."""
        if handle._scheduled:
            self._timer_cancelled_count += 1

    # ------------------------------------------------------------ one iteration

    def _run_once(self):
        """Run one full iteration of the event loop: the heart of asyncio.

        Phases, in CPython's order: (1) purge cancelled timers, (2) compute the select
        timeout, (3) select, (4) process IO events, (5) move due timers to ``_ready``,
        (6) run the handles that are ready.

        The comments ``# (1)`` ... ``# (6)`` below are an interface, not just prose: each
        marks the first line of its phase, and ``minloop.tracing.phase_marks`` parses them
        for the stepper (which highlights the running phase's lines) and for
        images/make_images.py (which takes each phase's title from its comment's first
        clause). Keep them, once each and in order, with a short first clause.
        """
        trace = self._tracer

        # (1) Purge cancelled timers. A cancelled TimerHandle stays in the heap (removing
        # from the middle of a heap is O(n)). If they are many, rebuild the heap once;
        # otherwise just pop the cancelled ones sitting at the top.
        sched_count = len(self._scheduled)
        if (sched_count > _MIN_SCHEDULED_TIMER_HANDLES and
                self._timer_cancelled_count / sched_count > _MIN_CANCELLED_TIMER_HANDLES_FRACTION):
            new_scheduled = []
            for handle in self._scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)
            heapq.heapify(new_scheduled)
            self._scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            while self._scheduled and self._scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = heapq.heappop(self._scheduled)
                handle._scheduled = False
        if trace is not None:
            trace("purge", self)

        # (2) How long may select() block? Not at all if something is ready (or we are
        # stopping); until the earliest timer if there is one; forever (None) otherwise.
        timeout = None
        if self._ready or self._stopping:
            timeout = 0
        elif self._scheduled:
            when = self._scheduled[0]._when
            timeout = min(max(0, when - self.time()), MAXIMUM_SELECT_TIMEOUT)
        if trace is not None:
            trace("timeout", self, timeout=timeout)

        # (3) Wait for IO, at most `timeout` seconds.
        if self._clock is None:
            event_list = self._selector.select(timeout)
        else:
            event_list = self._select_virtual(timeout)
        if trace is not None:
            trace("select", self, events=event_list)

        # (4) Turn IO events into ready Handles.
        self._process_events(event_list)
        event_list = None  # break reference cycles if an exception occurs
        if trace is not None:
            trace("process_events", self)

        # (5) Move timers that are due to the ready queue. `_clock_resolution` counts a
        # timer as due if it is within one clock tick, so we never select(0) in a busy loop.
        now = self.time()
        end_time = now + self._clock_resolution
        if end_time == now:
            # Far from 0 (a VirtualClock started at time.time(), say), adding 1e-9 is lost to
            # float rounding: take the next float up, so a timer due exactly now is due.
            end_time = math.nextafter(now, math.inf)
        while self._scheduled:
            handle = self._scheduled[0]
            if handle._when >= end_time:
                break
            handle = heapq.heappop(self._scheduled)
            handle._scheduled = False
            self._ready.append(handle)
        if trace is not None:
            trace("timers", self)

        # (6) This is the only place where callbacks are actually called. We run exactly
        # the handles that are ready *now*: `ntodo` is counted before the loop, so a
        # callback scheduled by one of them waits for the next iteration (after another
        # IO poll), and a callback that reschedules itself cannot starve IO.
        ntodo = len(self._ready)
        for _ in range(ntodo):
            handle = self._ready.popleft()
            if handle._cancelled:
                continue
            if trace is not None:
                trace("run", self, handle=handle)
            if self._debug:
                # Debug mode times every callback and names the slow ones.
                try:
                    self._current_handle = handle
                    t0 = self.time()
                    handle._run()
                    dt = self.time() - t0
                    if dt >= self.slow_callback_duration:
                        logger.warning("Executing %s took %.3f seconds",
                                       _format_handle(handle), dt)
                finally:
                    self._current_handle = None
            else:
                handle._run()
        handle = None  # break reference cycles if an exception occurs
        if trace is not None:
            trace("end", self)

    def _select_virtual(self, timeout):
        """Phase (3) on a virtual clock. Poll the selector without blocking; if nothing
        arrived and the loop would have slept, jump the clock forward instead.

        The jump is exact when nothing outside the loop can make progress: no file
        descriptors of the program's are registered and no run_in_executor job is running.
        When something is, select() really waits, and the clock then advances by the whole
        timeout only if the wait ran out (IO that arrives counts as instantaneous).
        Not tracked: threads the program starts itself (they may call call_soon_threadsafe
        after the clock has jumped) and an executor job whose Future was cancelled.
        """
        event_list = self._selector.select(0)
        if event_list or timeout == 0:
            return event_list
        outside_work = (len(self._selector.get_map()) - self._internal_fds) or self._executor_jobs
        if outside_work:
            event_list = self._selector.select(timeout)
            if event_list or timeout is None:
                return event_list
        elif timeout is None:
            raise RuntimeError(
                "virtual-time loop would block forever: nothing is ready, no timer is "
                "scheduled and no IO is registered (a Future that is never completed?)")
        # Jump to the earliest deadline itself (timeout was computed from it, capped at
        # MAXIMUM_SELECT_TIMEOUT), not now + timeout, which float rounding can leave short.
        self._clock.advance_to(min(self._scheduled[0]._when, self.time() + timeout))
        return event_list

    # ------------------------------------------------------------ running and stopping

    def run_forever(self):
        """Run iterations of ``_run_once`` until stop() is called."""
        self._check_closed()
        self._check_running()
        self._set_coroutine_origin_tracking(self._debug)
        self._thread_id = threading.get_ident()
        old_agen_hooks = sys.get_asyncgen_hooks()
        # Inside Jupyter the kernel's own asyncio loop is "running" in this thread. We stand
        # in for it while we run (so stdlib asyncio code finds *this* loop) and put it back
        # afterwards.
        old_asyncio_loop = self._swap_asyncio_running_loop(self)
        try:
            sys.set_asyncgen_hooks(firstiter=self._asyncgen_firstiter_hook,
                                   finalizer=self._asyncgen_finalizer_hook)
            events._set_running_loop(self)
            while True:
                self._run_once()
                if self._stopping:
                    break
        finally:
            self._stopping = False
            self._thread_id = None
            events._set_running_loop(None)
            self._swap_asyncio_running_loop(old_asyncio_loop)
            self._set_coroutine_origin_tracking(False)
            sys.set_asyncgen_hooks(*old_agen_hooks)

    @staticmethod
    def _swap_asyncio_running_loop(loop):
        old = _asyncio_events._get_running_loop()
        _asyncio_events._set_running_loop(loop)
        return old

    def run_until_complete(self, future):
        """Run until ``future`` (a Future or coroutine) is done; return its result."""
        self._check_closed()
        self._check_running()
        new_task = not futures.isfuture(future)
        future = tasks.ensure_future(future, loop=self)
        if new_task:
            # The caller cannot see this Task, so don't warn if it is destroyed pending.
            future._log_destroy_pending = False
        future.add_done_callback(_run_until_complete_cb)
        try:
            self.run_forever()
        except BaseException:
            if new_task and future.done() and not future.cancelled():
                # Mark the exception as retrieved: it is re-raised right here.
                future.exception()
            raise
        finally:
            future.remove_done_callback(_run_until_complete_cb)
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()

    def stop(self):
        """Stop after the current iteration: the handles already ready still run."""
        self._stopping = True

    def close(self):
        """Close the loop: drop pending callbacks, shut the executor down, close the selector.
        Refuses while running; closing twice is harmless."""
        if self.is_running():
            raise RuntimeError("Cannot close a running event loop")
        if self._closed:
            return
        if self._debug:
            logger.debug("Close %r", self)
        # CPython's order: the selector loop closes its self-pipe, then the base loop
        # drops callbacks and shuts the executor down, then the selector is closed.
        self._close_self_pipe()
        self._closed = True
        self._ready.clear()
        self._scheduled.clear()
        self._executor_shutdown_called = True
        executor = self._default_executor
        if executor is not None:
            self._default_executor = None
            executor.shutdown(wait=False)
        if self._selector is not None:
            self._selector.close()
            self._selector = None

    def is_running(self):
        return self._thread_id is not None

    def is_closed(self):
        return self._closed

    def _check_closed(self):
        if self._closed:
            raise RuntimeError("Event loop is closed")

    def _check_running(self):
        if self.is_running():
            raise RuntimeError("This event loop is already running")
        if events._get_running_loop() is not None:
            raise RuntimeError("Cannot run the event loop while another loop is running")

    def _check_thread(self):
        if self._thread_id is not None and self._thread_id != threading.get_ident():
            raise RuntimeError("Non-thread-safe operation invoked on an event loop other "
                               "than the current one")

    def _check_callback(self, callback, method):
        if coroutines.iscoroutine(callback) or coroutines.iscoroutinefunction(callback):
            raise TypeError(f"coroutines cannot be used with {method}()")
        if not callable(callback):
            raise TypeError(f"a callable object was expected by {method}(), got {callback!r}")

    def get_debug(self):
        return self._debug

    def set_debug(self, enabled):
        """Turn debug mode on or off (see the module docstring). Stores ``enabled`` as given,
        as CPython does: set_debug(1) makes get_debug() return 1."""
        self._debug = enabled
        if self.is_running():
            self.call_soon_threadsafe(self._set_coroutine_origin_tracking, enabled)

    def _set_coroutine_origin_tracking(self, enabled):
        """While a debug-mode loop runs, every coroutine remembers where it was created
        (``cr_origin``), so "coroutine ... was never awaited" can say where."""
        if bool(enabled) == bool(self._coroutine_origin_tracking_enabled):
            return
        if enabled:
            self._coroutine_origin_tracking_saved_depth = (
                sys.get_coroutine_origin_tracking_depth())
            sys.set_coroutine_origin_tracking_depth(DEBUG_STACK_DEPTH)
        else:
            sys.set_coroutine_origin_tracking_depth(
                self._coroutine_origin_tracking_saved_depth)
        self._coroutine_origin_tracking_enabled = enabled

    # ------------------------------------------------------------ Futures and Tasks

    def create_future(self):
        return futures.Future(loop=self)

    def create_task(self, coro, *, name=None, context=None):
        """Wrap a coroutine in a Task scheduled on this loop (or use the task factory)."""
        self._check_closed()
        if self._task_factory is None:
            task = tasks.Task(coro, loop=self, name=name, context=context)
            if task._source_traceback:
                del task._source_traceback[-1]
        else:
            if context is None:
                task = self._task_factory(self, coro)
            else:
                task = self._task_factory(self, coro, context=context)
            tasks._set_task_name(task, name)
        return task

    def set_task_factory(self, factory):
        """``factory(loop, coro, **kw)`` makes the Tasks of create_task; None restores Task."""
        if factory is not None and not callable(factory):
            raise TypeError("task factory must be a callable or None")
        self._task_factory = factory

    def get_task_factory(self):
        return self._task_factory

    # ------------------------------------------------------------ IO callbacks

    # The loop's own code calls these underscored versions, as CPython's does; the public
    # add_reader & co. below call them too. SelectorEventLoop (chapter 07) puts a check in
    # front of the public ones only: an fd that an open transport owns is refused.

    def _add_reader(self, fd, callback, *args):
        """Watch ``fd`` for reading: register it with the selector, or add EVENT_READ to the
        events it is registered for. Returns the Handle the loop will run."""
        self._check_closed()
        handle = events.Handle(callback, args, self, None)
        try:
            key = self._selector.get_key(fd)
        except KeyError:
            self._selector.register(fd, selectors.EVENT_READ, (handle, None))
        else:
            mask, (reader, writer) = key.events, key.data
            self._selector.modify(fd, mask | selectors.EVENT_READ, (handle, writer))
            if reader is not None:
                reader.cancel()
        return handle

    def _remove_reader(self, fd):
        if self.is_closed():
            return False
        try:
            key = self._selector.get_key(fd)
        except KeyError:
            return False
        mask, (reader, writer) = key.events, key.data
        mask &= ~selectors.EVENT_READ
        if not mask:
            self._selector.unregister(fd)
        else:
            self._selector.modify(fd, mask, (None, writer))
        if reader is not None:
            reader.cancel()
            return True
        return False

    def _add_writer(self, fd, callback, *args):
        """Watch ``fd`` for writing; the twin of _add_reader."""
        self._check_closed()
        handle = events.Handle(callback, args, self, None)
        try:
            key = self._selector.get_key(fd)
        except KeyError:
            self._selector.register(fd, selectors.EVENT_WRITE, (None, handle))
        else:
            mask, (reader, writer) = key.events, key.data
            self._selector.modify(fd, mask | selectors.EVENT_WRITE, (reader, handle))
            if writer is not None:
                writer.cancel()
        return handle

    def _remove_writer(self, fd):
        if self.is_closed():
            return False
        try:
            key = self._selector.get_key(fd)
        except KeyError:
            return False
        mask, (reader, writer) = key.events, key.data
        mask &= ~selectors.EVENT_WRITE
        if not mask:
            self._selector.unregister(fd)
        else:
            self._selector.modify(fd, mask, (reader, None))
        if writer is not None:
            writer.cancel()
            return True
        return False

    def add_reader(self, fd, callback, *args):
        """Call ``callback(*args)`` whenever ``fd`` is readable."""
        self._add_reader(fd, callback, *args)

    def remove_reader(self, fd):
        """Stop watching ``fd`` for reading. Returns True if it was watched."""
        return self._remove_reader(fd)

    def add_writer(self, fd, callback, *args):
        """Call ``callback(*args)`` whenever ``fd`` is writable."""
        self._add_writer(fd, callback, *args)

    def remove_writer(self, fd):
        """Stop watching ``fd`` for writing. Returns True if it was watched."""
        return self._remove_writer(fd)

    def _process_events(self, event_list):
        """Phase (4): for each (key, mask) select() returned, queue the reader and/or writer
        Handle registered for that fd."""
        for key, mask in event_list:
            fileobj, (reader, writer) = key.fileobj, key.data
            if mask & selectors.EVENT_READ and reader is not None:
                if reader._cancelled:
                    self._remove_reader(fileobj)
                else:
                    self._ready.append(reader)
            if mask & selectors.EVENT_WRITE and writer is not None:
                if writer._cancelled:
                    self._remove_writer(fileobj)
                else:
                    self._ready.append(writer)

    # ------------------------------------------------------------ the self-pipe

    def _make_self_pipe(self):
        # A socket pair whose read end is always registered: writing one byte to the other
        # end makes select() return, which is how another thread wakes a sleeping loop.
        self._ssock, self._csock = socket.socketpair()
        self._ssock.setblocking(False)
        self._csock.setblocking(False)
        self._internal_fds += 1
        self._add_reader(self._ssock.fileno(), self._read_from_self)

    def _close_self_pipe(self):
        self._remove_reader(self._ssock.fileno())
        self._ssock.close()
        self._ssock = None
        self._csock.close()
        self._csock = None
        self._internal_fds -= 1

    def _process_self_data(self, data):
        """What the bytes read from the self-pipe mean: nothing here (a thread's wake-up byte
        is b"\\0"). unix_events.py overrides it: signal.set_wakeup_fd writes signal numbers."""

    def _read_from_self(self):
        while True:
            try:
                data = self._ssock.recv(4096)
                if not data:
                    break
                self._process_self_data(data)
            except InterruptedError:
                continue
            except BlockingIOError:
                break

    def _add_callback_signalsafe(self, handle):
        """Queue an existing Handle (a signal handler's) and wake the loop."""
        if not handle._cancelled:
            self._ready.append(handle)
        self._write_to_self()

    def _write_to_self(self):
        csock = self._csock
        if csock is None:
            return
        try:
            csock.send(b"\0")
        except OSError:
            # The pipe is full (the loop will wake anyway) or closing: either way, fine.
            pass

    # ------------------------------------------------------------ threads

    def run_in_executor(self, executor, func, *args):
        """Run ``func(*args)`` in a thread pool; return a Future for its result."""
        self._check_closed()
        if self._debug:
            self._check_callback(func, "run_in_executor")
        if executor is None:
            executor = self._default_executor
            self._check_default_executor()   # only the default executor is checked
            if executor is None:
                executor = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="asyncio")
                self._default_executor = executor
        fut = futures.wrap_future(executor.submit(func, *args), loop=self)
        # Count jobs in flight so a virtual clock never jumps past work a thread is doing.
        self._executor_jobs += 1
        fut.add_done_callback(self._executor_job_done)
        return fut

    def _executor_job_done(self, fut):
        self._executor_jobs -= 1

    def _check_default_executor(self):
        if self._executor_shutdown_called:
            raise RuntimeError("Executor shutdown has been called")

    def set_default_executor(self, executor):
        if not isinstance(executor, concurrent.futures.ThreadPoolExecutor):
            raise TypeError("executor must be ThreadPoolExecutor instance")
        self._default_executor = executor

    async def shutdown_default_executor(self):
        """Wait for the default executor's threads to finish, without blocking the loop."""
        self._executor_shutdown_called = True
        if self._default_executor is None:
            return
        future = self.create_future()
        thread = threading.Thread(target=self._do_shutdown, args=(future,))
        thread.start()
        self._executor_jobs += 1   # a thread at work: a virtual clock must wait for it
        try:
            await future
        finally:
            self._executor_jobs -= 1
            thread.join()

    def _do_shutdown(self, future):
        try:
            self._default_executor.shutdown(wait=True)
            if not self.is_closed():
                self.call_soon_threadsafe(future.set_result, None)
        except Exception as ex:
            if not self.is_closed():
                self.call_soon_threadsafe(future.set_exception, ex)

    # ------------------------------------------------------------ subprocesses

    # The public methods check their arguments (bytes in and out, no buffering: the
    # transport does its own) and leave the work to _make_subprocess_transport, which
    # unix_events._UnixSelectorEventLoop implements.

    async def subprocess_shell(self, protocol_factory, cmd, *, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=False, shell=True, bufsize=0,
                               encoding=None, errors=None, text=None, **kwargs):
        """Run ``cmd`` with the shell; return (transport, protocol)."""
        if not isinstance(cmd, (bytes, str)):
            raise ValueError("cmd must be a string")
        if universal_newlines:
            raise ValueError("universal_newlines must be False")
        if not shell:
            raise ValueError("shell must be True")
        _check_subprocess_args(bufsize, text, encoding, errors)
        protocol = protocol_factory()
        debug_log = None
        if self._debug:
            # Not the arguments: they may hold a password.
            debug_log = f"run shell command {cmd!r}"
            self._log_subprocess(debug_log, stdin, stdout, stderr)
        transport = await self._make_subprocess_transport(
            protocol, cmd, True, stdin, stdout, stderr, bufsize, **kwargs)
        if self._debug and debug_log is not None:
            logger.info("%s: %r", debug_log, transport)
        return transport, protocol

    async def subprocess_exec(self, protocol_factory, program, *args, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=False, shell=False, bufsize=0,
                              encoding=None, errors=None, text=None, **kwargs):
        """Run ``program`` with ``args``, no shell; return (transport, protocol)."""
        if universal_newlines:
            raise ValueError("universal_newlines must be False")
        if shell:
            raise ValueError("shell must be False")
        _check_subprocess_args(bufsize, text, encoding, errors)
        popen_args = (program,) + args
        protocol = protocol_factory()
        debug_log = None
        if self._debug:
            debug_log = f"execute program {program!r}"
            self._log_subprocess(debug_log, stdin, stdout, stderr)
        transport = await self._make_subprocess_transport(
            protocol, popen_args, False, stdin, stdout, stderr, bufsize, **kwargs)
        if self._debug and debug_log is not None:
            logger.info("%s: %r", debug_log, transport)
        return transport, protocol

    async def _make_subprocess_transport(self, protocol, args, shell, stdin, stdout, stderr,
                                         bufsize, extra=None, **kwargs):
        """Start the child and return its transport (unix_events.py implements it)."""
        raise NotImplementedError

    def _log_subprocess(self, msg, stdin, stdout, stderr):
        info = [msg]
        if stdin is not None:
            info.append(f"stdin={_format_pipe(stdin)}")
        if stdout is not None and stderr == subprocess.STDOUT:
            info.append(f"stdout=stderr={_format_pipe(stdout)}")
        else:
            if stdout is not None:
                info.append(f"stdout={_format_pipe(stdout)}")
            if stderr is not None:
                info.append(f"stderr={_format_pipe(stderr)}")
        logger.debug(" ".join(info))

    # ------------------------------------------------------------ pipes

    # As in CPython: the public methods live here, the transports in unix_events
    # (_make_read_pipe_transport / _make_write_pipe_transport).

    async def connect_read_pipe(self, protocol_factory, pipe):
        """Wrap the read end of a pipe (a file object) in a transport."""
        protocol = protocol_factory()
        waiter = self.create_future()
        transport = self._make_read_pipe_transport(pipe, protocol, waiter)
        try:
            await waiter
        except:
            transport.close()
            raise
        if self._debug:
            logger.debug("Read pipe %r connected: (%r, %r)", pipe.fileno(), transport, protocol)
        return transport, protocol

    async def connect_write_pipe(self, protocol_factory, pipe):
        """Wrap the write end of a pipe (a file object) in a transport."""
        protocol = protocol_factory()
        waiter = self.create_future()
        transport = self._make_write_pipe_transport(pipe, protocol, waiter)
        try:
            await waiter
        except:
            transport.close()
            raise
        if self._debug:
            logger.debug("Write pipe %r connected: (%r, %r)", pipe.fileno(), transport, protocol)
        return transport, protocol

    def _make_read_pipe_transport(self, pipe, protocol, waiter=None, extra=None):
        raise NotImplementedError

    def _make_write_pipe_transport(self, pipe, protocol, waiter=None, extra=None):
        raise NotImplementedError

    # ------------------------------------------------------------ async generators

    def _asyncgen_firstiter_hook(self, agen):
        # Python calls this the first time an async generator is iterated on this thread
        # while we run: we remember it so shutdown_asyncgens() can close it.
        if self._asyncgens_shutdown_called:
            warnings.warn(f"asynchronous generator {agen!r} was scheduled after "
                          f"loop.shutdown_asyncgens() call", ResourceWarning, source=self)
        self._asyncgens.add(agen)

    def _asyncgen_finalizer_hook(self, agen):
        # Python calls this when an unfinished async generator is garbage-collected: its
        # aclose() must run on the loop, so schedule it (possibly from another thread).
        self._asyncgens.discard(agen)
        if not self.is_closed():
            self.call_soon_threadsafe(self.create_task, agen.aclose())

    async def shutdown_asyncgens(self):
        """Close every async generator still open (asyncio.run calls this before closing)."""
        self._asyncgens_shutdown_called = True
        if not len(self._asyncgens):
            return
        closing_agens = list(self._asyncgens)
        self._asyncgens.clear()
        results = await tasks.gather(*[ag.aclose() for ag in closing_agens],
                                     return_exceptions=True)
        for result, agen in zip(results, closing_agens):
            if isinstance(result, Exception):
                self.call_exception_handler({
                    "message": f"an error occurred during closing of asynchronous "
                               f"generator {agen!r}",
                    "exception": result,
                    "asyncgen": agen,
                })

    # ------------------------------------------------------------ errors nobody awaited

    def get_exception_handler(self):
        return self._exception_handler

    def set_exception_handler(self, handler):
        """``handler(loop, context)`` receives errors that have no caller to raise to."""
        if handler is not None and not callable(handler):
            raise TypeError(f"A callable object or None is expected, got {handler!r}")
        self._exception_handler = handler

    def default_exception_handler(self, context):
        """Log ``context['message']``, the other context keys, and the exception's traceback
        to the "asyncio" logger. The loop keeps running."""
        message = context.get("message") or "Unhandled exception in event loop"
        exception = context.get("exception")
        if exception is not None:
            exc_info = (type(exception), exception, exception.__traceback__)
        else:
            exc_info = False
        # Debug mode: if the context says nothing of where the failing object was made,
        # say where the Handle being run was made.
        if ("source_traceback" not in context and self._current_handle is not None
                and self._current_handle._source_traceback):
            context["handle_traceback"] = self._current_handle._source_traceback
        log_lines = [message]
        for key in sorted(context):
            if key in {"message", "exception"}:
                continue
            value = context[key]
            if key == "source_traceback":
                tb = "".join(traceback.format_list(value))
                value = "Object created at (most recent call last):\n" + tb.rstrip()
            elif key == "handle_traceback":
                tb = "".join(traceback.format_list(value))
                value = "Handle created at (most recent call last):\n" + tb.rstrip()
            else:
                value = repr(value)
            log_lines.append(f"{key}: {value}")
        logger.error("\n".join(log_lines), exc_info=exc_info)

    def call_exception_handler(self, context):
        """Send ``context`` (a dict with 'message' and maybe 'exception', 'future', 'task',
        'handle'...) to the handler set with set_exception_handler, or the default one."""
        if self._exception_handler is None:
            try:
                self.default_exception_handler(context)
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException:
                logger.error("Exception in default exception handler", exc_info=True)
            return
        try:
            self._exception_handler(self, context)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            # The custom handler itself failed: fall back to the default one.
            try:
                self.default_exception_handler({
                    "message": "Unhandled error in exception handler",
                    "exception": exc,
                    "context": context,
                })
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException:
                logger.error("Exception in default exception handler while handling an "
                             "unexpected error in custom exception handler", exc_info=True)
