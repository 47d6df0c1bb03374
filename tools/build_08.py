"""Build notebooks/08_queues_locks.ipynb from the cells below (outputs empty: execute it afterwards).

    .venv/bin/python tools/build_08.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/08_queues_locks.ipynb
    .venv/bin/python tools/clean_outputs.py notebooks/08_queues_locks.ipynb

Cell ids: see tools/nbbuild.py.
"""

from nbbuild import Notebook

nb = Notebook("08_queues_locks", "ch08")
md, code, check = nb.md, nb.code, nb.check


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
  Barriers, and what CPython does more (`_LoopBoundMixin`, what 3.13 changed).
''')

code(r'''
import asyncio
import collections
import gc
import inspect
import re
import threading
import warnings

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
    print("consumer got", got, "and stopped")
    await prod
    print("items left in the queue:", queue.qsize())

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
    await minloop.gather(worker, return_exceptions=True)   # let it end (see below)
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
Why await the worker after `cancel()`? `cancel()` only *asks*: the `CancelledError` is
thrown into the worker at its next step, and a worker with a `finally` may still have work
to do there. Whoever cancels a Task should await it, so that it has really ended. And there
is a trap: awaiting a cancelled Task re-raises its `CancelledError` in the Task that awaits,
as if *that* Task had been cancelled. `gather(..., return_exceptions=True)` hands the error
back as a result instead:
''', id="ch08-011b")

code(r'''
async def cancel_then_await(return_exceptions):
    worker = minloop.create_task(forever_consumer(minloop.Queue(), []))
    await minloop.sleep(0)                # the worker waits in get()
    worker.cancel()
    print(await minloop.gather(worker, return_exceptions=return_exceptions))

vrun(cancel_then_await(True))
with expect_error(minloop.CancelledError):
    vrun(cancel_then_await(False))        # the caller ends "cancelled" too
''', id="ch08-011c")

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
woken"; by the time it runs, another Task may have taken it. Three consumers, three items,
all waiting before the first put:
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
async def woken_then_cancelled(queue, aio=minloop):
    first = aio.create_task(queue.get())
    second = aio.create_task(queue.get())
    await aio.sleep(0)
    queue.put_nowait("item")              # wakes `first` ...
    first.cancel()                        # ... which is cancelled before it runs
    try:
        got = await aio.wait_for(second, 10)
        return f"second got {got!r}"
    except aio.TimeoutError:
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
(Re-putting is a toy's shortcut: `self._items.pop()` takes the last item and `put_nowait`
appends it straight back, so the items do not change. What we want is `put_nowait`'s other
effect: waking the first getter still waiting. The real Queue calls a separate
`_wakeup_next` for that, as we see now.)

## 3. minloop's Queue (and asyncio's)

`minloop/queues.py` is CPython's `asyncio/queues.py`: an item store (`_init`, `_put`, `_get`,
which PriorityQueue and LifoQueue override), `_getters` and `_putters` deques of Futures, and
the same rule for a cancelled waiter. `get()`:
''')

code(r'''
show_source(minloop.queues.Queue.get)
''')

md(r'''
`getter.cancel()` first. When the Task was cancelled while it waited, the getter is already
cancelled: `Task.cancel()` cancels the Future its Task waits on, and that is how the
`CancelledError` got here. But another exception may arrive instead (thrown into the
coroutine, or `GeneratorExit` when it is closed), and then a getter that was not woken is
still pending: cancelling it makes sure `_wakeup_next` will skip it. On a getter already
woken, `cancel()` does nothing, and `getter.cancelled()` tells the two cases apart.

`put()` mirrors `get()` for a full queue with a `maxsize`. A program with several getters on
each queue, then the cancelled hand-off, on the toy, on minloop and on asyncio:
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
print("asyncio:", in_thread(lambda: asyncio.run(woken_then_cancelled(asyncio.Queue(), asyncio))))
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
With the naive lock, `greedy` gets the lock three times in a row: A waits three seconds and
B four. Why: `release()` wakes A, but A only *runs* on a later turn of the loop. `greedy`
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
draw_holders(bottom, lock_story(minloop.Lock), "minloop.Lock (as asyncio.Lock): FIFO wake-up")
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
source = inspect.getsource(minloop.locks.Lock.acquire).splitlines()
def line_of(text):
    return next(n for n, line in enumerate(source, 1) if text in line)

fast_path = range(line_of("if (not self._locked"), line_of("all(w.cancelled()") + 1)
on_cancel = range(line_of("await fut"), line_of("raise") + 1)
show_source(minloop.locks.Lock.acquire, highlight={*fast_path, *on_cancel})
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

A common version writes `await cond.wait_for(is_available())`, with parentheses. That
passes the *result* of one call, a bool, where `wait_for` wants the function. asyncio does
not wait forever, nor once: `wait_for` calls its argument at once, and a bool is not callable.
''')

code(r'''
stock = []

def is_available():
    return len(stock) > 0


async def hasty_consumer():
    cond = minloop.Condition()
    async with cond:
        with expect_error(TypeError):
            await cond.wait_for(is_available())      # False() ...
        print("still holding the lock:", cond.locked())

vrun(hasty_consumer())
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
again for the next round.
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
Why is `c`, the last to arrive (#2), first in the log each time? It does not wait: its
`wait()` finds that it completes the barrier, wakes the two others (`notify_all()` on the
Condition inside) and returns at once. `a` and `b`, woken, must each take the Condition's
lock back before their `wait()` returns, one after the other, in the order they arrived.
asyncio does the same (here on real time, with pauses of 10, 20 and 30 ms):
''', id="ch08-061b")

code(r'''
def barrier_order(aio, unit):
    "Who passes the barrier, in order, with its index: on `aio`, pauses scaled by `unit`."
    async def main():
        barrier, log = aio.Barrier(3), []
        async def runner(name, pause):
            for lap in range(2):
                await aio.sleep(pause * unit)
                log.append(f"{name}#{await barrier.wait()}")
        await aio.gather(*(runner(n, p) for n, p in (("a", 1), ("b", 2), ("c", 3))))
        return " ".join(log)
    return main()

print("minloop:", vrun(barrier_order(minloop, 1)))
print("asyncio:", in_thread(lambda: asyncio.run(barrier_order(asyncio, 0.01))))
''', id="ch08-061c")

md(r'''
`await barrier.abort()` breaks the barrier: the Tasks waiting in `wait()` get
`BrokenBarrierError`, and so does every later `wait()`, until `await barrier.reset()`. It is
how one Task says "the others should not wait for me": it failed, and will never arrive.
''', id="ch08-061d")

code(r'''
async def abort_demo():
    barrier, log = minloop.Barrier(3), []
    async def waiter(name):
        try:
            await barrier.wait()
        except minloop.BrokenBarrierError:
            log.append(f"{name}: BrokenBarrierError")
    tasks = [minloop.create_task(waiter(n)) for n in "ab"]
    await minloop.sleep(1)                # a and b wait; the third will never come
    await barrier.abort()
    await minloop.gather(*tasks)
    await waiter("later")                 # a broken barrier stays broken
    print(log, "broken:", barrier.broken)

vrun(abort_demo())
''', id="ch08-061e")

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
- **Python 3.12** changed nothing here: its `asyncio/queues.py` is 3.11's, and its
  `asyncio/locks.py` too, less one unused import.
- **Python 3.13** changed two corner cases of `locks.py` (the rest of its diff is comments
  and docstrings). A `Condition.wait()` that leaves with an exception (cancelled, say)
  notifies one other waiter, in case it had been notified itself: the notification is not
  lost, and the other may wake up for nothing (a "spurious wakeup": always `wait_for` a
  predicate, which checks again). And `Semaphore.acquire()`, as it leaves (in a `finally`),
  wakes as many waiters as there are free slots, where 3.11 wakes at most one more, so that
  no waiter sleeps while a slot is free. minloop keeps 3.11's behaviour, the version it
  mirrors.
- **Python 3.13** also adds `Queue.shutdown()` and `QueueShutDown`: after `shutdown()`,
  `put()` raises `QueueShutDown`, and `get()` raises it once the queue is empty (at once,
  with `shutdown(immediate=True)`), so consumers can stop without a sentinel. minloop leaves
  it out.
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
returns, a Task that never wakes) or that polls in a loop is stopped and the check says
which. The helpers below are how they do it; you do not need to read them.
''')

code(r'''
class _Budget(Exception):
    "Too many loop iterations: a Task is polling instead of waiting."


def bounded_run(main, *, deadline=100.0, max_iterations=4000, callback_hint=""):
    """Run coroutine main on a new minloop loop on virtual time. Returns (status, value,
    time, leftover, tasks). status: "ok", "error" (value: the exception; a callback that
    raised in the loop is one too), "hang" (not done after `deadline` virtual seconds;
    value: the coroutines main waits in) or "busy" (over `max_iterations` turns of the
    loop). leftover: the names of the Tasks still pending when main ended. tasks: {Task:
    (end time or None, "returned" | "returned, cancel swallowed" | "cancelled" | "cancelled,
    never awaited" | "error" | "pending" | "ignored cancel")} for every other Task that ran on
    the loop."""
    loop = minloop.new_event_loop(clock=VirtualClock())
    turns, tasks, awaited, failed = 0, {}, set(), []
    loop.set_exception_handler(lambda loop, context: failed.append(context))  # no stray logs
    def ended(t):
        how = ("cancelled" if t.cancelled() else "error" if t.exception() else
               "returned, cancel swallowed" if t.cancelling() else "returned")
        tasks[t] = (loop.time(), how)
    def budget(phase, loop, handle=None, **info):
        nonlocal turns
        turns += phase == "purge"
        if turns > max_iterations:
            raise _Budget
        step = getattr(handle, "_callback", None)      # a Task's step: note the Task
        other = getattr(step, "__self__", None)
        if isinstance(other, minloop.Task) and other not in tasks and other not in ours:
            tasks[other] = (None, "pending")
            other.add_done_callback(ended)
        args = getattr(handle, "_args", None) or (None,)
        if isinstance(args[0], minloop.Task) and step is not ended:
            awaited.add(args[0])                     # someone's done-callback: awaited
    task = loop.create_task(main, name="main")
    bound = loop.create_task(minloop.wait([task], timeout=deadline))
    ours = (task, bound)
    loop._tracer = budget
    status, value = "ok", None
    try:
        loop.run_until_complete(bound)
    except _Budget:
        status = "busy"
    when = loop.time()
    leftover = sorted(t.get_name() for t in minloop.all_tasks(loop)
                      if not t.done() and t not in (task, bound))
    if status == "ok" and not task.done():
        status, value = "hang", _waiting_in(task)
    elif status == "ok" and task.exception() is not None:
        status, value = "error", task.exception()
    elif status == "ok":
        value = task.result()
    for context in failed:
        if "handle" in context and status != "busy":    # "Exception in callback ..."
            exc = context.get("exception")
            status, value = "error", CheckFailed(
                f"a callback the loop ran, "
                f"{context['message'].removeprefix('Exception in callback ')}, raised "
                f"{type(exc).__name__}: {exc}. {callback_hint}".strip())
            break
    made = {}
    for t, (end, how) in tasks.items():
        if not t.done():
            end, how = None, "ignored cancel" if t.cancelling() else "pending"
        elif how == "cancelled" and t not in awaited and t._cancelled_exc is not None:
            how = "cancelled, never awaited"         # nobody awaited it, nor asked result()
        made[t] = (end, how)
    _shut_down(loop)
    return status, value, when, leftover, made
''')

code(r'''
def _waiting_in(task):
    "The names of the coroutines a pending Task is suspended in, outermost first."
    names, link = [], task.get_coro()
    while link is not None:
        names.append(getattr(link, "__qualname__", type(link).__name__))
        link = getattr(link, "cr_await", None) or getattr(link, "gi_yieldfrom", None)
    return names


def _shut_down(loop):
    """Leave nothing suspended, then close the loop: cancel the Tasks still pending and run
    the loop until they end (bounded: a Task may swallow its cancellation); close the
    coroutines of those that would not end, and the async generators. Something left
    suspended on a closed loop fails later, cells away, when it is garbage-collected."""
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
        pass
    for t in minloop.all_tasks(loop):     # those that would not stop: close the coroutine
        t._log_destroy_pending = False
        coro = t.get_coro()
        for _ in range(5):                # (a `finally` that awaits needs another close)
            if getattr(coro, "cr_frame", None) is None:
                break
            try:
                coro.close()
            except Exception:             # "coroutine ignored GeneratorExit", or worse
                pass
    turns = 0
    try:
        loop.run_until_complete(loop.shutdown_asyncgens())
    except (_Budget, RuntimeError):
        pass
    loop._tracer = None
    loop.close()
''')

code(r'''
def pool_schedule(n, arrivals, durations):
    "Start times of jobs taken in order of arrival by n workers, each as soon as one is free."
    free, starts = [0.0] * n, []
    for at, took in zip(arrivals, durations):
        free.sort()
        starts.append(max(at, free[0]))
        free[0] = starts[-1] + took
    return starts


def first_idle_wait(n, arrivals, spans):
    """The first moment a job that had arrived waited while fewer than n jobs ran, as (time,
    job, jobs running, when it started); None if there is none. spans: {job: (start, end)}."""
    moments = sorted({t for span in spans.values() for t in span} | set(arrivals))
    for t in moments:
        running = sum(start <= t < end for start, end in spans.values())
        waiting = [j for j, (start, _) in spans.items() if arrivals[j] <= t < start]
        if waiting and running < n:
            job = min(waiting, key=lambda j: (arrivals[j], j))
            return t, job, running, spans[job][0]
    return None
''', id="ch08-070b")

md(r'''
### Exercise 1: a worker pool that stops cleanly

Write `run_pool(source, n_workers, handle)`: jobs arrive from `source`, an async iterator
(`async for job in source:`), spread out in time. Call `await handle(job)` once for every
job, with **exactly `n_workers` worker Tasks**, each taking jobs in a loop from one
`minloop.Queue`, so that at most `n_workers` jobs are handled at once and a free worker
takes a job the moment it arrives, jobs first in, first out. Return once every job has been
handled, leaving no worker Task running: if you cancel the workers, await them too before
returning (a worker's `finally` may still run), with `return_exceptions=True` (section 1).

The check feeds jobs that arrive while others are being handled, uses 1, 2 and 3 workers,
and rejects: workers that stop when the queue is momentarily empty, a `join()` that never
returns (a forgotten `task_done()`) or that is cut short (a timeout), workers cancelled
before their jobs are done, workers left running or cancelled and not awaited, a worker that
ends with an error or swallows its cancellation, one Task per job instead of `n_workers`
workers, more or fewer jobs at once than `n_workers`, jobs taken out of order, a job left
waiting while a worker is free (workers started late, jobs fed in batches, polling with
`sleep()`), and a forgotten `await`.
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
    """Run run_pool on jobs arriving at `arrivals` (times), each taking its duration. Returns
    (state, *bounded_run's answer); state["spans"][job] = (start, end) of each job run."""
    state = {"called": [], "spans": {}, "cut": [], "by": {}, "running": 0, "peak": 0,
             "returned_at": None, "after": None, "cut_by_then": None}
    coros = []

    async def source():
        loop = minloop.get_running_loop()
        for job, at in enumerate(arrivals):
            await minloop.sleep(max(0, at - loop.time()))
            yield job

    async def run_job(job):
        loop = minloop.get_running_loop()
        state["spans"][job] = (loop.time(), float("inf"))
        state["by"][job] = minloop.current_task().get_name()
        state["running"] += 1
        state["peak"] = max(state["peak"], state["running"])
        try:
            await minloop.sleep(durations[job])
        except minloop.CancelledError:
            state["cut"].append((job, loop.time()))
            raise
        finally:
            state["running"] -= 1
            state["spans"][job] = (state["spans"][job][0], loop.time())

    def handle(job):
        "`await handle(job)` handles one job (handle(job) makes a coroutine, as an async def)."
        state["called"].append(job)
        coros.append(run_job(job))
        return coros[-1]

    async def main():
        before = minloop.all_tasks()
        with learner_code(f"run_pool(source, {n_workers}, handle)", hints={ValueError: "a "
                          "`finally` around `await queue.get()` also runs when the get() is "
                          "cancelled, and calls task_done() for an item the worker never got: "
                          "start the `try` after the get()."}):
            try:
                await run_pool(source(), n_workers, handle)
            except minloop.CancelledError as exc:
                if minloop.current_task().cancelling():
                    return              # bounded_run stopping a hang: not your error
                raise CheckFailed(awaited_cancelled(exc)) from None
        state["returned_at"] = minloop.get_running_loop().time()
        state["after"] = {t: t.cancelling() for t in minloop.all_tasks() - before
                          if not t.done()}          # Tasks still not done at that moment
        state["cut_by_then"] = list(state["cut"])
        state["undone"] = [j for j in range(len(arrivals))
                           if state["spans"].get(j, (0, float("inf")))[1] == float("inf")]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = bounded_run(main())
        for coro in coros:
            coro.close()                # a handle(job) never awaited: no warning later
        gc.collect(1)                   # a coroutine of yours never awaited warns now (young
                                        # generations only: a full collection is slow)
    state["never awaited"] = sorted({str(w.message).split("'")[1] for w in caught
                                     if "was never awaited" in str(w.message)})
    return (state, *answer)


def awaited_cancelled(exc):
    "The message for a CancelledError out of run_pool: it awaited a cancelled Task."
    tb, line = exc.__traceback__, ""
    while tb is not None:               # the line of run_pool that awaited it
        if tb.tb_frame.f_code.co_name == "run_pool":
            line = f" (line {tb.tb_lineno} of its cell)"
        tb = tb.tb_next
    return ("run_pool raised CancelledError: it awaited a worker it had cancelled"
            f"{line}. Awaiting a cancelled Task re-raises its CancelledError in the Task that "
            "awaits: `await minloop.gather(*workers, return_exceptions=True)` returns the "
            "CancelledErrors as results instead (or catch CancelledError around `await w`).")
''')

check(r'''
def check_pool(n_workers, arrivals, durations, what):
    state, status, value, when, leftover, tasks = pool_trial(n_workers, arrivals, durations)
    jobs, last, spans = range(len(arrivals)), max(arrivals), state["spans"]
    if status == "error":
        raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
    check(status != "busy", f"{what}: the loop turned thousands of times by t={when:g}: busy "
          "polling. A worker that checks `queue.empty()` (or catches QueueEmpty) in a loop with "
          "a short sleep keeps the loop turning; wait in `await queue.get()`, which sleeps "
          "until a job is put.")
    for name in state["never awaited"][:1]:
        raise CheckFailed(f"{what}: a coroutine {name}() was made but never awaited: a forgotten "
                          "`await`. Calling an async method only makes a coroutine; nothing "
                          "happens until it is awaited. " + {
            "Queue.put": "No job reached the queue: `await queue.put(job)` (or "
                         "queue.put_nowait(job), which is not a coroutine).",
            "Queue.join": "run_pool did not wait for the jobs: `await queue.join()`."}.get(name, ""))
    never_ran = sorted(set(state["called"]) - set(spans))
    check(not never_ran, f"{what}: handle(job) was called for jobs {never_ran}, but they never "
          "ran: a forgotten `await`. handle(job) only makes a coroutine; `await handle(job)` "
          "runs it.")
    twice = sorted({j for j in state["called"] if state["called"].count(j) > 1})
    check(not twice, f"{what}: handle(job) was called more than once for jobs {twice}: call it "
          "once per job. (A `handle(job)` line without `await`, beside the `await "
          "handle(job)`, makes a second coroutine that never runs.)")
    if state["after"]:
        stopping = sorted(t.get_name() for t, asked in state["after"].items() if asked)
        running = sorted(t.get_name() for t, asked in state["after"].items() if not asked)
        undone = state["undone"]
        check(not running or not undone, f"{what}: run_pool returned at "
              f"t={state['returned_at']:g}, before jobs {undone} were handled (Tasks "
              f"{running} were still at work): return only once every job is done: await the "
              "workers (after their sentinels), or await queue.join().")
        check(not running, f"{what}: run_pool returned, but Tasks were still running: {running}. "
              "Stop the workers before returning: cancel them after join() and await them "
              "(`await minloop.gather(*workers, return_exceptions=True)`), or send one sentinel "
              "per worker and await them.")
        raise CheckFailed(f"{what}: run_pool returned while {len(stopping)} of its "
              "workers were cancelled but had not ended yet: cancel() only asks (the CancelledError reaches "
              "a Task at its next step, and a worker's `finally` may still have work to do). "
              "Await them after cancelling: `await minloop.gather(*workers, "
              "return_exceptions=True)` (return_exceptions=True, because awaiting a cancelled "
              "Task re-raises its CancelledError).")
    cut_list = state["cut"] if state["cut_by_then"] is None else state["cut_by_then"]
    cut, missing = sorted(j for j, _ in cut_list), [j for j in jobs if j not in spans]
    if cut and not missing:
        cut_at, taken = min(t for _, t in cut_list), max(s for s, _ in spans.values())
        check(cut_at > taken + 1e-9, f"{what}: jobs {cut} were cancelled in the middle of "
              "handle(job): queue.join() returned while they were still being handled, so the "
              "workers were cancelled too early. Call queue.task_done() *after* `await "
              "handle(job)` (in a `finally`), not right after get(): join() returns once "
              "task_done() was called for every item put.")
        raise CheckFailed(f"{what}: jobs {cut} were cancelled in the middle of handle(job), at "
              f"t={cut_at:g}: run_pool stopped waiting and cancelled the workers before those "
              f"jobs were done (the last job was taken at t={taken:g}). A timeout around join()? "
              "a loop until the queue is empty? An empty queue only means every job was *taken*. "
              "`await queue.join()`, with no timeout: a job takes as long as it takes, and "
              "join() returns once task_done() was called for every job.")
    quitters = sorted(end for end, how in tasks.values() if how == "returned" and end < last)
    if missing or cut:
        if quitters and 0 in missing and all(j in spans for j in jobs if j):
            raise CheckFailed(f"{what}: job 0 was never handled, though every other job was: a "
                  f"worker Task ended on its own at t={quitters[0]:g}, when it got job 0. A test "
                  "like `while job := await queue.get():` stops at any falsy job, and 0 is "
                  "falsy: compare with the sentinel itself, `while (job := await queue.get()) "
                  "is not None:`.")
        if quitters:
            raise CheckFailed(f"{what}: jobs {missing or cut} were put in the queue but never "
                  f"handled. {len(quitters)} worker Task(s) ended on their own at "
                  f"t={quitters[0]:g}, before the last job arrived at t={last:g}: `while not "
                  "queue.empty()` ends a worker the moment the queue is empty for an instant. "
                  "Loop with `while True` and stop the workers after join() (cancel them) or "
                  "with one sentinel per worker.")
        raise CheckFailed(f"{what}: jobs {missing or cut} were never handled (or were cut "
              "off): the workers were cancelled while jobs were still in the queue. Await "
              "queue.join() after putting the last job (it waits for every item put so far), "
              "and only then cancel the workers.")
    if status == "hang":
        stuck = sorted(t.get_name() for t, (_, how) in tasks.items() if how == "ignored cancel")
        where = " → ".join(n for n in value[1:] if not n.endswith("__await__"))
        check(not stuck, f"{what}: every job was handled, but run_pool had not returned "
              f"{when:g} s later: its workers {stuck} were cancelled and are still running. "
              "They caught CancelledError and went on: let CancelledError end a worker (do "
              "not catch it, or re-raise it).")
        check("Queue.join" not in value, f"{what}: every job was handled, but run_pool had not "
              f"returned {when:g} s later: it still waits in queue.join() ({where}). join() "
              "returns once task_done() has been called for every item put: call "
              "queue.task_done() after each job (in a `finally`, so a failing job counts too).")
        raise CheckFailed(f"{what}: every job was handled, but run_pool had not returned "
              f"{when:g} s later (it waits in {where}). If it waits for the workers: they stop "
              "only when cancelled, or when each gets its own sentinel: one sentinel per worker.")
    for t in [t for t, (_, how) in tasks.items() if how == "error"][:1]:
        exc = t.exception()
        raise CheckFailed(f"{what}: the Task {t.get_name()} ended with {type(exc).__name__}: "
              f"{exc}, where a worker should end cancelled (or return, after its sentinel); "
              "`gather(..., return_exceptions=True)` hands such an error back as a result, and "
              "nothing noticed it." + (" When `await queue.get()` was cancelled, a `finally` "
              "around it called task_done() for an item the worker never got: start the `try` "
              "after the get()." if "task_done() called too many times" in str(exc) else ""))
    swallowed = [t for t, (_, how) in tasks.items() if how == "returned, cancel swallowed"]
    check(not swallowed, f"{what}: {len(swallowed)} worker Task(s) were cancelled, but "
          "returned normally: they caught CancelledError and stopped (`break`, `return`), "
          "swallowing the cancellation. Let CancelledError end a worker (do not catch it, or "
          "re-raise it after any cleanup), so that whoever cancelled it sees it end cancelled.")
    check(not leftover, f"{what}: run_pool returned, but Tasks were still running: "
          f"{leftover}. Stop the workers before returning: cancel them after join() (and "
          "await them), or send one sentinel per worker and await them.")
    unawaited = sorted(t.get_name() for t, (_, how) in tasks.items()
                       if how == "cancelled, never awaited")
    check(not unawaited, f"{what}: run_pool cancelled {len(unawaited)} worker Task(s) but never "
          "awaited them. They happen to have ended by the time run_pool returned (a `sleep(0)` gives "
          "them a step), but a worker whose `finally` has work to do would still be running: "
          "await them after cancelling, `await minloop.gather(*workers, "
          "return_exceptions=True)`.")
    check(state["peak"] <= n_workers, f"{what}: {state['peak']} jobs were handled at the same "
          f"time with n_workers={n_workers}. Start exactly n_workers worker Tasks, not one "
          "Task per job.")
    handlers = set(state["by"].values())
    check("main" not in handlers, f"{what}: handle(job) ran in run_pool's own Task, so at most "
          f"1 job ran at once although n_workers={n_workers} could have: start n_workers "
          "worker Tasks (create_task) that run side by side, each taking jobs in a loop.")
    check(len(handlers) <= n_workers, f"{what}: the jobs were handled by {len(handlers)} "
          f"different Tasks with n_workers={n_workers}: one Task per job (or per batch) is "
          "not a pool. Start exactly n_workers worker Tasks, each taking jobs from the queue "
          "in a loop (`await queue.get()`).")
    check(not quitters, f"{what}: {len(quitters)} worker Task(s) ended on their own at "
          f"t={quitters[0] if quitters else 0:g}, before the last job arrived at t={last:g}, "
          "so fewer workers were left: `while not queue.empty()` ends a worker the moment the "
          "queue is empty for an instant. Loop with `while True`; stop the workers after "
          "join() (cancel them) or with one sentinel per worker.")
    idle = first_idle_wait(n_workers, arrivals, spans)
    if idle:
        t, job, running, start = idle
        moments = set(arrivals) | {end for _, end in spans.values()}
        asleep = (all(abs(start - m) > 1e-9 for m in moments)       # nothing happened then,
                  or any(s < start < e for s, e in spans.values()))  # or not a batch's end
        why = ("The workers took no job before the last one had arrived: start them before "
               "the `async for`, and put each job in the queue as it arrives."
               if min(s for s, _ in spans.values()) >= last else
               "A worker was free, but asleep instead of waiting for the queue. Polling (empty() or get_nowait() with "
               "a sleep between looks) or a sleep after each job? `await queue.get()` wakes a "
               "worker the moment a job is put." if asleep else "Are the jobs fed in batches (a group handled before the next is taken)? "
               "Put each job in the queue the moment it arrives: a free worker takes it at once.")
        raise CheckFailed(f"{what}: job {job} (arrived at t={arrivals[job]:g}) waited at "
                          f"t={t:g} while only {running} of the {n_workers} workers were busy, "
                          f"and started at t={start:g}. {why}")
    plan = pool_schedule(n_workers, arrivals, durations)
    for job in [j for j in jobs if abs(spans[j][0] - plan[j]) > 1e-9][:1]:
        raise CheckFailed(f"{what}: job {job} started at t={spans[job][0]:g}; taken in order of "
                          f"arrival (first in, first out: a minloop.Queue) by {n_workers} "
                          f"workers, each taking the next job as soon as it is free, it starts "
                          f"at t={plan[job]:g}. A LifoQueue or a PriorityQueue? Jobs must be "
                          "taken in the order they arrived.")
    best = max(s + d for s, d in zip(plan, durations))
    done, back = max(end for _, end in spans.values()), state["returned_at"]
    check(back - done < 1e-9, f"{what}: the last job ended at t={done:g}, but run_pool "
          f"returned only at t={back:g}: return as soon as join() returns (no extra sleep).")
    check(abs(done - best) < 1e-9, f"{what}: the jobs were done at t={done:g}; taken in order "
          f"of arrival (a FIFO minloop.Queue) by {n_workers} workers, they are done at "
          f"t={best:g}.")
    check(state["peak"] == n_workers, f"{what}: at most {state['peak']} job(s) ran at once, "
          f"although {n_workers} workers could have. Start n_workers worker Tasks that run "
          "side by side (create_task), not one worker after another, nor a hard-coded number.")

check_pool(3, [0, 0, 0, 0, 0.5, 4, 4.25, 9], [2, 1.5, 1, 3, 1, 0.5, 2, 1],
           "3 workers, jobs arriving over 9 s")
check_pool(1, [0, 0, 1.5, 6], [1, 1, 1, 1], "1 worker, jobs arriving over 6 s")
check_pool(2, [0.25, 3.5, 3.5, 3.5], [1, 1, 2, 0.5], "2 workers, a quiet start")
check_pool(2, [0, 0, 0.5], [1, 1, 30], "2 workers, a last job of 30 s")
passed("Exercise 1")
''')

md(r'''
### Exercise 2: a Lock that hands itself over

asyncio's Lock (section 4) *frees* the lock in `release()` and lets the woken waiter take it
when it runs. In between, the lock is free: that is why its `acquire()` needs the rule "take
a free lock only if no live waiter is queued", and why a woken waiter that is cancelled must
wake the next one. Another design never frees a lock somebody waits for (trio's Lock works
this way): `release()` hands it **directly** to the first waiter, whose Future completes
with the lock already its own. Write `FairLock` that way:

- `acquire()`: if the lock is free, take it (`self._locked = True`) and return True.
  Otherwise append a new Future to `self._waiters` (FIFO) and await it; when it completes,
  the lock is already yours: return True.
- `release()`: on a free lock, raise `RuntimeError("Lock is not acquired.")`. Otherwise, if
  a waiter is still waiting (its Future is not done), complete its Future and leave `_locked`
  True: the lock now belongs to that waiter. If nobody waits, set `_locked = False`.
- Cancellation: a waiter cancelled *before* it was handed the lock leaves `self._waiters`;
  one cancelled *after* (its Future has a result, but its Task was cancelled before it ran)
  owns the lock and must hand it on, with `self.release()`, before re-raising.

The check runs stories with a greedy user and with waiters cancelled at awkward moments,
and rejects: two users holding the lock at once, a newcomer barging ahead of a waiter, a
waiter that never gets the lock (a hand-off lost), a swallowed cancellation, a `release()`
that frees the lock while someone waits, busy polling, and a wrong error.
''')

code(r'''
class FairLock:
    def __init__(self):
        self._locked = False
        self._waiters = collections.deque()     # Futures of acquire() calls waiting

    def locked(self):
        return self._locked

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc):
        self.release()

    async def acquire(self):
        ### BEGIN SOLUTION
        if not self._locked:                    # a free lock has no live waiter
            self._locked = True
            return True
        fut = minloop.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut                           # release() hands the lock over
        except minloop.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()                  # handed it, then cancelled: hand it on
            elif fut in self._waiters:
                self._waiters.remove(fut)       # cancelled while waiting: just leave
            raise
        return True
        ### END SOLUTION

    def release(self):
        ### BEGIN SOLUTION
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():                  # skip waiters cancelled meanwhile
                fut.set_result(True)            # still locked: it is fut's Task's now
                return
        self._locked = False
        ### END SOLUTION
''')

code(r'''
RELEASE_HINTS = {minloop.InvalidStateError: "release() completed a Future that was already "
                 "done: a waiter's, cancelled meanwhile, or the one it had handed the lock to "
                 "already (still in self._waiters). Skip done Futures (pop them), and hand the "
                 "lock to the first waiter still waiting."}
HANDED_OVER = ("release() must complete the waiter's Future at once, not schedule it (call_soon): "
               "in between, the waiter may be cancelled (then its Future is cancelled and "
               "set_result() fails), and the lock belongs to nobody.")


def lock_trial(story):
    "Run story(lock, use, rec) on a new FairLock; return (status, value, when, rec)."
    lock = FairLock()
    rec = {"log": [], "holders": [], "overlaps": [], "swallowed": [], "seen": {}, "handed": []}

    async def use(name, hold=1.0, before=None, after=None):
        "Acquire (your acquire()), hold `hold` s, release (your release()); log it all."
        loop, cancelled = minloop.get_running_loop(), False
        with learner_code(f"await lock.acquire() (in {name})", hints=RELEASE_HINTS):
            try:
                result = await lock.acquire()
            except minloop.CancelledError:   # the story cancels B on purpose
                cancelled = True
        if cancelled:
            rec["log"].append(f"{name} cancelled")
            return
        if minloop.current_task().cancelling():
            rec["swallowed"].append((name, result))
        if rec["holders"]:
            rec["overlaps"].append((loop.time(), name, list(rec["holders"])))
        rec["holders"].append(name)
        rec["log"].append(f"{name} got it ({result!r})")
        await minloop.sleep(hold)
        rec["holders"].remove(name)
        if before:
            before()
        waiting = [f for f in lock._waiters if hasattr(f, "done") and not f.done()]
        with learner_code(f"lock.release() (in {name})", hints=RELEASE_HINTS):
            lock.release()
        rec["handed"].append(any(f.done() and not f.cancelled() for f in waiting))
        if after:
            after()

    status, value, when, leftover, tasks = bounded_run(story(lock, use, rec),
                                                       callback_hint=HANDED_OVER)
    rec["locked at the end"] = lock.locked()
    rec["waiters at the end"] = len(lock._waiters)
    return status, value, when, rec
''')

code(r'''
def greedy_story(times, others):
    "greedy uses the lock `times` times in a row; the others wait their turn (section 4)."
    async def story(lock, use, rec):
        async def greedy():
            for _ in range(times):
                await use("greedy")
        await minloop.gather(greedy(), *(use(name) for name in others))
    return story


async def cancelled_while_held(lock, use, rec):
    "A holds the lock 2 s; B and C wait; B is cancelled at t=1, while A still holds it."
    a = minloop.create_task(use("A", hold=2))
    await minloop.sleep(0)
    b, c = minloop.create_task(use("B")), minloop.create_task(use("C"))
    await minloop.sleep(0.5)
    rec["seen"]["waiters"] = [hasattr(f, "done") and not f.done() for f in lock._waiters]
    await minloop.sleep(0.5)
    b.cancel()
    await minloop.sleep(0.5)
    rec["seen"]["left"] = len(lock._waiters)        # B has left by now: only C waits
    await minloop.gather(a, b, c)
''', id="ch08-077b")

code(r'''
def cancelled_at_release(first):
    """A releases at t=1, B and C waiting. first="release": B is cancelled right after the
    release() (it was handed the lock, and has not run); first="cancel": right before it."""
    async def story(lock, use, rec):
        waiting = {}
        def after():
            rec["seen"]["locked"] = lock.locked()     # B and C wait: it is B's now
            waiting["B"].cancel()
        a = minloop.create_task(use("A", **({"after": after} if first == "release" else
                                            {"before": lambda: waiting["B"].cancel()})))
        await minloop.sleep(0)
        waiting["B"] = minloop.create_task(use("B"))
        c = minloop.create_task(use("C"))
        await minloop.gather(a, waiting["B"], c)
    return story


async def only_waiter_cancelled(lock, use, rec):
    "A releases at t=1 to B, the only waiter; B is cancelled right after, before it runs."
    waiting = {}
    a = minloop.create_task(use("A", after=lambda: waiting["B"].cancel()))
    await minloop.sleep(0)
    waiting["B"] = minloop.create_task(use("B"))
    await minloop.gather(a, waiting["B"])
''', id="ch08-077c")

code(r'''
OVERLAP = ("acquire() returned to a Task that did not own the lock: a missing `await fut`? a "
           "fast path that ignores self._locked? or a release() that freed the lock (so a "
           "newcomer took it) and also woke a waiter who took it too? release() hands it over.")

LEFT_LOCKED = ("the lock was left locked after every user had released it: when nobody "
               "waits, release() sets _locked = False.")

def run_story(story, what, hint=OVERLAP, left_locked=LEFT_LOCKED):
    status, value, when, rec = lock_trial(story)
    for name, result in rec["swallowed"][:1]:
        raise CheckFailed(f"{what}: {name} was cancelled while it waited, but acquire() "
                          f"returned {result!r} instead of raising CancelledError: it swallowed "
                          "the cancellation. After leaving self._waiters (cancelled before it "
                          "was handed the lock) or handing the lock on (after), re-raise it "
                          "(`raise`).")
    for t, name, holders in rec["overlaps"][:1]:
        raise CheckFailed(f"{what}: two users held the lock at once: {name} got it at "
                          f"t={t:g} while {' and '.join(holders)} held it. {hint}")
    if status == "error":
        raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
    check(status != "busy", f"{what}: the loop turned thousands of times by t={when:g}: busy "
          "polling. Wait on a Future in self._waiters, not in a loop of sleep(0).")
    for line in rec["log"]:
        name, _, result = line.partition(" got it (")
        check(not result or result == "True)", f"{what}: acquire() returned {result[:-1]} to "
              f"{name}: return True, as asyncio's Lock.acquire() does.")
    check(status != "ok" or not rec["locked at the end"], f"{what}: {left_locked}")
    return status, when, rec
''', id="ch08-077d")

check(r'''
with learner_code("release() of a lock nobody holds"):
    try:
        FairLock().release()
        raise CheckFailed("release() of a free lock raised nothing: raise "
                          "RuntimeError('Lock is not acquired.').")
    except NotImplementedError:
        raise                         # (a RuntimeError too: the stub, not written yet)
    except RuntimeError as exc:
        check_equal(str(exc), "Lock is not acquired.", "the RuntimeError's message")

for times, others, order in ((3, "AB", ["greedy", "A", "B", "greedy", "greedy"]),
                             (2, "A", ["greedy", "A", "greedy"])):
    what = f"greedy ({times} uses) with {' and '.join(others)} waiting"
    status, when, rec = run_story(greedy_story(times, others), what)
    check(status == "ok" or rec["holders"] or not rec["locked at the end"]
          or not rec["handed"][-1:] == [True], f"{what}: release() handed the lock to a waiter "
          "(completed its Future), but that waiter's acquire() did not return: nobody held the "
          "lock, and it stayed locked. Once your Future completes, the lock is already yours: "
          "return True at once. Do not check self._locked again: a `while self._locked:` loop "
          "sees the very lock it was just handed, and waits again.")
    check(status == "ok", f"{what}: the users had not finished after {when:g} s (log: "
          f"{rec['log']}): does release() hand the lock to the first waiter (complete its "
          "Future)?")
    check_equal([line.split()[0] for line in rec["log"]], order, f"{what}: who held the lock, "
                "in order", hint="a newcomer (greedy, asking again right after its release) "
                "barged ahead of a waiter: release() must hand the lock to the first waiter, "
                "not free it for whoever asks next.")
    check(rec["waiters at the end"] == 0, f"{what}: when everyone was done, self._waiters "
          f"still held {rec['waiters at the end']} Future(s), all of them done: a waiter that "
          "was handed the lock never left the deque, which grows with every wait. Take each "
          "Future out once it is done with: release() pops the one it completes (popleft), "
          "or acquire() removes its own.")

what = "B cancelled while A holds the lock"
status, when, rec = run_story(cancelled_while_held, what, hint="B was cancelled before it was "
                              "handed the lock, and passed on a lock it did not own (A's): "
                              "only a waiter whose Future has a result may call self.release(); "
                              "one whose Future was cancelled just leaves self._waiters.")
waiting = rec["seen"].get("waiters", [])
pending = sum(waiting)                   # each: a pending Future, at t=0.5
check(len(waiting) == pending == 2, f"{what}: B and C were waiting for the lock, but "
      f"self._waiters held {len(waiting)} item(s), {pending} of them a pending Future: each "
      "acquire() that waits must append its own Future to self._waiters and await it (a "
      "minloop.Lock hidden inside does not count: the exercise is to write one).")
check(status == "ok" and "C got it (True)" in rec["log"], f"{what}: C never got the lock "
      f"after A released it (log: {rec['log']}). A waiter cancelled before it was handed the "
      "lock must leave self._waiters, and release() must skip Futures that are done.")
check(rec["seen"]["left"] == 1, f"{what}: half a second after B was cancelled, "
      f"self._waiters still held {rec['seen']['left']} Futures (C's only, expected): a waiter "
      "cancelled before it was handed the lock must take its Future out of self._waiters.")

what = "B handed the lock by A's release(), then cancelled before it ran"
status, when, rec = run_story(cancelled_at_release("release"), what)
check("C got it (True)" in rec["log"] or rec["locked at the end"], f"{what}: C never got the "
      f"lock, and it ended free (log: {rec['log']}): when B handed it on with self.release(), "
      "release() did not reach C's Future. Does it look only at the first Future in "
      "self._waiters? That one was B's own, done (it had been handed the lock), so release() "
      "freed the lock instead of handing it to C. release() must skip every done Future and "
      "complete the first one still pending.")
check(status == "ok" and "C got it (True)" in rec["log"], f"{what}: C never got the lock "
      f"(log: {rec['log']}; locked: {rec['locked at the end']}). Once its Future has a "
      "result, the lock is B's: in acquire(), on CancelledError, if your Future has a result "
      "(it is not cancelled), hand the lock on with self.release() before re-raising.")
check(rec["seen"]["locked"], f"{what}: just after A's release(), with B and C waiting, "
      "lock.locked() was False: release() freed the lock. Here release() hands it over: it "
      "completes the first waiter's Future and leaves _locked True (the lock is the waiter's). "
      "Freeing it for the woken waiter to take is asyncio's design (section 4), not this one.")

what = "B cancelled, then A's release() before B ran"
status, when, rec = run_story(cancelled_at_release("cancel"), what)
check(status == "ok" and "C got it (True)" in rec["log"], f"{what}: C never got the lock "
      f"(log: {rec['log']}; locked: {rec['locked at the end']}). When A released, B's Future "
      "was already cancelled: release() must skip done Futures and hand the lock to the first "
      "waiter still waiting (C).")

what = "A releases to B, the only waiter, and B is cancelled before it runs"
status, when, rec = run_story(only_waiter_cancelled, what, left_locked="B was handed the lock "
                              "and cancelled with nobody waiting behind it, and the lock stayed "
                              "locked for ever, held by nobody. The lock is B's once its Future "
                              "has a result: B must give it back with self.release() whether "
                              "or not anyone else waits (release() frees it when nobody does).")
passed("Exercise 2")
''')

md(r'''
### Exercise 3: `gather`, but at most `limit` at a time

Write `bounded_gather(limit, coros)`: run the coroutines of the list `coros` with **at most
`limit` of them running at once** (use a `minloop.Semaphore`), each starting as soon as a
slot is free, and return their results *in the order of `coros`*, as `gather` does. A
coroutine that raises puts its exception in the list in its place (like
`gather(..., return_exceptions=True)`), and must not keep its slot. The coroutines may start
in any order: what matters is that no slot stays free while a coroutine waits. Cancelling
`bounded_gather` cancels the coroutines it runs, and `bounded_gather` itself ends cancelled,
only once they have ended (a cancelled coroutine may take time to clean up).

The check rejects: more than `limit` at once, fewer than `limit` when more could run (one
after the other, in batches, or polling), results in the wrong order, a slot kept by a
coroutine that raised (release it in a `finally`, or use `async with`), a slot given back
twice or never held, a Semaphore kept from an earlier run, busy polling, and a cancellation
that does not stop the children, that ends before they do, that they turn into a result,
or that `bounded_gather` swallows.
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
class _CountingSemaphore(minloop.Semaphore):
    "minloop.Semaphore, counting the slots held: the check sees one given back and not held."
    made = []                                       # this trial's Semaphores

    def __init__(self, value=1):
        super().__init__(value)
        self._held, self.over_released = 0, 0
        self.made.append(self)

    async def acquire(self):
        await super().acquire()
        self._held += 1
        return True

    def release(self):
        self._held -= 1
        self.over_released += self._held < 0
        self._held = max(self._held, 0)
        super().release()


_CountingSemaphore.__name__ = _CountingSemaphore.__qualname__ = "Semaphore"   # in messages
_CountingSemaphore.__module__ = "minloop.locks"


def gather_trial(limit, durations, failing=(), cancel_at=None):
    """Run bounded_gather over jobs of `durations`; jobs in `failing` raise ValueError; when
    cancelled, a job takes half a second to clean up (its `finally` awaits)."""
    state = {"spans": {}, "running": set(), "peak": 0, "finished": [], "outer": None,
             "sems": [], "told": set()}

    async def job(i):
        loop = minloop.get_running_loop()
        state["spans"][i] = (loop.time(), float("inf"))
        state["running"].add(i)
        state["peak"] = max(state["peak"], len(state["running"]))
        try:
            await minloop.sleep(durations[i])
            if i in failing:
                raise ValueError(f"job {i} failed")
            state["finished"].append(i)
            return f"r{i}"
        except minloop.CancelledError:
            state["told"].add(i)
            await minloop.sleep(0.5)                # cleaning up takes time
            raise
        finally:
            state["running"].discard(i)
            state["spans"][i] = (state["spans"][i][0], loop.time())

    async def main():
        coros = state["coros"] = [job(i) for i in range(len(durations))]
        with learner_code(f"bounded_gather({limit}, coros)", hints={ValueError: "a job's "
                          "exception goes in the results, in its place, not out of "
                          "bounded_gather: gather(..., return_exceptions=True)."}):
            if cancel_at is not None:
                outer = state["outer"] = minloop.ensure_future(bounded_gather(limit, coros))
                await minloop.sleep(cancel_at)
                outer.cancel()
                await minloop.wait([outer])
                state["running then"] = set(state["running"])  # the moment it ended
                state["told then"] = set(state["told"])
                return None
            try:
                results = await bounded_gather(limit, coros)
            except minloop.CancelledError:
                if minloop.current_task().cancelling():
                    return None         # bounded_run stopping a hang: not your error
                raise
            except BaseExceptionGroup as group:
                if not group.subgroup(ValueError):
                    raise
                raise CheckFailed(f"bounded_gather({limit}, coros) raised {group!r}: a job's "
                                  "ValueError came out of it, inside an ExceptionGroup (a "
                                  "TaskGroup?). A job's exception goes in the results, in its "
                                  "place: catch it in the Task that runs the job (`except "
                                  "Exception`), since one failing Task cancels the whole group."
                                  ) from None
        state["returned_at"] = minloop.get_running_loop().time()
        return results

    _CountingSemaphore.made = state["sems"]
    real, minloop.Semaphore = minloop.Semaphore, _CountingSemaphore
    try:
        answer = bounded_run(main())
    finally:
        minloop.Semaphore = real
        for coro in state["coros"]:
            coro.close()      # the ones never started (no "never awaited" warning)
    return (state, *answer)
''')

check(r'''
def check_gather(limit, durations, what, failing=()):
    state, status, value, when, leftover, tasks = gather_trial(limit, durations, failing)
    n = len(durations)
    if status == "error":
        raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
    check(status != "busy", f"{what}: the loop turned thousands of times by t={when:g}: busy "
          "polling. Let the Semaphore do the waiting: `async with sem:`.")
    check(status == "ok", f"{what}: bounded_gather had not returned after {when:g} s; jobs "
          f"{sorted(set(range(n)) - set(state['spans']))} never started. " + (
          "A job that raised kept its slot: release the Semaphore in a `finally` (or use "
          "`async with sem:`), so a failure gives its slot back." if failing else
          "Is every slot released when its job ends?"))
    strays = [(i, v) for i, v in enumerate(value or []) if isinstance(v, BaseException)
              and not (i in failing and isinstance(v, ValueError))]
    for i, exc in strays[:1]:
        raise CheckFailed(f"{what}: job {i} never ran: its place in the results holds "
                          f"{re.sub(' at 0x[0-9a-f]+', '', repr(exc))}. "
                          + ("A Semaphore made on an earlier run (kept in a global, a cache, a "
                             "default argument) belongs to that run's event loop: make a new "
                             "Semaphore(limit) in each call of bounded_gather."
                             if "different event loop" in str(exc) else
                             "Every job must run; only a job's own exception goes in the results."))
    check(state["peak"] <= limit or not failing, f"{what}: {state['peak']} jobs ran at once "
          f"with limit={limit}, after a job had failed: the failing job gave its slot back "
          "twice (release() in `except` and again in `finally`?). Release exactly once: "
          "`async with sem:` does; a BoundedSemaphore would raise ValueError at the second.")
    check(state["peak"] <= limit, f"{what}: {state['peak']} jobs ran at once with limit="
          f"{limit}. Every job must hold a slot of one shared Semaphore(limit) while it runs.")
    check(state["peak"] == limit, f"{what}: at most {state['peak']} job(s) ran at once, although "
          f"limit={limit}: the jobs must run side by side (gather them), not one after the other, "
          "with one Semaphore(limit), not a hard-coded size.")
    idle = first_idle_wait(limit, [0] * n, state["spans"])
    if idle:
        t, job, running, start = idle
        ends = {0} | {end for _, end in state["spans"].values()}
        asleep = (all(abs(start - e) > 1e-9 for e in ends)
                  or any(s < start < e for s, e in state["spans"].values()))
        raise CheckFailed(f"{what}: job {job} waited at t={t:g} while only {running} of the "
                          f"{limit} slots were taken, and started at t={start:g}. " + (
                          "Nothing freed a slot at that moment: it was asleep, polling "
                          "(`while sem.locked(): await sleep(...)`, a counter and a sleep). Let "
                          "the Semaphore do the waiting: `async with sem:` wakes it the moment "
                          "a slot is free." if asleep else
                          f"Batches? gathering {limit} coroutines at a time waits for the "
                          "slowest of each batch. Start them all at once, each waiting for a "
                          "slot of one Semaphore(limit): a job starts the moment any slot is "
                          "free."))
    last = max(end for _, end in state["spans"].values())
    check(abs(state["returned_at"] - last) < 1e-9, f"{what}: bounded_gather returned at "
          f"t={state['returned_at']:g}, but the last job ended at t={last:g}: return as soon as "
          "the last one ends.")
    expected = [ValueError if i in failing else f"r{i}" for i in range(n)]
    got = [type(v) if isinstance(v, BaseException) else v for v in (value or [])]
    check_equal(got, expected, f"{what}: the results", hint="in the order of coros (not the "
                "order they finish), an exception in the place of a job that raised.")

check_gather(2, [3, 1, 1, 0.5, 2], "limit 2, five jobs")
check_gather(3, [1, 2, 1.5, 1, 1, 0.25, 2], "limit 3, seven jobs")
check_gather(2, [0.5, 0.25, 1, 1, 1], "limit 2, the first two jobs fail", failing=(0, 1))
state, status, value, when, leftover, tasks = gather_trial(2, [1, 1, 1, 1, 1], cancel_at=1.5)
what = "bounded_gather cancelled at t=1.5 (each job takes 0.5 s to clean up)"
if status == "error":
    raise value if isinstance(value, CheckFailed) else CheckFailed(f"{what}: {value!r}")
went_on = sorted(state.get("running then", set()) - state.get("told then", set())
                 | {i for i in state["finished"] if state["spans"][i][1] > 1.5})
check(status == "ok" and not went_on, f"{what}: its jobs went on (jobs {went_on} were still "
      "running, never cancelled, or ended after it was cancelled): cancelling bounded_gather "
      "must cancel the jobs it runs (gather does that; Tasks you create yourself, you must "
      "cancel).")
outer = state["outer"]
if not (outer.cancelled() or isinstance(outer.exception(), minloop.CancelledError)):
    raise CheckFailed(f"{what}: it " + (
        f"returned {outer.result()!r}: it swallowed its own cancellation" if outer.exception()
        is None else f"raised {outer.exception()!r}") + ", instead of raising CancelledError. "
        "Let the CancelledError out of bounded_gather (do not catch it, or re-raise it), so "
        "whoever cancelled it sees it end cancelled.")
check(not state["running then"], f"{what}: bounded_gather had ended while "
      f"{len(state['running then'])} of its jobs were still cleaning up after their cancellation: "
      "it must end after them. Tasks you made yourself: cancel() only asks; cancel them, then "
      "await them (`await minloop.gather(*tasks, return_exceptions=True)`) before re-raising. "
      "gather() without return_exceptions=True ends at the first child that ends cancelled or "
      "raises, while the others still run; with it, gather waits for every child.")
returned = sorted(t.get_name() for t, (end, how) in tasks.items()
                  if how.startswith("returned") and end >= 1.5 and t is not outer)
check(not returned, f"{what}: the Tasks running its jobs ({len(returned)} of them) returned "
      "instead of ending cancelled: a wrapper that catches BaseException (or CancelledError) "
      "and returns it turns the cancellation into a result. Catch `Exception`: a job's "
      "errors, not its cancellation.")
check(sum(sem.over_released for sem in state["sems"]) == 0, f"{what}: a coroutine "
      "cancelled while it waited for a slot gave back a slot it never held: its acquire() "
      "is inside the `try` whose `finally` releases. Acquire first, then `try`/`finally` "
      "(or `async with sem:`).")
passed("Exercise 3")
''')

md(r'''
**Next:** chapter 09 leaves the single thread: subprocess pipes, `run_in_executor`, and
`call_soon_threadsafe`, the one door into a loop from another thread.
''')


if __name__ == "__main__":
    nb.write()
