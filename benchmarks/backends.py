"""The event loops under test, each behind the same small interface.

A *backend* is everything a workload needs that differs between loops:

    backend.new_event_loop()   a fresh, not yet running loop
    backend.sleep              that library's own ``sleep`` coroutine function
    backend.gather             that library's own ``gather``
    backend.open_connection    that library's own streams (``open_connection``
    backend.start_server       and ``start_server``): minloop's for minloop,
                               asyncio's for the three others

Everything else the workloads use (``call_soon``, ``call_later``,
``create_future``, ``create_task``, ``run_forever``, ...) is a method of the
loop, so a workload is written once, against the asyncio API, and runs
unchanged on every backend.

The four backends:

``minloop``     this project's pure-Python loop, Future and Task.
``asyncio``     CPython's default loop.  The loop itself is Python, but Future
                and Task are the C versions from the ``_asyncio`` extension.
``asyncio-py``  the same loop, with asyncio's *pure-Python* Future and Task
                (``asyncio.futures._PyFuture``, ``asyncio.tasks._PyTask``).
                This is the fairest comparison for minloop: Python against
                Python, design against design.
``uvloop``      libuv-based loop written in Cython; Future and Task are
                asyncio's C versions.  Optional: skipped if not installed.
"""

import asyncio
import importlib
from dataclasses import dataclass
from typing import Callable

NAMES = ("minloop", "asyncio", "asyncio-py", "uvloop")


class BackendUnavailable(Exception):
    """The backend cannot be imported here (e.g. uvloop is not installed)."""


@dataclass
class Backend:
    name: str
    new_event_loop: Callable
    sleep: Callable
    gather: Callable
    version: str = ""
    open_connection: Callable = asyncio.open_connection
    start_server: Callable = asyncio.start_server


# --- asyncio with pure-Python Future and Task --------------------------------

class PyFutureEventLoop(asyncio.SelectorEventLoop):
    """The loop ``asyncio.new_event_loop()`` returns on Unix, except that
    ``create_future`` hands out pure-Python Futures."""

    def create_future(self):
        return asyncio.futures._PyFuture(loop=self)


def py_task_factory(loop, coro, **kwargs):
    """Task factory making pure-Python Tasks (``loop.create_task`` calls it)."""
    return asyncio.tasks._PyTask(coro, loop=loop, **kwargs)


def new_asyncio_py_loop():
    loop = PyFutureEventLoop()
    loop.set_task_factory(py_task_factory)
    return loop


def check_asyncio_py(backend):
    """Make sure the pure-Python classes are the ones really in use.

    Note: ``asyncio.sleep(0)`` creates no Future at all (it is a bare
    ``yield``); ``asyncio.sleep(delay > 0)`` uses ``loop.create_future()``.
    ``asyncio.gather`` always builds a C-based ``_GatheringFuture``, which is
    why the timed workloads do not use gather.
    """
    loop = backend.new_event_loop()
    try:
        fut = loop.create_future()
        assert type(fut) is asyncio.futures._PyFuture, type(fut)

        async def probe():
            await backend.sleep(0)
            await backend.sleep(0.0001)   # goes through loop.create_future()

        task = loop.create_task(probe())
        assert type(task) is asyncio.tasks._PyTask, type(task)
        loop.run_until_complete(task)
    finally:
        loop.close()


# --- loading -----------------------------------------------------------------

def load(name):
    """Return the Backend called ``name`` or raise BackendUnavailable."""
    if name == "asyncio":
        return Backend(name, asyncio.new_event_loop, asyncio.sleep, asyncio.gather)
    if name == "asyncio-py":
        backend = Backend(name, new_asyncio_py_loop, asyncio.sleep, asyncio.gather)
        check_asyncio_py(backend)
        return backend
    if name == "uvloop":
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError as exc:
            raise BackendUnavailable(f"uvloop not installed ({exc})") from None
        return Backend(name, uvloop.new_event_loop, asyncio.sleep, asyncio.gather,
                       version=getattr(uvloop, "__version__", ""))
    if name == "minloop":
        try:
            minloop = importlib.import_module("minloop")
            backend = Backend(name, minloop.new_event_loop, minloop.sleep,
                              minloop.gather,
                              version=getattr(minloop, "__version__", ""),
                              open_connection=minloop.open_connection,
                              start_server=minloop.start_server)
        except (ImportError, AttributeError) as exc:
            raise BackendUnavailable(f"minloop not usable yet ({exc})") from None
        return backend
    raise ValueError(f"unknown backend {name!r}; choose from {', '.join(NAMES)}")
