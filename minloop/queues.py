"""Queues: hand items from producer Tasks to consumer Tasks (CPython's asyncio/queues.py).

1. A Queue is a deque of items plus two deques of waiter Futures: ``_getters`` (consumers
   waiting for an item) and ``_putters`` (producers waiting for room, when ``maxsize > 0``).
   ``put_nowait`` wakes the first getter, ``get_nowait`` the first putter: FIFO wake-ups.
2. A woken waiter does not get the item handed over: it only learns "try again". It loops
   (``while self.empty()``) because another Task may have taken the item first.
3. The one subtle rule: a waiter cancelled *after* it was woken must pass its wake-up on
   to the next waiter, or an item sits in the queue while a getter sleeps beside it
   (this is what makes ``wait_for(queue.get(), t)`` lose nothing).
4. ``join()`` waits on an Event that ``task_done()`` sets when the count of unfinished
   items (one per put, one less per task_done) reaches zero.
5. Same as CPython 3.11, with QueueEmpty and QueueFull re-exported from asyncio so that
   ``except asyncio.QueueEmpty`` catches minloop's too. What later CPythons add: 3.13's
   ``shutdown()`` and QueueShutDown (not here).
"""

import collections
import heapq
from asyncio.queues import QueueEmpty, QueueFull
from types import GenericAlias

from . import locks, mixins

__all__ = ('Queue', 'PriorityQueue', 'LifoQueue', 'QueueFull', 'QueueEmpty')


class Queue(mixins._LoopBoundMixin):
    """A FIFO queue for coroutines. ``maxsize <= 0`` means unbounded; otherwise ``await
    put()`` waits while the queue holds ``maxsize`` items."""

    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self._getters = collections.deque()    # Futures of get() calls waiting for an item
        self._putters = collections.deque()    # Futures of put() calls waiting for room
        self._unfinished_tasks = 0
        self._finished = locks.Event()         # set while _unfinished_tasks == 0
        self._finished.set()
        self._init(maxsize)

    # ------------------------------------------------------------ storage (subclasses override)

    def _init(self, maxsize):
        self._queue = collections.deque()

    def _get(self):
        return self._queue.popleft()

    def _put(self, item):
        self._queue.append(item)

    # ------------------------------------------------------------ waking

    def _wakeup_next(self, waiters):
        # Wake the first waiter that is not already done (a cancelled one is skipped).
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    # ------------------------------------------------------------ reprs

    def __repr__(self):
        return f'<{type(self).__name__} at {id(self):#x} {self._format()}>'

    def __str__(self):
        return f'<{type(self).__name__} {self._format()}>'

    __class_getitem__ = classmethod(GenericAlias)

    def _format(self):
        result = f'maxsize={self._maxsize!r}'
        if getattr(self, '_queue', None):
            result += f' _queue={list(self._queue)!r}'
        if self._getters:
            result += f' _getters[{len(self._getters)}]'
        if self._putters:
            result += f' _putters[{len(self._putters)}]'
        if self._unfinished_tasks:
            result += f' tasks={self._unfinished_tasks}'
        return result

    # ------------------------------------------------------------ size

    def qsize(self):
        """Number of items in the queue."""
        return len(self._queue)

    @property
    def maxsize(self):
        """Number of items allowed in the queue (0 or less: no limit)."""
        return self._maxsize

    def empty(self):
        """True if the queue holds no item."""
        return not self._queue

    def full(self):
        """True if the queue holds maxsize items (never, when maxsize <= 0)."""
        if self._maxsize <= 0:
            return False
        return self.qsize() >= self._maxsize

    # ------------------------------------------------------------ put

    async def put(self, item):
        """Put ``item`` in the queue, waiting first while it is full."""
        while self.full():
            putter = self._get_loop().create_future()
            self._putters.append(putter)
            try:
                await putter
            except:                                   # noqa: E722 - CancelledError above all
                putter.cancel()  # in case we were not woken: then nobody will pick it
                try:
                    self._putters.remove(putter)
                except ValueError:
                    pass         # get_nowait() had already popped it to wake us
                if not self.full() and not putter.cancelled():
                    # We were woken, but leave without putting: wake the next in line.
                    self._wakeup_next(self._putters)
                raise
        return self.put_nowait(item)

    def put_nowait(self, item):
        """Put ``item`` in the queue now; raise QueueFull if there is no room."""
        if self.full():
            raise QueueFull
        self._put(item)
        self._unfinished_tasks += 1
        self._finished.clear()
        self._wakeup_next(self._getters)

    # ------------------------------------------------------------ get

    async def get(self):
        """Remove and return an item, waiting first while the queue is empty."""
        while self.empty():
            getter = self._get_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except:                                   # noqa: E722 - CancelledError above all
                getter.cancel()  # in case we were not woken: then nobody will pick it
                try:
                    self._getters.remove(getter)
                except ValueError:
                    pass         # put_nowait() had already popped it to wake us
                if not self.empty() and not getter.cancelled():
                    # We were woken for an item we will not take: wake the next in line.
                    self._wakeup_next(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self):
        """Remove and return an item now; raise QueueEmpty if there is none."""
        if self.empty():
            raise QueueEmpty
        item = self._get()
        self._wakeup_next(self._putters)
        return item

    # ------------------------------------------------------------ join

    def task_done(self):
        """Say that the work on one item taken with get() is finished. When every item ever
        put has been marked done, join() returns. Raises ValueError if called more times
        than there were items."""
        if self._unfinished_tasks <= 0:
            raise ValueError('task_done() called too many times')
        self._unfinished_tasks -= 1
        if self._unfinished_tasks == 0:
            self._finished.set()

    async def join(self):
        """Wait until every item put in the queue has been taken and marked task_done()."""
        if self._unfinished_tasks > 0:
            await self._finished.wait()


class PriorityQueue(Queue):
    """A Queue that returns its smallest item first (a heap): put ``(priority, data)``
    tuples. Equal priorities compare the data next, as tuples do."""

    def _init(self, maxsize):
        self._queue = []

    def _put(self, item, heappush=heapq.heappush):
        heappush(self._queue, item)

    def _get(self, heappop=heapq.heappop):
        return heappop(self._queue)


class LifoQueue(Queue):
    """A Queue that returns the item put last first (a stack)."""

    def _init(self, maxsize):
        self._queue = []

    def _put(self, item):
        self._queue.append(item)

    def _get(self):
        return self._queue.pop()
