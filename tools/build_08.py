"""Build notebooks/08_queues_locks.ipynb from the cells below (outputs empty: execute it afterwards).

    .venv/bin/python tools/build_08.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/08_queues_locks.ipynb
    .venv/bin/python tools/clean_outputs.py notebooks/08_queues_locks.ipynb

Cell ids are ch08-000, ch08-001, ... in order, like the other chapters; a cell added after the
first edition names its own id (ch08-045b follows ch08-045), so that no other id moves.
"""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks" / "08_queues_locks.ipynb"

CELLS = []


def md(text, id=None):
    CELLS.append(("markdown", text.strip("\n"), [], id))


def code(text, tags=(), id=None):
    CELLS.append(("code", text.strip("\n"), list(tags), id))


def check(text, id=None):
    code(text, tags=["check"], id=id)


# ============================================================================ the cells

md(r'''
# 08 · Queues and locks: Tasks that wait for each other

Until now a Task waited for the world: a timer, a socket, another Task's result. This chapter
is about Tasks that wait for *each other*: a consumer waiting for a producer's next item, a
Task waiting for its turn at a shared resource, ten downloads of which only three may run at
once. asyncio's answers are `asyncio.Queue` and the primitives of `asyncio.locks`: `Lock`,
`Event`, `Condition`, `Semaphore`, `BoundedSemaphore` and `Barrier`.

They look like the classes of `queue` and `threading`, but inside they are much simpler: no
operating-system lock anywhere. Each is a flag or a counter plus a `deque` of Futures. Waiting
is `await fut`; waking up is `fut.set_result(...)`. Everything else is already in chapters
04 to 06. What is *not* simple is the order in which Tasks are woken, and what happens when
a Task is cancelled in the middle of a hand-off: that is where toy versions go wrong.

**What you will learn**

- producer/consumer with a Queue, `task_done()` and `join()`, and why a consumer that loops
  `while not queue.empty()` only works by luck;
- how a Queue, a Lock and an Event are built from a deque of Futures, first as toys;
- fairness: why a released Lock goes to the Task that waited longest, even if another Task
  asks first, and what that looks like on a timeline;
- cancellation during a hand-off: a woken waiter that is cancelled must pass its wake-up on;
- `Condition.wait_for` (and a common mistake with it), Semaphores bounding concurrency,
  Barriers, and what CPython does more (`_LoopBoundMixin`, 3.12's and 3.13's changes).
''')

code(r'''
import asyncio
import collections
import threading

import matplotlib.pyplot as plt
import minloop
from minloop import VirtualClock
from minloop.viz.checks import (CheckFailed, call_exercise, check, check_equal, expect_error,
                                learner_code, passed)
from minloop.viz.source import show_source
''')

md(r'''
Two helpers from earlier chapters: `vrun` runs a coroutine on a fresh minloop loop with a
virtual clock (so `sleep(1)` takes no real second), and `in_thread` calls a function in a
helper thread. We need it to run real asyncio: this notebook's kernel already runs an asyncio
loop in this thread (chapter 00), so `asyncio.run()` must go elsewhere.
''')

code(r'''
def vrun(coro):
    "Run coro on a new minloop loop with a virtual clock; return its result."
    return minloop.run(coro, clock=VirtualClock())


def in_thread(fn):
    "Call fn() in a new thread (no event loop runs there); return its result or raise its error."
    box = {}
    def target():
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc
    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["result"]
''')

# ---------------------------------------------------------------------------- 1. problem

md(r'''
## 1. The problem: a consumer that stops too early

A producer puts jobs in a queue, a consumer takes them out. A first version often looks like
this: produce everything, then consume until the queue is empty. `task_done()` tells the
queue that one item taken with `get()` is finished (we use it in a moment).
''')

code(r'''
async def producer(queue, n):
    for i in range(n):
        await queue.put(i)
        await minloop.sleep(0.5)          # producing takes time
    print(f"t={minloop.get_running_loop().time():g}: producer done")


async def consumer(queue, got):
    while not queue.empty():
        got.append(await queue.get())
        queue.task_done()
''')

code(r'''
async def one_after_the_other():
    queue, got = minloop.Queue(), []
    await producer(queue, 5)
    await consumer(queue, got)
    print("consumer got", got)

vrun(one_after_the_other())
''')

md(r'''
It works, but only because the producer had finished before the consumer looked. Run them
*at the same time*, which is the reason to have a queue at all, and the consumer finds the
queue empty while the producer is between two items, and quits:
''')

code(r'''
async def side_by_side():
    queue, got = minloop.Queue(), []
    prod = minloop.create_task(producer(queue, 5))
    await minloop.sleep(0)                # let the producer put its first item
    await consumer(queue, got)
    print("consumer got", got, "and stopped; still in the queue later:", end=" ")
    await prod
    print(queue.qsize(), "items")

vrun(side_by_side())
''')

md(r'''
`queue.empty()` answers "is there an item *right now*?", not "will more items come?". Only
the producer knows when it is finished, so it has to say so. Two usual ways:

1. **A sentinel**: the producer puts a special value (`None`) after the last item; the
   consumer loops `while True`, waits with `await queue.get()`, and stops at the sentinel.
2. **`join()` then `cancel()`**: the consumer loops forever and calls `task_done()` after
   each item; whoever started it awaits `queue.join()`, which returns once every item put
   has been marked done, then cancels the consumer.
''')

code(r'''
async def forever_consumer(queue, got):
    while True:
        item = await queue.get()          # waits while the queue is empty
        got.append(item)
        queue.task_done()


async def join_then_cancel():
    queue, got = minloop.Queue(), []
    worker = minloop.create_task(forever_consumer(queue, got))
    await producer(queue, 5)
    await queue.join()                    # every item put has been marked done
    worker.cancel()
    print("consumer got", got)

vrun(join_then_cancel())
''')

code(r'''
async def sentinel_consumer(queue, got):
    while (item := await queue.get()) is not None:
        got.append(item)


async def with_a_sentinel():
    queue, got = minloop.Queue(), []
    worker = minloop.create_task(sentinel_consumer(queue, got))
    await producer(queue, 5)
    await queue.put(None)                 # "no more items"
    await worker
    print("consumer got", got)

vrun(with_a_sentinel())
''')

md(r'''
`join()` counts *puts* and *task_done() calls*, not gets. A consumer that forgets
`task_done()` takes every item, and `join()` still waits forever. On virtual time minloop
notices that nothing can ever happen again and says so, where real asyncio would just hang:
''')

code(r'''
async def forgetful_consumer(queue):
    while True:
        await queue.get()                 # ... and no task_done()


async def join_never_returns():
    queue = minloop.Queue()
    minloop.create_task(forgetful_consumer(queue))
    for i in range(3):
        queue.put_nowait(i)
    await queue.join()

with expect_error(RuntimeError):
    vrun(join_never_returns())
''')

# ---------------------------------------------------------------------------- 2. toy queue

md(r'''
## 2. A toy Queue: a deque of items and a deque of Futures

How does `await queue.get()` wait? There is no magic: when the queue is empty, `get()` makes
a Future, appends it to a deque of *getters*, and awaits it. `put_nowait()` appends the item
and completes the first getter's Future, which wakes that Task up (chapter 05: the Future's
done-callback is the Task's `__wakeup`). The woken Task then loops and takes the item.
''')

code(r'''
class ToyQueue:
    def __init__(self):
        self._items = collections.deque()
        self._getters = collections.deque()     # Futures of get() calls waiting

    def qsize(self):
        return len(self._items)

    def put_nowait(self, item):
        self._items.append(item)
        while self._getters:                    # wake the first getter still waiting
            getter = self._getters.popleft()
            if not getter.done():
                getter.set_result(None)
                break
''')

code(r'''
async def toy_get(self):
    while not self._items:                      # a loop: someone may take it first
        getter = minloop.get_running_loop().create_future()
        self._getters.append(getter)
        await getter
    return self._items.popleft()

ToyQueue.get = toy_get
''')

md(r'''
The `while` is not decoration. A woken getter only learns "there was an item when you were
woken"; by the time it runs, another Task may have taken it. Three consumers, three items, all waiting before the first put:
''')

code(r'''
async def consumers_of(queue, names):
    log = []
    async def take(name):
        log.append(f"{name} got {await queue.get()}")
    tasks = [minloop.create_task(take(n)) for n in names]
    await minloop.sleep(0)                      # all of them wait now
    for item in "abc":
        queue.put_nowait(item)
    await minloop.gather(*tasks)
    return log

print(vrun(consumers_of(ToyQueue(), ["c1", "c2", "c3"])))
''')

md(r'''
Getters are woken in the order they started waiting: first come, first served.

### The hand-off and cancellation

Now the trap. `put_nowait()` wakes getter 1 and returns. Before getter 1 runs, its Task is
cancelled (a timeout in `wait_for`, say). Getter 1 leaves with `CancelledError`; the item
stays in the queue; and getter 2 is still asleep: nobody will wake it, because the only
wake-up was spent on getter 1.
''')

code(r'''
async def woken_then_cancelled(queue):
    first = minloop.create_task(queue.get())
    second = minloop.create_task(queue.get())
    await minloop.sleep(0)
    queue.put_nowait("item")              # wakes `first` ...
    first.cancel()                        # ... which is cancelled before it runs
    try:
        got = await minloop.wait_for(second, 10)
        return f"second got {got!r}"
    except minloop.TimeoutError:
        return f"second still waiting after 10 s; items in the queue: {queue.qsize()}"

print(vrun(woken_then_cancelled(ToyQueue())))
''')

md(r'''
The fix is a few lines in `get()`: if we are leaving because of an exception after we were
woken, and there is still an item, wake the next getter in our place. (And if we were not
woken yet, take our Future out of the deque, so it does not sit there cancelled.)
''')

code(r'''
async def toy_get(self):
    while not self._items:
        getter = minloop.get_running_loop().create_future()
        self._getters.append(getter)
        try:
            await getter
        except BaseException:
            if getter in self._getters:
                self._getters.remove(getter)            # not woken: just leave
            elif self._items and not getter.cancelled():
                ToyQueue.put_nowait(self, self._items.pop())   # woken: pass it on
            raise
    return self._items.popleft()

ToyQueue.get = toy_get
print(vrun(woken_then_cancelled(ToyQueue())))
''')

md(r'''
(Re-putting the item to wake the next getter is a toy's shortcut: it moves the item to the
back. The real Queue has a separate `_wakeup_next` for this, as we see now.)

## 3. minloop's Queue (and asyncio's)

`minloop/queues.py` is CPython's `asyncio/queues.py`: an item store (`_init`, `_put`, `_get`,
which PriorityQueue and LifoQueue override), `_getters` and `_putters` deques of Futures, and
the same rule for a cancelled waiter. `get()`:
''')

code(r'''
show_source(minloop.queues.Queue.get)
''')

md(r'''
`getter.cancel()` first: if we were *not* woken, our Future is still pending, and cancelling
it makes sure `_wakeup_next` will skip it. `put()` mirrors `get()` for a full queue with a
`maxsize`. The same cancelled hand-off, on the toy, on minloop and on asyncio, and a program
with several getters and putters on each:
''')

code(r'''
def queue_story(aio, make_queue):
    async def main():
        q, log = make_queue(), []
        async def take(name):
            for _ in range(2):
                log.append(f"{name}:{await q.get()}")
        tasks = [aio.create_task(take(n)) for n in ("A", "B", "C")]
        for item in range(6):
            await aio.sleep(0)
            q.put_nowait(item)
        await aio.gather(*tasks)
        return " ".join(log)
    return main()
''')

code(r'''
print("toy:    ", vrun(queue_story(minloop, ToyQueue)))
print("minloop:", vrun(queue_story(minloop, minloop.Queue)))
print("asyncio:", in_thread(lambda: asyncio.run(queue_story(asyncio, asyncio.Queue))))
print()
print("toy:    ", vrun(woken_then_cancelled(ToyQueue())))
print("minloop:", vrun(woken_then_cancelled(minloop.Queue())))
''')

md(r'''
`join()` and `task_done()` are a counter and an Event (section 5): `put_nowait` adds one
and clears the Event, `task_done` takes one away and sets the Event at zero.
''')

code(r'''
show_source(minloop.queues.Queue.task_done, lines=(5, 9))
''')

# ---------------------------------------------------------------------------- 4. locks

md(r'''
## 4. A toy Lock, and what "fair" means

A Lock is a flag (`_locked`) and a deque of waiter Futures. The obvious toy: `acquire()` waits
while the flag is up; `release()` lowers it and wakes the first waiter.
''')

code(r'''
class NaiveLock:
    def __init__(self):
        self._locked = False
        self._waiters = collections.deque()

    async def acquire(self):
        while self._locked:                       # wait until the flag is down
            fut = minloop.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        self._locked = True
        return True
''')

code(r'''
def naive_release(self):
    self._locked = False
    if self._waiters and not self._waiters[0].done():
        self._waiters[0].set_result(True)

async def naive_aexit(self, *exc):
    self.release()

NaiveLock.release = naive_release
NaiveLock.__aenter__ = NaiveLock.acquire          # so that `async with lock:` works
NaiveLock.__aexit__ = naive_aexit
''')

md(r'''
(The real Lock gets `__aenter__` and `__aexit__` from a small mixin that does the same.)

It excludes correctly. But look at a *greedy* Task that uses the lock three times in a row,
and two others who wait their turn. Each holder keeps the lock for one (virtual) second.
''')

code(r'''
def lock_story(make_lock):
    "Who asked for the lock, got it, gave it back: a list of (time, name, event)."
    async def main():
        lock, log = make_lock(), []
        loop = minloop.get_running_loop()
        async def user(name, times):
            for _ in range(times):
                log.append((loop.time(), name, "wants"))
                async with lock:
                    log.append((loop.time(), name, "holds"))
                    await minloop.sleep(1)
                log.append((loop.time(), name, "releases"))
        await minloop.gather(user("greedy", 3), user("A", 1), user("B", 1))
        return log
    return vrun(main())
''')

code(r'''
def order_of(log):
    return " ".join(name for _, name, event in log if event == "holds")

print("NaiveLock:   ", order_of(lock_story(NaiveLock)))
print("minloop.Lock:", order_of(lock_story(minloop.Lock)))
''')

md(r'''
With the naive lock, `greedy` gets the lock three times in a row and A and B wait three
seconds. Why: `release()` wakes A, but A only *runs* on a later turn of the loop. `greedy`
runs on, loops, calls `acquire()`, finds the flag down, and takes the lock: it *barged*
ahead of A. A, woken at last, finds the flag up again and goes back to the end of the
line. With a busy lock and a greedy user, the others may starve.

The real Lock is fair: a Task that has waited longest gets the lock next. A picture says it
faster than the log. Each row is a Task; grey is waiting for the lock, color is holding it.
''')

code(r'''
def draw_holders(ax, log, title):
    rows = ["greedy", "A", "B"]
    since = {}
    for t, name, event in log:
        y = len(rows) - 1 - rows.index(name)
        if event in ("wants", "holds") and name in since:
            start, what = since.pop(name)
            ax.barh(y, t - start, left=start, height=0.5, edgecolor="white",
                    color="#bbbbbb" if what == "wants" else f"C{rows.index(name)}")
        if event != "releases":
            since[name] = (t, event)
        elif name in since:
            start, _ = since.pop(name)
            ax.barh(y, t - start, left=start, height=0.5, edgecolor="white",
                    color=f"C{rows.index(name)}")
    ax.set_yticks(range(len(rows)), list(reversed(rows)))
    ax.set_title(title, fontsize=10)
''')

code(r'''
fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 3.6), sharex=True)
draw_holders(top, lock_story(NaiveLock), "NaiveLock: greedy barges in and holds it 3 s in a row")
draw_holders(bottom, lock_story(minloop.Lock), "minloop.Lock (as asyncio.Lock): FIFO hand-off")
bottom.set_xlim(0, 5.2)
bottom.set_xlabel("virtual time (s): grey = waiting for the lock, color = holding it (1 s each)")
fig.tight_layout()
''')

md(r'''
How does the real Lock refuse the barging Task? In `acquire()`, the fast path takes the lock
only if it is free **and nobody is waiting** (cancelled waiters do not count). A newcomer who
finds A's woken Future still in the deque joins the line behind it, even though the flag is
down for an instant:
''')

code(r'''
show_source(minloop.locks.Lock.acquire, highlight={4, 5, 19, 20, 21})
''')

md(r'''
The same `try`/`except` shape as the Queue: leave the deque in a `finally` first (so the
next step cannot pick our own Future again), then, if we are leaving because of a
cancellation and the lock is free, wake the first waiter in our place. `release()` and
`_wake_up_first()`:
''')

code(r'''
show_source(minloop.locks.Lock.release, lines=(3, 7))
''')

code(r'''
show_source(minloop.locks.Lock._wake_up_first, lines=(3, 14))
''')

md(r'''
The cancelled hand-off on a Lock: A is woken by `release()`, cancelled before it runs, and B
must still get the lock. The same program on minloop and asyncio:
''')

code(r'''
def handoff(aio):
    async def main():
        lock, log = aio.Lock(), []
        async def waiter(name):
            try:
                async with lock:
                    log.append(f"{name} holds it")
            except aio.CancelledError:
                log.append(f"{name} cancelled")
        await lock.acquire()
        a, b = aio.create_task(waiter("A")), aio.create_task(waiter("B"))
        await aio.sleep(0)
        lock.release()                # wakes A ...
        a.cancel()                    # ... cancelled before it runs
        await aio.wait_for(aio.gather(a, b), 1)
        return log
    return main()

print("minloop:", vrun(handoff(minloop)))
print("asyncio:", in_thread(lambda: asyncio.run(handoff(asyncio))))
''')

# ---------------------------------------------------------------------------- 5. others

md(r'''
## 5. Event, Condition, Semaphore, Barrier

### Event: a flag everyone waits for

An Event wakes *every* waiter when it is set, and `wait()` on a set Event returns at once.
The toy is a flag and a list of Futures:
''')

code(r'''
class ToyEvent:
    def __init__(self):
        self._value, self._waiters = False, []

    def set(self):
        self._value = True
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(True)

    async def wait(self):
        if not self._value:
            fut = minloop.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        return True
''')

code(r'''
def event_story(aio, make_event):
    async def main():
        ev, log = make_event(), []
        async def waiter(name):
            log.append(f"{name} -> {await ev.wait()}")
        tasks = [aio.create_task(waiter(f"w{i}")) for i in range(3)]
        await aio.sleep(0)
        log.append("set")
        ev.set()
        await aio.gather(*tasks)
        return log
    return main()

print("toy:    ", vrun(event_story(minloop, ToyEvent)))
print("minloop:", vrun(event_story(minloop, minloop.Event)))
print("asyncio:", in_thread(lambda: asyncio.run(event_story(asyncio, asyncio.Event))))
''')

md(r'''
minloop's `Event.set()` is the toy's, with a `clear()` beside it, a repr, and the loop check
of section 6:
''')

code(r'''
show_source(minloop.locks.Event.set, lines=(3, 7))
''')

md(r'''
### Condition: wait until something is true

A Condition is a Lock plus a list of waiters. `await cond.wait()` must be called holding the
lock: it *releases* the lock, waits for `notify()`, then takes the lock back before it
returns. `await cond.wait_for(predicate)` loops `wait()` until `predicate()` is true.

The seed note's example writes `await cond.wait_for(is_available())`, with parentheses. That
passes the *result* of one call, a bool, where `wait_for` wants the function. asyncio does
not wait forever, nor once: `wait_for` calls its argument at once, and a bool is not callable.
''')

code(r'''
stock = []

def is_available():
    return len(stock) > 0


async def seed_consumer():
    cond = minloop.Condition()
    async with cond:
        with expect_error(TypeError):
            await cond.wait_for(is_available())      # False() ...
        print("still holding the lock:", cond.locked())

vrun(seed_consumer())
''')

md(r'''
(With an item in stock it fails the same way: `True()` is no better.) Pass the function:
''')

code(r'''
async def fixed_consumer(cond, log):
    async with cond:
        await cond.wait_for(is_available)            # the function, not its result
        log.append(f"took {stock.pop()}")


async def condition_demo():
    cond, log = minloop.Condition(), []
    task = minloop.create_task(fixed_consumer(cond, log))
    await minloop.sleep(1)
    async with cond:
        stock.append("apple")
        cond.notify()                 # wake one waiter; it runs once we release
    await task
    return log

print(vrun(condition_demo()))
''')

md(r'''
`notify(n)` wakes the `n` first waiters, `notify_all()` all of them; each woken waiter still
queues for the lock, so they return from `wait()` one at a time. `Condition(lock)` may share
an existing Lock: then holding the lock *is* holding the condition.

### Semaphore: at most N at once

A Semaphore is a counter of free slots. `Semaphore(3)` lets three Tasks into
`async with sem:` and makes the fourth wait until one leaves. The classic use: at most three
downloads at once. On virtual time, with downloads of 1 to 3 seconds:
''')

code(r'''
async def download(n, sem, log):
    async with sem:
        loop = minloop.get_running_loop()
        log.append((loop.time(), n, +1))
        await minloop.sleep(1 + n % 3)
        log.append((loop.time(), n, -1))


async def ten_downloads():
    sem, log = minloop.Semaphore(3), []
    await minloop.gather(*(download(n, sem, log) for n in range(10)))
    return log

log = vrun(ten_downloads())
running, peak = 0, 0
for _, _, delta in log:
    running += delta
    peak = max(peak, running)
print("downloads at once, at most:", peak, "; all done at t =", log[-1][0])
''')

code(r'''
fig, ax = plt.subplots(figsize=(7, 2.8))
started = {n: t for t, n, delta in log if delta > 0}
for t, n, delta in log:
    if delta < 0:
        ax.barh(n, t - started[n], left=started[n], height=0.6, color=f"C{n % 3}")
        ax.text(started[n] + 0.05, n, f"{t - started[n]:g} s", va="center", fontsize=7)
ax.set_yticks(range(10), [f"download {n}" for n in range(10)], fontsize=7)
ax.invert_yaxis()
ax.set_xlabel("virtual time (s)")
ax.set_title("Semaphore(3): a download starts only when one of the three running ends",
             fontsize=10)
fig.tight_layout()
''')

md(r'''
A `BoundedSemaphore` refuses a `release()` that would raise the counter above its start value
(`ValueError: BoundedSemaphore released too many times`): one release too many is always a
bug, and this one reports it where it happens.
''')

code(r'''
bounded = minloop.BoundedSemaphore(2)
with expect_error(ValueError):
    bounded.release()
''')

md(r'''
### Barrier: everyone waits for everyone

`Barrier(3)`: each of three Tasks calls `await barrier.wait()`, and nobody goes on until all
three have arrived. Each gets an index (0, 1, 2: its order of arrival), and the barrier fills
again for the next round. `abort()` makes waiting and later calls raise `BrokenBarrierError`.
''')

code(r'''
async def runner(name, barrier, log, pause):
    for lap in range(2):
        await minloop.sleep(pause)
        index = await barrier.wait()
        log.append(f"t={minloop.get_running_loop().time():g} {name} lap {lap} (#{index})")


async def barrier_demo():
    barrier, log = minloop.Barrier(3), []
    await minloop.gather(*(runner(n, barrier, log, p) for n, p in (("a", 1), ("b", 2), ("c", 3))))
    print("\n".join(log))

vrun(barrier_demo())
''')

md(r'''
### Not thread-safe, on purpose

Nothing in this chapter takes an operating-system lock. `self._locked = True`, `self._value
-= 1`, `deque.append` are plain Python statements, and they are safe only because one Task of
one loop runs at a time and a Task is never interrupted between two `await`s. Another thread
calling `lock.release()` or `queue.put_nowait()` would race the loop's thread, and the
`fut.set_result()` it calls would run done-callbacks from the wrong thread. From another
thread, go through the loop: `loop.call_soon_threadsafe(queue.put_nowait, item)` (chapter 09).
For threads among themselves, use `threading.Lock` and `queue.Queue`.
''')

# ---------------------------------------------------------------------------- 6. CPython

md(r'''
## 6. What CPython does more

Little, here: `asyncio/queues.py` and `asyncio/locks.py` are pure Python in CPython too (no C
accelerator, unlike Task and Future), so a breakpoint in `asyncio.Lock.acquire` is really hit.
minloop's modules are the same code with comments of their own. Compare:
''')

code(r'''
show_source(asyncio.locks.Lock._wake_up_first)
''')

md(r'''
Differences and things worth knowing:

- **`_LoopBoundMixin`**. Since Python 3.10 these classes take no `loop=` argument. A
  primitive binds to the running loop the first time it has to make a Future (so one made at
  import time works), and refuses a second loop with `... is bound to a different event
  loop`. minloop has the same mixin:
''')

code(r'''
show_source(minloop.mixins._LoopBoundMixin)
''')

md(r'''
- **QueueEmpty and QueueFull** are asyncio's own classes, re-exported by minloop, so
  `except asyncio.QueueEmpty` catches minloop's too (chapter 10 says more on exceptions).
- **Python 3.12** changed two corner cases: a `Condition.wait()` cancelled after it was
  notified passes the notification on to another waiter (a "spurious wakeup" the caller must
  tolerate, so always `wait_for` a predicate), and `Semaphore` keeps strict FIFO order when a
  woken waiter is cancelled. minloop keeps 3.11's behaviour, the version it mirrors.
- **Python 3.13** adds `Queue.shutdown()` and `QueueShutDown`: after `shutdown()`, `put()`
  raises, and `get()` raises once the queue is empty, so consumers can stop without a
  sentinel. minloop leaves it out.
- **Thread-safe queues** for mixing threads and coroutines are not in asyncio at all; the
  usual tools are `call_soon_threadsafe` or third-party libraries (janus, culsans).

## Summary

- Every primitive here is a flag or counter plus a deque of Futures: `await fut` to wait,
  `fut.set_result()` to wake. No OS locks: one loop, one thread.
- A consumer must not stop at `queue.empty()`; stop it with a sentinel, or with `join()`
  (which needs a `task_done()` per item) followed by `cancel()`.
- Wake-ups are FIFO, and a Lock or Semaphore is *fair*: a newcomer does not barge ahead of a
  woken waiter.
- A waiter cancelled after being woken passes its wake-up on (`_wakeup_next`,
  `_wake_up_first`), so `wait_for(queue.get(), t)` never loses an item.
- `cond.wait_for(predicate)` takes the function; a Semaphore bounds concurrency; a Barrier
  lines Tasks up; none of them is thread-safe.
''')

# ---------------------------------------------------------------------------- exercises

md(r'''
## Exercises

Each exercise has a cell for your code and a check cell. The checks run your code on
minloop's loop on virtual time, with a bound: a program that hangs (a `join()` that never
returns, a Task that never wakes) or that spins on `sleep(0)` is stopped and the check says
which. The helper below is how they do it; you do not need to read it.
''')

code(r'''
class _Budget(Exception):
    "Too many loop iterations: a Task is spinning instead of waiting."


def bounded_run(main, *, deadline=100.0, max_iterations=4000):
    """Run coroutine main on a new minloop loop on virtual time. Returns (status, value,
    time, leftover): status is "ok", "error" (value: the exception), "hang" (not done after
    `deadline` virtual seconds) or "busy" (over `max_iterations` turns of the loop);
    leftover: the names of the Tasks still pending when main ended."""
    loop = minloop.new_event_loop(clock=VirtualClock())
    turns = 0
    def budget(phase, loop, **info):
        nonlocal turns
        if phase == "purge":
            turns += 1
            if turns > max_iterations:
                raise _Budget
    loop._tracer = budget
    task = loop.create_task(main, name="main")
    status, value = "ok", None
    try:
        loop.run_until_complete(minloop.wait([task], timeout=deadline))
    except _Budget:
        status = "busy"
    when = loop.time()
    leftover = sorted(t.get_name() for t in minloop.all_tasks(loop)
                      if not t.done() and t is not task)
    if status == "ok" and not task.done():
        status = "hang"
    elif status == "ok" and task.exception() is not None:
        status, value = "error", task.exception()
    elif status == "ok":
        value = task.result()
    _shut_down(loop)
    return status, value, when, leftover
''')

code(r'''
def _shut_down(loop):
    "Cancel what is left (with a bound: a Task may swallow cancellation) and close the loop."
    turns = 0
    def budget(phase, loop, **info):
        nonlocal turns
        turns += phase == "purge"
        if turns > 500:
            raise _Budget
    loop._tracer = budget
    pending = [t for t in minloop.all_tasks(loop) if not t.done()]
    for t in pending:
        t.cancel()
    try:
        if pending:
            loop.run_until_complete(minloop.gather(*pending, return_exceptions=True))
    except (_Budget, RuntimeError):       # spinning, or waiting for ever after the cancel
        for t in pending:
            t._log_destroy_pending = False
    loop._tracer = None
    loop.close()
''')

md(r'''
### Exercise 1: a worker pool that stops cleanly

Write `run_pool(source, n_workers, handle)`: jobs arrive from `source`, an async iterator
(`async for job in source:`), spread out in time. Call `await handle(job)` once for every
job, with **exactly `n_workers` worker Tasks** taking jobs from a `minloop.Queue`, so that at
most `n_workers` jobs are handled at once. Return once every job has been handled, leaving no
worker Task running.

The check feeds jobs that arrive while others are being handled, uses 1 and 3 workers, and
rejects: workers that stop when the queue is momentarily empty, a `join()` that never returns
(a forgotten `task_done()`), workers left running, more or fewer jobs at once than
`n_workers`, and busy polling.
''')

code(r'''
async def run_pool(source, n_workers, handle):
    ### BEGIN SOLUTION
    queue = minloop.Queue()

    async def worker():
        while True:
            job = await queue.get()
            try:
                await handle(job)
            finally:
                queue.task_done()

    workers = [minloop.create_task(worker()) for _ in range(n_workers)]
    async for job in source:
        await queue.put(job)
    await queue.join()
    for w in workers:
        w.cancel()
    await minloop.gather(*workers, return_exceptions=True)
    ### END SOLUTION
''')

code(r'''
def pool_trial(n_workers, arrivals, durations):
    "Run run_pool on jobs arriving at `arrivals` (times), each taking its duration."
    state = {"handled": [], "running": 0, "peak": 0, "returned_at": None}

    async def source():
        loop = minloop.get_running_loop()
        for job, at in enumerate(arrivals):
            await minloop.sleep(max(0, at - loop.time()))
            yield job

    async def handle(job):
        state["running"] += 1
        state["peak"] = max(state["peak"], state["running"])
        try:
            await minloop.sleep(durations[job])
            state["handled"].append(job)
        finally:
            state["running"] -= 1

    async def main():
        with learner_code(f"run_pool(source, {n_workers}, handle)"):
            try:
                await run_pool(source(), n_workers, handle)
            except minloop.CancelledError:     # bounded_run stops a hang: not your error
                return
        state["returned_at"] = minloop.get_running_loop().time()

    status, value, when, leftover = bounded_run(main())
    return state, status, value, when, leftover
''')

check(r'''
def check_pool(n_workers, arrivals, durations, what):
    state, status, value, when, leftover = pool_trial(n_workers, arrivals, durations)
    everyone = list(range(len(arrivals)))
    if status == "error":
        raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
    check(status != "busy", f"{what}: the loop turned thousands of times at t={when:g} without "
          "the clock moving: busy polling. Wait with `await queue.get()`, not a loop around "
          "`queue.empty()` and `sleep(0)`.")
    missing = sorted(set(everyone) - set(state["handled"]))
    check(not missing, f"{what}: jobs {missing} were put in the queue but never handled. Your "
          "workers stopped while jobs were still coming: `while not queue.empty()` ends a "
          "worker the moment the queue is empty for an instant. Loop with `while True` and "
          "stop the workers after join() (cancel them) or with one sentinel per worker.")
    check(status == "ok", f"{what}: every job was handled, but run_pool had not returned "
          f"{when:g} s later. If it waits in queue.join(): call queue.task_done() once per "
          "item taken (in a `finally`, so a failing job counts too). If it waits for the "
          "workers: they must stop when cancelled (do not catch CancelledError and go on).")
    check(not leftover, f"{what}: run_pool returned, but Tasks were still running: "
          f"{leftover}. Stop the workers before returning: cancel them after join() (and "
          "await them), or send one sentinel per worker and await them.")
    check(state["peak"] <= n_workers, f"{what}: {state['peak']} jobs were handled at the same "
          f"time with n_workers={n_workers}. Start exactly n_workers worker Tasks, not one "
          "Task per job.")
    check(state["peak"] == n_workers, f"{what}: at most {state['peak']} job(s) ran at once, "
          f"although {n_workers} workers could have. Start n_workers worker Tasks that run "
          "side by side (create_task), not one worker after another, nor a hard-coded number.")

check_pool(3, [0, 0, 0, 0, 0.5, 4, 4.25, 9], [2, 1.5, 1, 3, 1, 0.5, 2, 1],
           "3 workers, jobs arriving over 9 s")
check_pool(1, [0, 0, 1.5, 6], [1, 1, 1, 1], "1 worker, jobs arriving over 6 s")
check_pool(2, [0.25, 3.5, 3.5, 3.5], [1, 1, 2, 0.5], "2 workers, a quiet start")
passed("Exercise 1")
''')

md(r'''
### Exercise 2: a fair Lock of your own

Complete `FairLock.acquire` and `FairLock.release`, on the model of section 4 (no peeking at
`show_source`: the check also tests things `NaiveLock` gets wrong):

- `acquire()` takes the lock at once only if it is free **and no live waiter is queued**;
  otherwise it waits on a Future in `self._waiters` (FIFO). It returns True.
- `release()` raises `RuntimeError("Lock is not acquired.")` on a free lock; otherwise it
  frees the lock and wakes the first waiter (`self._wake_up_first()` is given).
- A waiter cancelled after it was woken must pass the wake-up on; a waiter cancelled before
  must leave the deque.

The check rejects a lock that lets a newcomer barge ahead of the waiters, a cancelled waiter
that swallows the wake-up (the next waiter starves), busy polling, and a wrong error.
''')

code(r'''
class FairLock:
    def __init__(self):
        self._locked = False
        self._waiters = collections.deque()     # Futures of acquire() calls waiting

    def locked(self):
        return self._locked

    def _wake_up_first(self):
        if self._waiters and not self._waiters[0].done():
            self._waiters[0].set_result(True)

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc):
        self.release()

    async def acquire(self):
        ### BEGIN SOLUTION
        if not self._locked and all(w.cancelled() for w in self._waiters):
            self._locked = True
            return True
        fut = minloop.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except minloop.CancelledError:
            if not self._locked:
                self._wake_up_first()
            raise
        self._locked = True
        return True
        ### END SOLUTION

    def release(self):
        ### BEGIN SOLUTION
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        self._locked = False
        self._wake_up_first()
        ### END SOLUTION
''')

code(r'''
async def greedy_story():
    "The greedy user of section 4, on a FairLock: who holds it, in order."
    lock, order = FairLock(), []
    async def user(name, times):
        for _ in range(times):
            async with lock:
                order.append(name)
                await minloop.sleep(1)
    await minloop.gather(user("greedy", 3), user("A", 1), user("B", 1))
    return order


async def cancelled_handoff(before_wakeup, log):
    "A holds; B and C wait; B is cancelled before or after release() woke it."
    lock = FairLock()
    async def waiter(name):
        with learner_code(f"await lock.acquire() (in {name})"):
            try:
                result = await lock.acquire()
            except minloop.CancelledError:       # the check cancels B on purpose
                log.append(f"{name} cancelled")
                return
            log.append(f"{name} got it ({result})")
            await minloop.sleep(1)
            lock.release()
    await lock.acquire()
    b, c = minloop.create_task(waiter("B")), minloop.create_task(waiter("C"))
    await minloop.sleep(1)
    if before_wakeup:
        b.cancel()
        await minloop.sleep(0)
    lock.release()
    b.cancel()
    await minloop.gather(b, c)
    return lock.locked()
''')

check(r'''
def run_lock(main, what):
    status, value, when, leftover = bounded_run(main)
    if status == "error":
        raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
    check(status != "busy", f"{what}: the loop spun thousands of times at t={when:g}: busy "
          "polling. Wait on a Future in self._waiters, not in a loop of sleep(0).")
    return status, value, when

with learner_code("release() of a lock nobody holds"):
    try:
        FairLock().release()
        raise CheckFailed("release() of a free lock raised nothing: raise "
                          "RuntimeError('Lock is not acquired.').")
    except NotImplementedError:
        raise                         # (a RuntimeError too: the stub, not written yet)
    except RuntimeError as exc:
        check_equal(str(exc), "Lock is not acquired.", "the RuntimeError's message")

status, order, when = run_lock(greedy_story(), "the greedy user")
check(status == "ok", f"the greedy user: the users had not finished after {when:g} s: is the "
      "first waiter woken by release()? (self._wake_up_first())")
check(order.count("greedy") == 3 and sorted(order) == ["A", "B", "greedy", "greedy", "greedy"],
      f"the greedy user: the lock was held by {order}: each user must get it as often as it asks.")
check_equal(order, ["greedy", "A", "B", "greedy", "greedy"], "who held the lock, in order",
            hint="a newcomer (greedy, asking again right after its release) barged ahead of A, "
            "who had been woken: acquire() may take a free lock at once only if no waiter "
            "(that is not cancelled) is queued in self._waiters.")
for before in (False, True):
    when_cancelled = "before" if before else "after"
    log = []
    status, locked, when = run_lock(cancelled_handoff(before, log),
                                    f"B cancelled {when_cancelled} release()")
    for line in log:
        check(not line.startswith("C got it") or line.endswith("(True)"), f"acquire() returned "
              f"{line[10:-1]} to C: return True, as asyncio's Lock.acquire() does.")
    check(status == "ok" and "C got it (True)" in log, f"B was cancelled {when_cancelled} "
          f"release() woke it, and C never got the lock (log: {log}). " + (
          "B's Future was cancelled before the wake-up: release() must skip it, or B must "
          "leave self._waiters when cancelled." if before else "A waiter cancelled after its "
          "wake-up swallowed it: in acquire(), on CancelledError, if the lock is free, call "
          "self._wake_up_first() before re-raising."))
    check_equal(log, ["B cancelled", "C got it (True)"], f"the log when B is cancelled "
                f"{when_cancelled} its wake-up")
    check(not locked, "the lock was left locked after C released it.")
passed("Exercise 2")
''')

md(r'''
### Exercise 3: `gather`, but at most `limit` at a time

Write `bounded_gather(limit, coros)`: run the coroutines of the list `coros` with **at most
`limit` of them running at once** (use a `minloop.Semaphore`), and return their results *in
the order of `coros`*, as `gather` does. A coroutine that raises puts its exception in the
list in its place (like `gather(..., return_exceptions=True)`), and must not keep its slot.

The check rejects: more than `limit` at once, fewer than `limit` when more could run, results
in the wrong order, a slot kept by a coroutine that raised (release it in a `finally`, or use
`async with`), busy polling, and children left running when `bounded_gather` is cancelled.
''')

code(r'''
async def bounded_gather(limit, coros):
    ### BEGIN SOLUTION
    sem = minloop.Semaphore(limit)

    async def one(coro):
        async with sem:
            return await coro

    return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
    ### END SOLUTION
''')

code(r'''
def gather_trial(limit, durations, failing=(), cancel_at=None):
    "Run bounded_gather over jobs of `durations`; jobs in `failing` raise ValueError."
    state = {"running": 0, "peak": 0, "started": [], "finished": []}

    async def job(i):
        state["running"] += 1
        state["peak"] = max(state["peak"], state["running"])
        state["started"].append(i)
        try:
            await minloop.sleep(durations[i])
            if i in failing:
                raise ValueError(f"job {i} failed")
            state["finished"].append(i)
            return f"r{i}"
        finally:
            state["running"] -= 1

    async def main():
        coros = state["coros"] = [job(i) for i in range(len(durations))]
        with learner_code(f"bounded_gather({limit}, coros)", hints={ValueError: "a job's "
                          "exception goes in the results, in its place, not out of "
                          "bounded_gather: gather(..., return_exceptions=True)."}):
            if cancel_at is None:
                try:
                    return await bounded_gather(limit, coros)
                except minloop.CancelledError:   # bounded_run stops a hang: not your error
                    return None
            outer = minloop.ensure_future(bounded_gather(limit, coros))
            await minloop.sleep(cancel_at)
            outer.cancel()
            await minloop.gather(outer, return_exceptions=True)
            return None

    status, value, when, leftover = bounded_run(main())
    for coro in state["coros"]:
        coro.close()          # the ones never started (no "never awaited" warning)
    return state, status, value, when, leftover
''')

check(r'''
def check_gather(limit, durations, what, failing=()):
    state, status, value, when, leftover = gather_trial(limit, durations, failing)
    if status == "error":
        raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
    check(status != "busy", f"{what}: the loop spun thousands of times at t={when:g}: busy "
          "polling. Let the Semaphore do the waiting: `async with sem:`.")
    check(status == "ok", f"{what}: bounded_gather had not returned after {when:g} s; jobs "
          f"{sorted(set(range(len(durations))) - set(state['started']))} never started. " + (
          "A job that raised kept its slot: release the Semaphore in a `finally` (or use "
          "`async with sem:`), so a failure gives its slot back." if failing else
          "Is every slot released when its job ends?"))
    check(state["peak"] <= limit, f"{what}: {state['peak']} jobs ran at once with limit="
          f"{limit}. Every job must hold a slot of one shared Semaphore(limit) while it runs.")
    check(state["peak"] == limit, f"{what}: at most {state['peak']} job(s) ran at once, although "
          f"limit={limit}: the jobs must run side by side (gather them), not one after the other, "
          "with one Semaphore(limit), not a hard-coded size.")
    expected = [ValueError if i in failing else f"r{i}" for i in range(len(durations))]
    got = [type(v) if isinstance(v, BaseException) else v for v in (value or [])]
    check_equal(got, expected, f"{what}: the results", hint="in the order of coros (not the "
                "order they finish), an exception in the place of a job that raised.")

check_gather(2, [3, 1, 1, 0.5, 2], "limit 2, five jobs")
check_gather(3, [1, 2, 1.5, 1, 1, 0.25, 2], "limit 3, seven jobs")
check_gather(2, [0.5, 0.25, 1, 1, 1], "limit 2, the first two jobs fail", failing=(0, 1))
state, status, value, when, leftover = gather_trial(2, [1, 1, 1, 1, 1], cancel_at=1.5)
check(status == "ok" and not leftover and state["running"] == 0 and len(state["finished"]) <= 3,
      f"bounded_gather was cancelled at t=1.5, but its jobs went on ({state['finished']} "
      f"finished, still running: {leftover or state['running']}): cancelling it must cancel "
      "the jobs it runs (gather does that; Tasks you create yourself, you must cancel).")
passed("Exercise 3")
''')

md(r'''
**Next:** chapter 09 leaves the single thread: subprocess pipes, `run_in_executor`, and
`call_soon_threadsafe`, the one door into a loop from another thread.
''')


def main():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"codemirror_mode": {"name": "ipython", "version": 3},
                          "file_extension": ".py", "mimetype": "text/x-python",
                          "name": "python", "nbconvert_exporter": "python",
                          "pygments_lexer": "ipython3", "version": "3.11.7"},
    }
    number = 0
    for kind, text, tags, cell_id in CELLS:
        cell = (nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                else nbformat.v4.new_code_cell(text))
        if cell_id is None:                     # the next number; a cell added later keeps
            cell_id = f"ch08-{number:03d}"      # the ids of the others stable with its own
            number += 1                         # id (ch08-045b: after ch08-045)
        cell["id"] = cell_id
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.validate(nb)
    nbformat.write(nb, OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(nb.cells)} cells")


if __name__ == "__main__":
    main()
