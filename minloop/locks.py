"""Synchronization primitives for Tasks of one loop (CPython's asyncio/locks.py).

1. Every primitive is a flag or a counter plus a deque of waiter Futures. Waiting is
   ``await fut``; waking is ``fut.set_result(...)``. Nothing here touches the loop
   except through Futures: the Task machinery does the rest.
2. Fairness (Lock, Semaphore): a release wakes the *first* waiter, and a newcomer that
   arrives before the woken Task has run does not barge ahead of it, as long as any
   waiter is not cancelled (``acquire`` checks the waiters, not just the flag).
3. Cancellation: a waiter cancelled after it was woken passes the wake-up on
   (``_wake_up_first``/``_wake_up_next``), or the next waiter would starve beside a free
   lock. Condition.wait re-acquires the lock even when cancelled.
4. None of this is thread-safe: the flag, the counter and the deques are touched without a
   lock, because only one Task of one loop runs at a time. From another thread use
   ``loop.call_soon_threadsafe`` (chapter 09).
5. Same code as CPython 3.11, including its behaviour at the edges. Later CPythons changed
   two things: 3.12's Condition.wait passes a notification on when its waiter is
   cancelled after being notified (a "spurious wakeup"), and 3.12's Semaphore keeps
   strict FIFO when a woken waiter is cancelled.
"""

import collections
import enum

from . import exceptions, mixins

__all__ = ('Lock', 'Event', 'Condition', 'Semaphore', 'BoundedSemaphore', 'Barrier')


# ---------------------------------------------------------------- async with

class _ContextManagerMixin:
    async def __aenter__(self):
        await self.acquire()
        # `async with lock as x` gives x = None, as in asyncio.
        return None

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


# ---------------------------------------------------------------- Lock

class Lock(_ContextManagerMixin, mixins._LoopBoundMixin):
    """A lock not owned by any Task: one ``acquire()`` at a time gets it; ``release()``
    gives it to the Task that has waited longest. Use ``async with lock:``."""

    def __init__(self):
        self._waiters = None        # deque of Futures, made on first wait
        self._locked = False

    def __repr__(self):
        res = super().__repr__()
        extra = 'locked' if self._locked else 'unlocked'
        if self._waiters:
            extra = f'{extra}, waiters:{len(self._waiters)}'
        return f'<{res[1:-1]} [{extra}]>'

    def locked(self):
        """True if the lock is held."""
        return self._locked

    async def acquire(self):
        """Wait until the lock is free, take it, return True."""
        # Take it at once only if nobody is waiting for it (cancelled waiters do not count):
        # a newcomer must not barge ahead of a waiter that release() has already woken.
        if (not self._locked and (self._waiters is None or
                all(w.cancelled() for w in self._waiters))):
            self._locked = True
            return True

        if self._waiters is None:
            self._waiters = collections.deque()
        fut = self._get_loop().create_future()
        self._waiters.append(fut)

        # Leave the deque *before* handling a cancellation, so that _wake_up_first()
        # below cannot pick our own Future again.
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except exceptions.CancelledError:
            if not self._locked:
                # We may have been woken by release(): pass the wake-up on.
                self._wake_up_first()
            raise

        self._locked = True
        return True

    def release(self):
        """Free the lock and wake the first waiter. RuntimeError if it is not held."""
        if self._locked:
            self._locked = False
            self._wake_up_first()
        else:
            raise RuntimeError('Lock is not acquired.')

    def _wake_up_first(self):
        """Wake the first waiter, unless it is already woken (done)."""
        if not self._waiters:
            return
        try:
            fut = next(iter(self._waiters))
        except StopIteration:
            return
        # A done first waiter will run soon: it either takes the lock or, cancelled,
        # comes back here to wake the one after it.
        if not fut.done():
            fut.set_result(True)


# ---------------------------------------------------------------- Event

class Event(mixins._LoopBoundMixin):
    """A flag Tasks can wait for: ``set()`` wakes every waiter, ``clear()`` lowers it."""

    def __init__(self):
        self._waiters = collections.deque()
        self._value = False

    def __repr__(self):
        res = super().__repr__()
        extra = 'set' if self._value else 'unset'
        if self._waiters:
            extra = f'{extra}, waiters:{len(self._waiters)}'
        return f'<{res[1:-1]} [{extra}]>'

    def is_set(self):
        """True if the flag is set."""
        return self._value

    def set(self):
        """Set the flag and wake every waiter; later wait() calls return at once."""
        if not self._value:
            self._value = True
            for fut in self._waiters:
                if not fut.done():
                    fut.set_result(True)

    def clear(self):
        """Lower the flag: later wait() calls wait for the next set()."""
        self._value = False

    async def wait(self):
        """Return True once the flag is set (at once if it already is)."""
        if self._value:
            return True

        fut = self._get_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
            return True
        finally:
            self._waiters.remove(fut)


# ---------------------------------------------------------------- Condition

class Condition(_ContextManagerMixin, mixins._LoopBoundMixin):
    """Wait, holding a lock, until another Task says something changed. ``wait()`` releases
    the lock while it waits and takes it back before returning."""

    def __init__(self, lock=None):
        if lock is None:
            lock = Lock()
        self._lock = lock
        # The Condition *is* its lock for acquire/release/locked.
        self.locked = lock.locked
        self.acquire = lock.acquire
        self.release = lock.release

        self._waiters = collections.deque()

    def __repr__(self):
        res = super().__repr__()
        extra = 'locked' if self.locked() else 'unlocked'
        if self._waiters:
            extra = f'{extra}, waiters:{len(self._waiters)}'
        return f'<{res[1:-1]} [{extra}]>'

    async def wait(self):
        """Release the lock, wait for notify(), re-acquire the lock, return True."""
        if not self.locked():
            raise RuntimeError('cannot wait on un-acquired lock')

        self.release()
        try:
            fut = self._get_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
                return True
            finally:
                self._waiters.remove(fut)

        finally:
            # The caller holds the lock again when wait() ends, however it ends: keep
            # trying through cancellations, then re-raise one.
            cancelled = False
            while True:
                try:
                    await self.acquire()
                    break
                except exceptions.CancelledError:
                    cancelled = True

            if cancelled:
                raise exceptions.CancelledError

    async def wait_for(self, predicate):
        """wait() until ``predicate()`` is true; return its value. ``predicate`` is a
        function, called now and after each wake-up, with the lock held."""
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        """Wake up to ``n`` waiters (the lock must be held; they run once it is released)."""
        if not self.locked():
            raise RuntimeError('cannot notify on un-acquired lock')

        idx = 0
        for fut in self._waiters:
            if idx >= n:
                break
            if not fut.done():
                idx += 1
                fut.set_result(False)

    def notify_all(self):
        """Wake every waiter."""
        self.notify(len(self._waiters))


# ---------------------------------------------------------------- Semaphore

class Semaphore(_ContextManagerMixin, mixins._LoopBoundMixin):
    """A counter of free slots: ``acquire()`` takes one (waiting while there is none),
    ``release()`` gives one back. ``Semaphore(3)`` lets three Tasks in at a time."""

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._waiters = None
        self._value = value

    def __repr__(self):
        res = super().__repr__()
        extra = 'locked' if self.locked() else f'unlocked, value:{self._value}'
        if self._waiters:
            extra = f'{extra}, waiters:{len(self._waiters)}'
        return f'<{res[1:-1]} [{extra}]>'

    def locked(self):
        """True if acquire() would wait (no slot, or someone already waiting)."""
        return self._value == 0 or (
            any(not w.cancelled() for w in (self._waiters or ())))

    async def acquire(self):
        """Take a slot, waiting while there is none; return True."""
        if not self.locked():
            self._value -= 1
            return True

        if self._waiters is None:
            self._waiters = collections.deque()
        fut = self._get_loop().create_future()
        self._waiters.append(fut)

        # As in Lock.acquire: leave the deque before handling a cancellation.
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except exceptions.CancelledError:
            if not fut.cancelled():
                # We were woken (and given a slot) but leave: give it back, pass it on.
                self._value += 1
                self._wake_up_next()
            raise

        if self._value > 0:
            self._wake_up_next()
        return True

    def release(self):
        """Give a slot back and wake the first waiter."""
        self._value += 1
        self._wake_up_next()

    def _wake_up_next(self):
        """Wake the first waiter not already woken, reserving a slot for it."""
        if not self._waiters:
            return
        for fut in self._waiters:
            if not fut.done():
                self._value -= 1
                fut.set_result(True)
                return


class BoundedSemaphore(Semaphore):
    """A Semaphore whose release() raises ValueError above the initial value (a release
    without an acquire is a bug it reports)."""

    def __init__(self, value=1):
        self._bound_value = value
        super().__init__(value)

    def release(self):
        if self._value >= self._bound_value:
            raise ValueError('BoundedSemaphore released too many times')
        super().release()


# ---------------------------------------------------------------- Barrier

class _BarrierState(enum.Enum):
    FILLING = 'filling'        # Tasks arrive and wait
    DRAINING = 'draining'      # the last one came: all leave, newcomers wait for the next round
    RESETTING = 'resetting'    # reset() while Tasks waited: they leave with BrokenBarrierError
    BROKEN = 'broken'          # abort(): every wait() raises BrokenBarrierError


class Barrier(mixins._LoopBoundMixin):
    """``parties`` Tasks wait until all of them have arrived, then all go on; it then
    fills again for the next round. Built on a Condition."""

    def __init__(self, parties):
        if parties < 1:
            raise ValueError('parties must be > 0')
        self._cond = Condition()   # notify_all() on every change of state
        self._parties = parties
        self._state = _BarrierState.FILLING
        self._count = 0            # Tasks inside wait()

    def __repr__(self):
        res = super().__repr__()
        extra = f'{self._state.value}'
        if not self.broken:
            extra += f', waiters:{self.n_waiting}/{self.parties}'
        return f'<{res[1:-1]} [{extra}]>'

    async def __aenter__(self):
        return await self.wait()

    async def __aexit__(self, *args):
        pass

    async def wait(self):
        """Wait until ``parties`` Tasks wait; return this Task's arrival index (0 ..
        parties-1). BrokenBarrierError if the barrier is aborted or reset meanwhile."""
        async with self._cond:
            await self._block()    # a previous round still draining or resetting
            try:
                index = self._count
                self._count += 1
                if index + 1 == self._parties:
                    await self._release()      # the last one opens the barrier
                else:
                    await self._wait()
                return index
            finally:
                self._count -= 1
                self._exit()

    async def _block(self):
        # Wait while the barrier drains or resets; then refuse if it is broken.
        await self._cond.wait_for(
            lambda: self._state not in (_BarrierState.DRAINING, _BarrierState.RESETTING))
        if self._state is _BarrierState.BROKEN:
            raise exceptions.BrokenBarrierError("Barrier aborted")

    async def _release(self):
        self._state = _BarrierState.DRAINING
        self._cond.notify_all()

    async def _wait(self):
        # Wait until the filling ends; a reset or abort ends it badly.
        await self._cond.wait_for(lambda: self._state is not _BarrierState.FILLING)
        if self._state in (_BarrierState.BROKEN, _BarrierState.RESETTING):
            raise exceptions.BrokenBarrierError("Abort or reset of barrier")

    def _exit(self):
        # The last Task out of a draining or resetting barrier makes it fill again.
        if self._count == 0:
            if self._state in (_BarrierState.RESETTING, _BarrierState.DRAINING):
                self._state = _BarrierState.FILLING
            self._cond.notify_all()

    async def reset(self):
        """Back to the empty, filling state; Tasks waiting now get BrokenBarrierError."""
        async with self._cond:
            if self._count > 0:
                if self._state is not _BarrierState.RESETTING:
                    self._state = _BarrierState.RESETTING
            else:
                self._state = _BarrierState.FILLING
            self._cond.notify_all()

    async def abort(self):
        """Break the barrier: waiting and future wait() calls raise BrokenBarrierError."""
        async with self._cond:
            self._state = _BarrierState.BROKEN
            self._cond.notify_all()

    @property
    def parties(self):
        """Number of Tasks needed to open the barrier."""
        return self._parties

    @property
    def n_waiting(self):
        """Number of Tasks waiting in the current filling round."""
        if self._state is _BarrierState.FILLING:
            return self._count
        return 0

    @property
    def broken(self):
        """True once abort() was called."""
        return self._state is _BarrierState.BROKEN
