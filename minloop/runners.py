"""run() and Runner: the usual way in. Simplifies CPython's asyncio/runners.py (3.11).

1. ``run(main)`` is ``with Runner() as runner: return runner.run(main)``. The Runner makes a
   fresh loop (and makes it the current loop) when it is entered, or on first use; ``run()``
   wraps the coroutine in the main Task and runs the loop until that Task is done; leaving
   the ``with`` block cleans up in CPython's order: cancel the Tasks still pending and let
   them finish, close async generators, shut the default executor down, close the loop.
   Because the Runner comes first, ``run(42)`` makes (and closes) a loop before it refuses
   42, and leaves ``get_event_loop()`` raising afterwards, exactly as asyncio does.
2. Ctrl-C (SIGINT) while it runs cancels the main Task, so its ``finally`` blocks run; if
   the Task ends cancelled because of it, run() raises KeyboardInterrupt. A second Ctrl-C
   raises KeyboardInterrupt at once. As in CPython, this is only done in the main thread
   and only if SIGINT still has Python's default handler.
3. It refuses to start inside a *minloop* loop that is running (as asyncio.run does inside
   asyncio). But inside Jupyter, where the kernel's *asyncio* loop is running in this thread,
   it works: the minloop loop stands in for the kernel's while it runs and restores it after
   (see BaseEventLoop.run_forever). asyncio.run() refuses in that situation.
4. minloop only: ``clock=VirtualClock()`` runs on virtual time (ignored with a loop_factory).
"""

import contextvars
import enum
import functools
import signal
import threading

from . import coroutines, events, tasks
from .exceptions import CancelledError

__all__ = ("Runner", "run")


class _State(enum.Enum):
    CREATED = "created"
    INITIALIZED = "initialized"
    CLOSED = "closed"


class Runner:
    """A context manager that owns one event loop: made on entry, closed on exit.

        with minloop.Runner() as runner:
            runner.run(main())          # may be called several times on the same loop
    """

    def __init__(self, *, debug=None, loop_factory=None, clock=None):
        self._state = _State.CREATED
        self._debug = debug
        self._loop_factory = loop_factory
        self._clock = clock
        self._loop = None
        self._context = None
        self._interrupt_count = 0
        self._set_event_loop = False

    def __enter__(self):
        self._lazy_init()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def close(self):
        """Clean up (see _clean_up) and close the loop. Does nothing if never used."""
        if self._state is not _State.INITIALIZED:
            return
        try:
            loop = self._loop
            _clean_up(loop)
        finally:
            if self._set_event_loop:
                events.set_event_loop(None)
            loop.close()
            self._loop = None
            self._state = _State.CLOSED

    def get_loop(self):
        """The Runner's loop (made now if it does not exist yet)."""
        self._lazy_init()
        return self._loop

    def run(self, coro, *, context=None):
        """Run ``coro`` as a Task on the Runner's loop and return its result."""
        if not coroutines.iscoroutine(coro):
            raise ValueError(f"a coroutine was expected, got {coro!r}")
        if events._get_running_loop() is not None:
            raise RuntimeError("Runner.run() cannot be called from a running event loop")
        self._lazy_init()
        if context is None:
            context = self._context
        task = self._loop.create_task(coro, context=context)

        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            sigint_handler = functools.partial(self._on_sigint, main_task=task)
            try:
                signal.signal(signal.SIGINT, sigint_handler)
            except ValueError:   # an interpreter that does not allow signals here
                sigint_handler = None
        else:
            sigint_handler = None

        self._interrupt_count = 0
        try:
            return self._loop.run_until_complete(task)
        except CancelledError:
            if self._interrupt_count > 0:
                uncancel = getattr(task, "uncancel", None)
                if uncancel is not None and uncancel() == 0:
                    raise KeyboardInterrupt()
            raise
        finally:
            if (sigint_handler is not None
                    and signal.getsignal(signal.SIGINT) is sigint_handler):
                signal.signal(signal.SIGINT, signal.default_int_handler)

    def _lazy_init(self):
        if self._state is _State.CLOSED:
            raise RuntimeError("Runner is closed")
        if self._state is _State.INITIALIZED:
            return
        if self._loop_factory is None:
            self._loop = events.new_event_loop(clock=self._clock)
            if not self._set_event_loop:
                events.set_event_loop(self._loop)
                self._set_event_loop = True
        else:
            self._loop = self._loop_factory()
        if self._debug is not None:
            self._loop.set_debug(self._debug)
        self._context = contextvars.copy_context()
        self._state = _State.INITIALIZED

    def _on_sigint(self, signum, frame, main_task):
        self._interrupt_count += 1
        if self._interrupt_count == 1 and not main_task.done():
            main_task.cancel()
            # A signal handler runs between two bytecodes of the loop's thread, maybe while
            # it is blocked in select(): wake it up so it notices the cancellation.
            self._loop.call_soon_threadsafe(lambda: None)
            return
        raise KeyboardInterrupt()


def run(main, *, debug=None, clock=None):
    """Run coroutine ``main`` on a new loop and return its result.

    ``clock=minloop.VirtualClock()`` runs it on virtual time (minloop only)."""
    if events._get_running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    with Runner(debug=debug, clock=clock) as runner:
        return runner.run(main)


def _clean_up(loop):
    """What Runner.close() does before closing the loop, in CPython's order: let the Tasks
    still pending be cancelled and finish, close async generators, shut the default
    executor down. (tracing.trace_run uses it too.)"""
    _cancel_all_tasks(loop)
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())


def _cancel_all_tasks(loop):
    to_cancel = tasks.all_tasks(loop)
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    # Let each cancelled Task run its except/finally blocks to the end.
    loop.run_until_complete(tasks.gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if task.cancelled():
            continue
        if task.exception() is not None:
            loop.call_exception_handler({
                "message": "unhandled exception during asyncio.run() shutdown",
                "exception": task.exception(),
                "task": task,
            })
