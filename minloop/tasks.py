"""Task: a Future that drives a coroutine, one ``send`` per turn of the loop.

Simplifies CPython's asyncio/tasks.py (the pure-Python ``_PyTask``; what normally runs is the
C version in ``_asyncio``, so a breakpoint in CPython's ``__step`` is usually never hit):

1. A Task is a callback that remembers its place. ``__step`` runs the coroutine until it
   yields a Future; ``__wakeup`` is that Future's done-callback and calls ``__step`` again.
   Between the two, the Task is not in any queue: only the Future knows about it.
2. Cancelling a Task cancels the Future it waits on (``_fut_waiter``); the CancelledError is
   thrown into the coroutine on its next step, where ``finally`` blocks run.
3. A coroutine may yield only Futures of this loop (via ``await``) or a bare ``None`` (one
   turn of the loop, used by ``sleep(0)``); anything else is a bug, reported with CPython's
   own messages.
4. The module functions (sleep, gather, wait_for, wait, shield, as_completed) are built only
   from Futures, done-callbacks and timers. CPython's as_completed uses a Queue; minloop uses
   a deque and waiter Futures (with the Queue's rule for a cancelled waiter), since queues
   come later in the course.
5. Tracebacks through minloop show frames of tasks.py and futures.py that users of asyncio
   never see (``__wakeup``, ``Future.result``): there, they are C code, which adds no Python
   frames. ``__step`` drops its own frame from the exception a Task stores.
"""

import collections
import concurrent.futures
import contextvars
import functools
import inspect
import itertools
import linecache
import traceback
import types
import warnings
import weakref

from . import events, futures
from .coroutines import iscoroutine
from .exceptions import CancelledError, InvalidStateError, TimeoutError
from .format_helpers import format_coroutine

__all__ = (
    "Task", "create_task", "ensure_future", "current_task", "all_tasks",
    "sleep", "gather", "wait_for", "wait", "shield", "as_completed",
    "run_coroutine_threadsafe",
    "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED",
    "_register_task", "_unregister_task", "_enter_task", "_leave_task",
)

FIRST_COMPLETED = concurrent.futures.FIRST_COMPLETED
FIRST_EXCEPTION = concurrent.futures.FIRST_EXCEPTION
ALL_COMPLETED = concurrent.futures.ALL_COMPLETED


# ---------------------------------------------------------------- bookkeeping

_task_name_counter = itertools.count(1).__next__
_all_tasks = weakref.WeakSet()   # every live Task; weak, so finished Tasks can be collected
_current_tasks = {}              # loop -> the Task whose __step is running on it now
                                 # (CPython's _enter_task/_leave_task; inlined in __step)


def _register_task(task):
    """Add ``task`` to the tasks all_tasks() looks at (a Task does this itself)."""
    _all_tasks.add(task)


def _unregister_task(task):
    _all_tasks.discard(task)


def _enter_task(loop, task):
    """Make ``task`` the loop's current Task (for Tasks of your own; minloop's Task does this
    inline in __step)."""
    current = _current_tasks.get(loop)
    if current is not None:
        raise RuntimeError(f"Cannot enter into task {task!r} while another "
                           f"task {current!r} is being executed.")
    _current_tasks[loop] = task


def _leave_task(loop, task):
    current = _current_tasks.get(loop)
    if current is not task:
        raise RuntimeError(f"Leaving task {task!r} does not match "
                           f"the current task {current!r}.")
    del _current_tasks[loop]


def current_task(loop=None):
    """The Task running now on ``loop`` (default: the running loop), or None."""
    if loop is None:
        loop = events.get_running_loop()
    return _current_tasks.get(loop)


def all_tasks(loop=None):
    """The set of not-yet-done Tasks of ``loop`` (default: the running loop)."""
    if loop is None:
        loop = events.get_running_loop()
    return {t for t in list(_all_tasks) if futures._get_loop(t) is loop and not t.done()}


# ---------------------------------------------------------------- Task

class Task(futures.Future):
    """A coroutine wrapped in a Future, scheduled to run on the loop."""

    __slots__ = ("_coro", "_context", "_name", "_fut_waiter", "_must_cancel",
                 "_num_cancels_requested", "_log_destroy_pending")

    def __init__(self, coro, *, loop=None, name=None, context=None):
        super().__init__(loop=loop)
        if self._source_traceback:
            del self._source_traceback[-1]   # the frame of this __init__
        self._log_destroy_pending = True
        if not iscoroutine(coro):
            # Don't complain at destruction time about a Task that never was.
            self._log_destroy_pending = False
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        # The default name is only a number until someone asks for it (get_name formats it):
        # most Tasks are never asked, so most never pay for a 'Task-N' string.
        self._name = _task_name_counter() if name is None else str(name)
        self._must_cancel = False         # cancel() was called before we could pass it on
        self._fut_waiter = None           # the Future this Task is waiting for, if any
        self._num_cancels_requested = 0
        self._coro = coro
        self._context = contextvars.copy_context() if context is None else context
        # The first step is just a callback in the ready queue, like any other.
        self._loop.call_soon(self.__step, context=self._context)
        _register_task(self)

    def __del__(self):
        # getattr: __del__ also runs on a Task whose __init__ failed or never ran (Task()).
        if getattr(self, "_log_destroy_pending", False) and self._state == futures._PENDING:
            # The C Task's keys, in its order (CPython's pure-Python Task puts 'task' first).
            context = {
                "message": "Task was destroyed but it is pending!",
                "task": self,
            }
            if self._source_traceback:
                context["source_traceback"] = self._source_traceback
            self._loop.call_exception_handler(context)
        super().__del__()

    def _repr_info(self):
        info = super()._repr_info()
        if self._num_cancels_requested and not self.done():
            info[0] = "cancelling"
        info.insert(1, f"name={self.get_name()!r}")
        info.insert(2, f"coro=<{format_coroutine(self._coro)}>")
        if self._fut_waiter is not None:
            info.insert(3, f"wait_for={self._fut_waiter!r}")
        return info

    # ------------------------------------------------------------ small accessors

    def get_coro(self):
        return self._coro

    def get_name(self):
        if not isinstance(self._name, str):
            self._name = f"Task-{self._name}"
        return self._name

    def set_name(self, value):
        self._name = str(value)

    def set_result(self, result):
        raise RuntimeError("Task does not support set_result operation")

    def set_exception(self, exception):
        raise RuntimeError("Task does not support set_exception operation")

    def get_stack(self, *, limit=None):
        """The frames of the coroutine: where it is suspended (a single frame: a suspended
        coroutine's frame has no f_back), nothing once it returned or was cancelled, the
        traceback's frames if it failed. Oldest first; ``limit`` keeps the newest frames
        of a stack but the oldest of a traceback, as the traceback module does. (CPython
        keeps this and print_stack in base_tasks.py.)"""
        frames = []
        coro = self._coro
        if hasattr(coro, "cr_frame"):
            f = coro.cr_frame
        elif hasattr(coro, "gi_frame"):
            f = coro.gi_frame
        elif hasattr(coro, "ag_frame"):
            f = coro.ag_frame
        else:
            f = None
        if f is not None:
            while f is not None:
                if limit is not None:
                    if limit <= 0:
                        break
                    limit -= 1
                frames.append(f)
                f = f.f_back
            frames.reverse()
        elif self._exception is not None:
            tb = self._exception.__traceback__
            while tb is not None:
                if limit is not None:
                    if limit <= 0:
                        break
                    limit -= 1
                frames.append(tb.tb_frame)
                tb = tb.tb_next
        return frames

    def print_stack(self, *, limit=None, file=None):
        """Print get_stack() like a traceback, to ``file`` (default sys.stderr)."""
        extracted_list = []
        checked = set()
        for f in self.get_stack(limit=limit):
            lineno = f.f_lineno
            co = f.f_code
            filename = co.co_filename
            name = co.co_name
            if filename not in checked:
                checked.add(filename)
                linecache.checkcache(filename)
            line = linecache.getline(filename, lineno, f.f_globals)
            extracted_list.append((filename, lineno, name, line))
        exc = self._exception
        if not extracted_list:
            print(f"No stack for {self!r}", file=file)
        elif exc is not None:
            print(f"Traceback for {self!r} (most recent call last):", file=file)
        else:
            print(f"Stack for {self!r} (most recent call last):", file=file)
        traceback.print_list(extracted_list, file=file)
        if exc is not None:
            for line in traceback.format_exception_only(exc.__class__, exc):
                print(line, file=file, end="")

    # ------------------------------------------------------------ cancellation

    def cancel(self, msg=None):
        """Ask the Task to cancel itself: CancelledError is thrown into the coroutine at its
        next step. The coroutine may catch it, so this is a request, not a guarantee."""
        self._log_traceback = False
        if self.done():
            return False
        self._num_cancels_requested += 1
        if self._fut_waiter is not None:
            # Cancelling what we wait on wakes us (through __wakeup) with CancelledError.
            if self._fut_waiter.cancel(msg):   # positional, as the C Task calls it
                return True
        # Not waiting (or the waiter refused): remember to throw at the next __step.
        self._must_cancel = True
        self._cancel_message = msg
        return True

    def cancelling(self):
        """How many cancel() requests are pending (uncancel() takes one back)."""
        return self._num_cancels_requested

    def uncancel(self):
        if self._num_cancels_requested > 0:
            self._num_cancels_requested -= 1
        return self._num_cancels_requested

    # ------------------------------------------------------------ running the coroutine

    def __step(self, exc=None):
        """Advance the coroutine by one step: send None, or throw ``exc`` into it."""
        if self._state != futures._PENDING:   # self.done(), without a method call
            raise InvalidStateError(f"_step(): already done: {self!r}, {exc!r}")
        if self._must_cancel:
            if not isinstance(exc, CancelledError):
                exc = self._make_cancelled_error()
            self._must_cancel = False
        coro = self._coro
        self._fut_waiter = None
        # Become the loop's current Task. (CPython calls _enter_task(loop, self) here and
        # _leave_task below; they are written out in place because this runs on every step.)
        loop = self._loop
        current = _current_tasks.get(loop)
        if current is not None:
            raise RuntimeError(f"Cannot enter into task {self!r} while another "
                               f"task {current!r} is being executed.")
        _current_tasks[loop] = self
        try:
            if exc is None:
                result = coro.send(None)
            else:
                result = coro.throw(exc)
        except StopIteration as exc:
            # The coroutine returned: its return value is our result.
            if self._must_cancel:
                # cancel() arrived during this very step: honour it.
                self._must_cancel = False
                super().cancel(msg=self._cancel_message)
            else:
                super().set_result(exc.value)
        except CancelledError as exc:
            self._cancelled_exc = exc   # keep it: result() re-raises this very exception
            super().cancel()
        except (KeyboardInterrupt, SystemExit) as exc:
            super().set_exception(exc)
            raise
        except BaseException as exc:
            # Keep only the coroutine's part of the traceback, as the C Task does: the first
            # entry is this frame, which a user of asyncio never sees (get_stack(),
            # print_stack() and "Task exception was never retrieved" show the traceback).
            super().set_exception(exc.with_traceback(exc.__traceback__.tb_next))
        else:
            # The coroutine yielded `result`: decide when to step it again.
            if result is None:
                # A bare yield (sleep(0)): give the others one turn, then continue.
                # (CPython tests this right after the Future case. Testing it first is the
                # same logic, and spares a getattr() on every sleep(0).)
                loop._call_soon(self.__step, (), self._context)
                return
            blocking = getattr(result, "_asyncio_future_blocking", None)
            if blocking is not None:
                # A Future (ours or any asyncio-compatible one), yielded by its __await__.
                if futures._get_loop(result) is not self._loop:
                    new_exc = RuntimeError(f"Task {self!r} got Future {result!r} "
                                           f"attached to a different loop")
                    self._loop.call_soon(self.__step, new_exc, context=self._context)
                elif blocking:
                    if result is self:
                        new_exc = RuntimeError(f"Task cannot await on itself: {self!r}")
                        self._loop.call_soon(self.__step, new_exc, context=self._context)
                    else:
                        # The normal case: sleep until the Future is done.
                        result._asyncio_future_blocking = False
                        result.add_done_callback(self.__wakeup, context=self._context)
                        self._fut_waiter = result
                        if self._must_cancel:
                            if self._fut_waiter.cancel(self._cancel_message):
                                self._must_cancel = False
                else:
                    new_exc = RuntimeError(f"yield was used instead of yield from "
                                           f"in task {self!r} with {result!r}")
                    self._loop.call_soon(self.__step, new_exc, context=self._context)
            elif inspect.isgenerator(result):
                new_exc = RuntimeError(f"yield was used instead of yield from for "
                                       f"generator in task {self!r} with {result!r}")
                self._loop.call_soon(self.__step, new_exc, context=self._context)
            else:
                new_exc = RuntimeError(f"Task got bad yield: {result!r}")
                self._loop.call_soon(self.__step, new_exc, context=self._context)
        finally:
            del _current_tasks[loop]
            self = None  # break the reference cycle through a traceback

    def __wakeup(self, future):
        """Done-callback of the Future we waited on: step again, throwing its exception in
        (which may be a CancelledError) or simply resuming."""
        try:
            future.result()
        except BaseException as exc:
            # The traceback now starts with this frame and result()'s: drop them, so the
            # coroutine's traceback shows only program frames, as with the C Task and Future
            # (which have no frames). get_stack() and a printed traceback show it.
            tb = exc.__traceback__
            while tb is not None and tb.tb_frame.f_code in _OWN_CODES:
                tb = tb.tb_next
            error = exc.with_traceback(tb)
        else:
            # No need to pass the result: the coroutine's `await future` reads it itself.
            error = None
        # Step *after* the except block has ended. Stepping inside it would run the
        # coroutine while `exc` is still "being handled", so the coroutine would see it as
        # sys.exception() and a bare `raise` would re-raise it. (CPython's pure-Python Task
        # has exactly that bug; its C Task, the one that normally runs, does not.)
        self.__step(error)
        # An exception that passed through this frame would keep it, and with it the
        # exception, the Future and this Task alive until the cyclic collector runs (the C
        # Task has no frame here). CPython's pure-Python Task drops only self; minloop drops
        # all three (a program that keeps a cancelled Task's CancelledError shows why).
        self = future = error = None


# The frames Task.__wakeup drops from the front of an exception's traceback.
_OWN_CODES = frozenset({Task._Task__wakeup.__code__, futures.Future.result.__code__})


# ---------------------------------------------------------------- creating Tasks

def create_task(coro, *, name=None, context=None):
    """Schedule ``coro`` on the running loop as a Task and return the Task."""
    loop = events.get_running_loop()
    # Like CPython 3.11: the Task is made without the name, then renamed, so a default
    # 'Task-N' number is used up even when a name is given (visible in later Tasks' names).
    if context is None:
        task = loop.create_task(coro)   # a loop of another kind may not take context=
    else:
        task = loop.create_task(coro, context=context)
    _set_task_name(task, name)
    return task


def _set_task_name(task, name):
    """Name a Task made by a task factory, which may return an object without set_name."""
    if name is not None:
        try:
            set_name = task.set_name
        except AttributeError:
            warnings.warn("Task.set_name() was added in Python 3.8, "
                          "the method support will be mandatory for third-party "
                          "task implementations since 3.13.",
                          DeprecationWarning, stacklevel=3)
        else:
            set_name(name)


def ensure_future(coro_or_future, *, loop=None):
    """A Future as is; a coroutine (or other awaitable) wrapped in a Task."""
    if futures.isfuture(coro_or_future):
        if loop is not None and loop is not futures._get_loop(coro_or_future):
            raise ValueError("The future belongs to a different loop than "
                             "the one specified as the loop argument")
        return coro_or_future
    called_wrap_awaitable = False
    if not iscoroutine(coro_or_future):
        if inspect.isawaitable(coro_or_future):
            coro_or_future = _wrap_awaitable(coro_or_future)
            called_wrap_awaitable = True
        else:
            raise TypeError("An asyncio.Future, a coroutine or an awaitable is required")
    if loop is None:
        loop = events.get_event_loop()
    try:
        return loop.create_task(coro_or_future)
    except RuntimeError:
        if not called_wrap_awaitable:
            coro_or_future.close()  # don't leave a "never awaited" warning behind
        raise


@types.coroutine
def _wrap_awaitable(awaitable):
    return (yield from awaitable.__await__())


# ---------------------------------------------------------------- sleep

@types.coroutine
def _sleep0():
    """A bare yield: the Task reschedules itself with call_soon (see Task.__step)."""
    yield


async def sleep(delay, result=None):
    """Suspend for ``delay`` seconds, then return ``result``. sleep(0) yields exactly once."""
    if delay <= 0:
        await _sleep0()
        return result
    loop = events.get_running_loop()
    future = loop.create_future()
    h = loop.call_later(delay, futures._set_result_unless_cancelled, future, result)
    try:
        return await future
    finally:
        h.cancel()   # if we were cancelled, the timer is no longer needed


# ---------------------------------------------------------------- gather

class _GatheringFuture(futures.Future):
    """gather()'s outer Future: cancelling it cancels the children."""

    __slots__ = ("_children", "_cancel_requested")

    def __init__(self, children, *, loop):
        super().__init__(loop=loop)
        self._children = children
        self._cancel_requested = False

    def cancel(self, msg=None):
        if self.done():
            return False
        ret = False
        for child in self._children:
            if child.cancel(msg=msg):
                ret = True
        if ret:
            # At least one child will now end cancelled: when the last child is done we
            # must end cancelled too, even with return_exceptions=True.
            self._cancel_requested = True
        return ret


def gather(*coros_or_futures, return_exceptions=False):
    """Run awaitables concurrently; a Future of the list of their results, in argument order.

    Without return_exceptions, the first exception (or cancellation) of a child is set on the
    outer Future at once; the other children keep running. With it, exceptions are results.
    """
    if not coros_or_futures:
        loop = events.get_event_loop()
        outer = loop.create_future()
        outer.set_result([])
        return outer

    def _done_callback(fut):
        nonlocal nfinished
        nfinished += 1
        if outer is None or outer.done():
            if not fut.cancelled():
                fut.exception()   # mark it retrieved: nobody else will look
            return
        if not return_exceptions:
            if fut.cancelled():
                outer.set_exception(fut._make_cancelled_error())
                return
            exc = fut.exception()
            if exc is not None:
                outer.set_exception(exc)
                return
        if nfinished == nfuts:
            results = []
            # `fut` is reused as the loop variable, as in CPython: so when gather itself was
            # cancelled, the CancelledError below comes from the *last child in argument
            # order* (not from the child that finished last), with that child's message.
            for fut in children:
                if fut.cancelled():
                    res = CancelledError("" if fut._cancel_message is None
                                         else fut._cancel_message)
                else:
                    res = fut.exception()
                    if res is None:
                        res = fut.result()
                results.append(res)
            if outer._cancel_requested:
                outer.set_exception(fut._make_cancelled_error())
            else:
                outer.set_result(results)

    arg_to_fut = {}
    children = []
    nfuts = 0
    nfinished = 0
    loop = None
    outer = None
    for arg in coros_or_futures:
        if arg not in arg_to_fut:
            fut = ensure_future(arg, loop=loop)
            if loop is None:
                loop = futures._get_loop(fut)
            if fut is not arg:
                fut._log_destroy_pending = False  # we made it; gather owns it
            nfuts += 1
            arg_to_fut[arg] = fut
            fut.add_done_callback(_done_callback)
        else:
            fut = arg_to_fut[arg]   # the same awaitable twice: one Task, two results
        children.append(fut)
    outer = _GatheringFuture(children, loop=loop)
    return outer


# ---------------------------------------------------------------- wait_for and wait

def _release_waiter(waiter, *args):
    if not waiter.done():
        waiter.set_result(None)


async def _cancel_and_wait(fut, loop):
    """Cancel ``fut`` and wait until it is really done (its finally blocks have run)."""
    waiter = loop.create_future()
    cb = functools.partial(_release_waiter, waiter)
    fut.add_done_callback(cb)
    try:
        fut.cancel()
        await waiter
    finally:
        fut.remove_done_callback(cb)


async def wait_for(fut, timeout):
    """Wait for ``fut`` at most ``timeout`` seconds; on timeout cancel it, wait for the
    cancellation to finish, and raise TimeoutError."""
    loop = events.get_running_loop()
    if timeout is None:
        return await fut
    if timeout <= 0:
        fut = ensure_future(fut, loop=loop)
        if fut.done():
            return fut.result()
        await _cancel_and_wait(fut, loop=loop)
        try:
            return fut.result()
        except CancelledError as exc:
            raise TimeoutError() from exc

    waiter = loop.create_future()
    timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    cb = functools.partial(_release_waiter, waiter)
    fut = ensure_future(fut, loop=loop)
    fut.add_done_callback(cb)
    try:
        try:
            await waiter    # woken by fut finishing, or by the timer
        except CancelledError:
            # We were cancelled ourselves: pass it on to fut, unless it already finished.
            if fut.done():
                return fut.result()
            fut.remove_done_callback(cb)
            await _cancel_and_wait(fut, loop=loop)
            raise
        if fut.done():
            return fut.result()
        fut.remove_done_callback(cb)
        await _cancel_and_wait(fut, loop=loop)
        try:
            return fut.result()   # it may have finished while being cancelled
        except CancelledError as exc:
            raise TimeoutError() from exc
    finally:
        timeout_handle.cancel()


async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):
    """Wait for Futures/Tasks in ``fs``; return (done, pending) sets. Does not cancel."""
    if futures.isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect a list of futures, not {type(fs).__name__}")
    if not fs:
        raise ValueError("Set of Tasks/Futures is empty.")
    if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        raise ValueError(f"Invalid return_when value: {return_when}")
    fs = set(fs)
    if any(iscoroutine(f) for f in fs):
        raise TypeError("Passing coroutines is forbidden, use tasks explicitly.")
    loop = events.get_running_loop()
    return await _wait(fs, timeout, return_when, loop)


async def _wait(fs, timeout, return_when, loop):
    waiter = loop.create_future()
    timeout_handle = None
    if timeout is not None:
        timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    counter = len(fs)

    def _on_completion(f):
        nonlocal counter
        counter -= 1
        if (counter <= 0 or
                return_when == FIRST_COMPLETED or
                return_when == FIRST_EXCEPTION and (not f.cancelled() and
                                                    f.exception() is not None)):
            if timeout_handle is not None:
                timeout_handle.cancel()
            if not waiter.done():
                waiter.set_result(None)

    for f in fs:
        f.add_done_callback(_on_completion)
    try:
        await waiter
    finally:
        if timeout_handle is not None:
            timeout_handle.cancel()
        for f in fs:
            f.remove_done_callback(_on_completion)

    done, pending = set(), set()
    for f in fs:
        (done if f.done() else pending).add(f)
    return done, pending


# ---------------------------------------------------------------- shield

def shield(arg):
    """An outer Future for ``arg``: cancelling the outer one leaves ``arg`` running."""
    inner = ensure_future(arg)
    if inner.done():
        return inner
    loop = futures._get_loop(inner)
    outer = loop.create_future()

    def _inner_done_callback(inner):
        if outer.cancelled():
            if not inner.cancelled():
                inner.exception()  # mark it retrieved
            return
        if inner.cancelled():
            outer.cancel()
        else:
            exc = inner.exception()
            if exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_result(inner.result())

    def _outer_done_callback(outer):
        if not inner.done():
            inner.remove_done_callback(_inner_done_callback)

    inner.add_done_callback(_inner_done_callback)
    outer.add_done_callback(_outer_done_callback)
    return outer


# ---------------------------------------------------------------- from another thread

def run_coroutine_threadsafe(coro, loop):
    """Submit ``coro`` to ``loop`` (running in another thread) from this thread; return a
    concurrent.futures.Future for its result. The Task is made in the loop's thread."""
    if not iscoroutine(coro):
        raise TypeError("A coroutine object is required")
    future = concurrent.futures.Future()

    def callback():
        try:
            futures._chain_future(ensure_future(coro, loop=loop), future)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            if future.set_running_or_notify_cancel():
                future.set_exception(exc)
            raise

    loop.call_soon_threadsafe(callback)
    return future


# ---------------------------------------------------------------- as_completed

def as_completed(fs, *, timeout=None):
    """An iterator of awaitables; each returns the next result to finish (or raises
    TimeoutError once ``timeout`` has passed)."""
    if futures.isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect an iterable of futures, not {type(fs).__name__}")
    loop = events.get_event_loop()
    todo = {ensure_future(f, loop=loop) for f in set(fs)}
    finished = collections.deque()   # finished Futures, in order; None means "timed out"
    getters = collections.deque()    # waiter Futures of _wait_for_one() calls
    timeout_handle = None

    def _wake_next():
        while getters:
            getter = getters.popleft()
            if not getter.done():
                getter.set_result(None)
                return

    def _put(item):
        finished.append(item)
        _wake_next()

    def _on_timeout():
        for f in todo:
            f.remove_done_callback(_on_completion)
            _put(None)
        todo.clear()

    def _on_completion(f):
        if not todo:
            return  # _on_timeout() was here first
        todo.remove(f)
        _put(f)
        if not todo and timeout_handle is not None:
            timeout_handle.cancel()

    async def _wait_for_one():
        while not finished:
            getter = loop.create_future()
            getters.append(getter)
            try:
                await getter
            except BaseException:
                # Cancelled while waiting. If we had already been woken, pass the wake-up
                # on, or a result would sit in `finished` with nobody told (Queue.get's rule).
                getter.cancel()
                try:
                    getters.remove(getter)
                except ValueError:
                    pass
                if finished and not getter.cancelled():
                    _wake_next()
                raise
        f = finished.popleft()
        if f is None:
            raise TimeoutError
        return f.result()

    for f in todo:
        f.add_done_callback(_on_completion)
    if todo and timeout is not None:
        timeout_handle = loop.call_later(timeout, _on_timeout)
    for _ in range(len(todo)):
        yield _wait_for_one()
