"""What counts as a coroutine, and whether debug mode is on (CPython's asyncio/coroutines.py).

1. ``iscoroutine(obj)``: a coroutine object (what calling an ``async def`` function returns),
   a generator, or anything registered as ``collections.abc.Coroutine``. CPython caches the
   types it has seen; minloop just asks isinstance().
2. ``iscoroutinefunction(func)``: ``inspect.iscoroutinefunction``, or an object marked with
   asyncio's own ``_is_coroutine`` marker (``unittest.mock.AsyncMock`` is marked so). minloop
   checks the same marker object, so what counts for asyncio counts for minloop too.
3. ``_is_debug_mode()``: debug mode is on under ``python -X dev`` or with
   ``PYTHONASYNCIODEBUG`` set (unless ``-E`` ignores the environment), as in asyncio.
"""

import collections.abc
import inspect
import os
import sys
import types
from asyncio.coroutines import _is_coroutine   # the marker object asyncio itself checks

__all__ = ("iscoroutinefunction", "iscoroutine")


def _is_debug_mode():
    return sys.flags.dev_mode or (not sys.flags.ignore_environment and
                                  bool(os.environ.get("PYTHONASYNCIODEBUG")))


def iscoroutinefunction(func):
    """True for an ``async def`` function (or one marked as a coroutine function)."""
    return (inspect.iscoroutinefunction(func) or
            getattr(func, "_is_coroutine", None) is _is_coroutine)


_COROUTINE_TYPES = (types.CoroutineType, types.GeneratorType, collections.abc.Coroutine)


def iscoroutine(obj):
    """True for coroutine objects (what ``async def`` functions return when called)."""
    return isinstance(obj, _COROUTINE_TYPES)
