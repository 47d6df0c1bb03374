"""TaskGroup: Tasks that live and die together (CPython's asyncio/taskgroups.py, from EdgeDB).

1. ``async with TaskGroup() as tg:`` makes Tasks with ``tg.create_task``; leaving the block
   waits for every one of them. Nothing a group started outlives the block.
2. The first failure of a child (any exception but CancelledError) cancels the other
   children *and the parent Task* (the one running the ``async with``), so the block stops
   at its current await too. The group then waits for every cancelled child to finish and
   raises all the errors together as one ``ExceptionGroup`` ("unhandled errors in a
   TaskGroup"), in the order the children failed; handle them with ``except*``.
3. The group cancels its parent with ``cancel()`` and takes that request back with
   ``uncancel()`` on exit, so a cancellation that came from outside the group still
   propagates as CancelledError (the Task's cancel count tells them apart, as in timeouts.py).
4. KeyboardInterrupt and SystemExit are not collected: the first one is re-raised as is.

Same code as CPython 3.11's module. 3.12 runs a child that finished eagerly through
``_on_task_done`` at once; 3.13 also uncancels before waiting, accepts CancelledError
subclasses, re-cancels a parent cancelled from outside when raising the group, and closes
the coroutine that ``create_task`` refuses. minloop keeps 3.11's behaviour.
"""

from . import events, exceptions, tasks

__all__ = ("TaskGroup",)


class TaskGroup:
    """An async context manager that owns the Tasks made with its create_task()."""

    def __init__(self):
        self._entered = False
        self._exiting = False
        self._aborting = False              # children are being cancelled
        self._loop = None
        self._parent_task = None
        self._parent_cancel_requested = False   # we cancelled the parent: uncancel on exit
        self._tasks = set()                 # children not done yet
        self._errors = []                   # children's exceptions, in order of failure
        self._base_error = None             # the first KeyboardInterrupt/SystemExit
        self._on_completed_fut = None       # __aexit__ waits on it for the last child

    def __repr__(self):
        info = [""]
        if self._tasks:
            info.append(f"tasks={len(self._tasks)}")
        if self._errors:
            info.append(f"errors={len(self._errors)}")
        if self._aborting:
            info.append("cancelling")
        elif self._entered:
            info.append("entered")
        return f"<TaskGroup{' '.join(info)}>"

    async def __aenter__(self):
        if self._entered:
            raise RuntimeError(f"TaskGroup {self!r} has already been entered")
        if self._loop is None:
            self._loop = events.get_running_loop()
        self._parent_task = tasks.current_task(self._loop)
        if self._parent_task is None:
            raise RuntimeError(f"TaskGroup {self!r} cannot determine the parent task")
        self._entered = True
        return self

    async def __aexit__(self, et, exc, tb):
        self._exiting = True
        if exc is not None and self._is_base_error(exc) and self._base_error is None:
            self._base_error = exc

        propagate_cancellation_error = exc if et is exceptions.CancelledError else None
        if self._parent_cancel_requested:
            # We cancelled the parent ourselves (a child failed): take that request back.
            # If no other request is left, the CancelledError was ours: do not propagate it.
            if self._parent_task.uncancel() == 0:
                propagate_cancellation_error = None

        if et is not None and not self._aborting:
            # The body raised, or the parent is being cancelled: cancel the children.
            self._abort()

        # Wait for every child. A while loop: the wait itself can be cancelled (again and
        # again, if the parent is cancelled repeatedly); each time we go on waiting.
        while self._tasks:
            if self._on_completed_fut is None:
                self._on_completed_fut = self._loop.create_future()
            try:
                await self._on_completed_fut
            except exceptions.CancelledError as ex:
                if not self._aborting:
                    # The parent is cancelled while the children still run:
                    # cancel them, and propagate the cancellation once they are done.
                    propagate_cancellation_error = ex
                    self._abort()
            self._on_completed_fut = None

        assert not self._tasks

        if self._base_error is not None:
            raise self._base_error

        # Errors of children win over a CancelledError.
        if propagate_cancellation_error and not self._errors:
            raise propagate_cancellation_error

        if et is not None and et is not exceptions.CancelledError:
            self._errors.append(exc)   # the body's own error joins the group

        if self._errors:
            # Don't keep the exceptions (and their tracebacks' frames) alive in self.
            try:
                me = BaseExceptionGroup("unhandled errors in a TaskGroup", self._errors)
                raise me from None
            finally:
                self._errors = None

    def create_task(self, coro, *, name=None, context=None):
        """Start ``coro`` as a Task of this group (like asyncio.create_task)."""
        if not self._entered:
            raise RuntimeError(f"TaskGroup {self!r} has not been entered")
        if self._exiting and not self._tasks:
            raise RuntimeError(f"TaskGroup {self!r} is finished")
        if self._aborting:
            raise RuntimeError(f"TaskGroup {self!r} is shutting down")
        if context is None:
            task = self._loop.create_task(coro)
        else:
            task = self._loop.create_task(coro, context=context)
        tasks._set_task_name(task, name)
        task.add_done_callback(self._on_task_done)
        self._tasks.add(task)
        return task

    # Since Python 3.8 Tasks propagate every exception normally, except KeyboardInterrupt
    # and SystemExit, which the Task re-raises out of the loop as well.
    def _is_base_error(self, exc):
        assert isinstance(exc, BaseException)
        return isinstance(exc, (SystemExit, KeyboardInterrupt))

    def _abort(self):
        self._aborting = True
        for t in self._tasks:
            if not t.done():
                t.cancel()

    def _on_task_done(self, task):
        """Each child's done-callback: count it off, collect its error, and on the first
        error cancel everything (the siblings and, once, the parent)."""
        self._tasks.discard(task)
        if self._on_completed_fut is not None and not self._tasks:
            if not self._on_completed_fut.done():
                self._on_completed_fut.set_result(True)

        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return

        self._errors.append(exc)
        if self._is_base_error(exc) and self._base_error is None:
            self._base_error = exc

        if self._parent_task.done():
            # The parent is gone (CPython: "not sure if this case is possible"): report it.
            self._loop.call_exception_handler({
                "message": f"Task {task!r} has errored out but its parent "
                           f"task {self._parent_task} is already completed",
                "exception": exc,
                "task": task,
            })
            return

        if not self._aborting and not self._parent_cancel_requested:
            # Stop whatever the body is awaiting right now: cancel the parent, and
            # remember to uncancel it in __aexit__.
            self._abort()
            self._parent_cancel_requested = True
            self._parent_task.cancel()
