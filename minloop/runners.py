"""run(): the usual way in. Simplifies CPython's asyncio/runners.py (run and Runner).

1. run() makes a fresh loop, runs the coroutine as a Task, then cleans up in CPython's order:
   cancel the Tasks still pending and let them finish, close async generators, shut the
   default executor down, close the loop.
2. It refuses to start inside a *minloop* loop that is running (as asyncio.run does inside
   asyncio). But inside Jupyter, where the kernel's *asyncio* loop is running in this thread,
   it works: the minloop loop stands in for the kernel's while it runs and restores it after
   (see BaseEventLoop.run_forever). asyncio.run() refuses in that situation.
3. CPython's Runner also handles Ctrl-C (SIGINT) by cancelling the main Task; minloop
   does not yet.
"""

from . import events, tasks

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
        return loop.run_until_complete(main)
    finally:
        try:
            _cancel_all_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            events.set_event_loop(None)
            loop.close()


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
