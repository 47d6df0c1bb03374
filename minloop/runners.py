"""run(): the usual way in. Simplifies CPython's asyncio/runners.py: its run() and the parts
of the Runner class (3.11) that run() uses, written as one function.

1. run() makes a fresh loop, runs the coroutine as the main Task, then cleans up in
   CPython's order: cancel the Tasks still pending and let them finish, close async
   generators, shut the default executor down, close the loop.
2. Ctrl-C (SIGINT) while it runs cancels the main Task, so its ``finally`` blocks run; if
   the Task ends cancelled because of it, run() raises KeyboardInterrupt. A second Ctrl-C
   raises KeyboardInterrupt at once. As in CPython, this is only done in the main thread
   and only if SIGINT still has Python's default handler.
3. It refuses to start inside a *minloop* loop that is running (as asyncio.run does inside
   asyncio). But inside Jupyter, where the kernel's *asyncio* loop is running in this thread,
   it works: the minloop loop stands in for the kernel's while it runs and restores it after
   (see BaseEventLoop.run_forever). asyncio.run() refuses in that situation.
"""

import contextvars
import signal
import threading

from . import events, tasks
from .exceptions import CancelledError

__all__ = ("run",)


def run(main, *, debug=None, clock=None):
    """Run coroutine ``main`` on a new loop and return its result.

    ``clock=minloop.VirtualClock()`` runs it on virtual time (minloop only)."""
    if events._get_running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    if not tasks.iscoroutine(main):
        raise ValueError(f"a coroutine was expected, got {main!r}")
    loop = events.new_event_loop(clock=clock)
    try:
        events.set_event_loop(loop)
        if debug is not None:
            loop.set_debug(debug)
        return _run_main_task(loop, main)
    finally:
        try:
            _clean_up(loop)
        finally:
            events.set_event_loop(None)
            loop.close()


def _clean_up(loop):
    """What run() does after the main Task, in CPython's order: let the Tasks still pending
    be cancelled and finish, close async generators, shut the default executor down."""
    _cancel_all_tasks(loop)
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())


def _run_main_task(loop, main):
    task = loop.create_task(main, context=contextvars.copy_context())
    interrupts = 0

    def on_sigint(signum, frame):
        nonlocal interrupts
        interrupts += 1
        if interrupts == 1 and not task.done():
            task.cancel()
            # A signal handler runs between two bytecodes of the loop's thread, maybe while
            # it is blocked in select(): wake it up so it notices the cancellation.
            loop.call_soon_threadsafe(lambda: None)
            return
        raise KeyboardInterrupt()

    handler = None
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
        try:
            signal.signal(signal.SIGINT, on_sigint)
            handler = on_sigint
        except ValueError:   # an interpreter that does not allow signals here
            handler = None
    try:
        return loop.run_until_complete(task)
    except CancelledError:
        if interrupts > 0 and task.uncancel() == 0:
            raise KeyboardInterrupt()
        raise
    finally:
        if handler is not None and signal.getsignal(signal.SIGINT) is handler:
            signal.signal(signal.SIGINT, signal.default_int_handler)


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
