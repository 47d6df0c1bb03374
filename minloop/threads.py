"""to_thread: run a blocking function in a thread, awaitably (CPython's asyncio/threads.py).

1. ``to_thread(func, *args, **kwargs)`` is ``loop.run_in_executor(None, ...)`` (the loop's
   default ThreadPoolExecutor) plus two things: keyword arguments, and the caller's
   context variables, copied (``contextvars.copy_context()``) and entered in the thread
   with ``ctx.run``. A plain run_in_executor call runs ``func`` in the worker thread's
   own context, where the caller's context variables are unset.
2. The thread hands its result back through a concurrent.futures.Future wrapped in an
   asyncio Future (futures.wrap_future): the worker's completion reaches the loop by
   call_soon_threadsafe, which writes a byte to the self-pipe to wake select().
3. Same as CPython; nothing left out.
"""

import contextvars
import functools

from . import events

__all__ = ("to_thread",)


async def to_thread(func, /, *args, **kwargs):
    """Run ``func(*args, **kwargs)`` in the default thread pool, in a copy of the current
    context; return its result (or raise its exception)."""
    loop = events.get_running_loop()
    ctx = contextvars.copy_context()
    func_call = functools.partial(ctx.run, func, *args, **kwargs)
    return await loop.run_in_executor(None, func_call)
