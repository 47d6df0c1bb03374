"""Happy eyeballs: start connection attempts one after another, keep the first that works.

Simplifies CPython's asyncio/staggered.py (3.11), which create_connection uses when it is
given ``happy_eyeballs_delay``: try the first address; if it has not connected after
``delay`` seconds (or has failed), start the next one too; the first to connect wins and the
others are cancelled. CPython's version waits on an ``asyncio.locks.Event``; minloop has no
locks module yet, so ``_Event`` below is the part of it this needs.
"""

import collections

from . import tasks

__all__ = ()


class _Event:
    """The part of asyncio.Event that _staggered_race needs (minloop has no locks module)."""

    def __init__(self, loop):
        self._loop = loop
        self._waiters = collections.deque()
        self._value = False

    async def wait(self):
        if self._value:
            return True
        fut = self._loop.create_future()
        self._waiters.append(fut)
        try:
            await fut
            return True
        finally:
            self._waiters.remove(fut)

    def set(self):
        if not self._value:
            self._value = True
            for fut in self._waiters:
                if not fut.done():
                    fut.set_result(True)


async def staggered_race(coro_fns, delay, *, loop):
    """Start the first coroutine function's coroutine in a task; start the next when the one
    before fails or after ``delay`` seconds, whichever is first. The first to return wins
    and the others are cancelled. Returns ``(winner_result, winner_index, exceptions)``,
    with one entry in ``exceptions`` per attempt started (None for the winner).
    """
    enum_coro_fns = enumerate(coro_fns)
    winner_result = None
    winner_index = None
    exceptions = []
    running_tasks = []

    async def run_one_coro(previous_failed):
        if previous_failed is not None:
            try:
                await tasks.wait_for(previous_failed.wait(), delay)
            except TimeoutError:
                pass
        try:
            this_index, coro_fn = next(enum_coro_fns)
        except StopIteration:
            return
        this_failed = _Event(loop)
        next_task = loop.create_task(run_one_coro(this_failed))
        running_tasks.append(next_task)
        exceptions.append(None)
        try:
            result = await coro_fn()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as e:
            exceptions[this_index] = e
            this_failed.set()     # start the next attempt now
        else:
            nonlocal winner_index, winner_result
            winner_index = this_index
            winner_result = result
            for i, t in enumerate(running_tasks):
                if i != this_index:
                    t.cancel()

    first_task = loop.create_task(run_one_coro(None))
    running_tasks.append(first_task)
    try:
        done_count = 0
        while done_count != len(running_tasks):
            done, _ = await tasks.wait(running_tasks)
            done_count = len(done)
            for d in done:
                if d.done() and not d.cancelled() and d.exception():
                    raise d.exception()
        return winner_result, winner_index, exceptions
    finally:
        for t in running_tasks:
            t.cancel()
