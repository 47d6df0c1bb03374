"""Chapter 08's exercise checks reject the wrong answers learners write, and say why.

Each case runs the notebook's own check cell (through tests/exercise_harness.py, in one real
kernel for the chapter) against an answer in place of the solution, and asserts that the
check rejects it with a CheckFailed whose message names the mistake. The notebook's solution
must pass, the student stub must be rejected, and other right answers must pass. Many cases
come from a learner's pass over the chapter: answers the first checks let through, or
rejected naming the wrong mistake. test_other adds, in exercise order: the right answers
that must pass, answers whose message must not name a mistake they did not make, and a check
that must leave nothing behind to fail later when it is garbage-collected.
"""

import pytest

from exercise_harness import make_tests

# ---------------------------------------------------------------- Exercise 1: run_pool

POOL_TAIL = """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    await queue.put(job)
await queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
"""

WORKER = """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
        queue.task_done()
"""

# A worker that swallows the cancellation of its get(): the pool never ends; the check must
# stop it and leave nothing suspended (a learner saw "Exception ignored ... Event loop is
# closed" tracebacks cells later, when the leftovers were garbage-collected).
SWALLOWS_IN_GET = """
queue = minloop.Queue()
async def worker():
    while True:
        try:
            job = await queue.get()
        except minloop.CancelledError:
            continue
        await handle(job)
        queue.task_done()
""" + POOL_TAIL

POLL_WITH_SLEEP = """
queue = minloop.Queue()
async def worker():
    while True:
        if queue.empty():
            await minloop.sleep({pause})
            continue
        job = queue.get_nowait()
        await handle(job)
        queue.task_done()
""" + POOL_TAIL

POOL_WRONG = [
    ("forgotten task_done: join() hangs (bounded by the check)", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
""" + POOL_TAIL, ["task_done", "had not returned", "queue.join()"]),
    ("`while not queue.empty()` consumer", """
queue = minloop.Queue()
async def worker():
    while not queue.empty():
        job = await queue.get()
        await handle(job)
        queue.task_done()
""" + POOL_TAIL, ["never handled", "while not queue.empty()"]),
    ("`while not queue.empty()`, workers started at the first job", """
queue = minloop.Queue()
async def worker():
    while not queue.empty():
        job = await queue.get()
        await handle(job)
        queue.task_done()
workers = []
async for job in source:
    queue.put_nowait(job)
    if not workers:
        workers = [minloop.create_task(worker()) for _ in range(n_workers)]
await minloop.gather(*workers)
""", ["ended on their own", "while not queue.empty()"]),
    ("the chapter's opening mistake: produce everything, then consume until empty", """
queue = minloop.Queue()
async def worker():
    while not queue.empty():
        job = await queue.get()
        await handle(job)
        queue.task_done()
async for job in source:
    queue.put_nowait(job)
await minloop.gather(*(worker() for _ in range(n_workers)))
""", ["waited", "no job before the last one had arrived", "before the `async for`"]),
    ("workers started only after every job has arrived", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        try:
            await handle(job)
        finally:
            queue.task_done()
async for job in source:
    await queue.put(job)
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
await queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["waited", "before the `async for`"]),
    ("batches: gather n_workers jobs at a time, no queue, no workers", """
batch = []
async for job in source:
    batch.append(job)
    if len(batch) == n_workers:
        await minloop.gather(*(handle(j) for j in batch))
        batch = []
await minloop.gather(*(handle(j) for j in batch))
""", ["different tasks", "not a pool"]),
    ("workers, but the queue fed in batches (join() after each)", WORKER + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
batch = 0
async for job in source:
    queue.put_nowait(job)
    batch += 1
    if batch == n_workers:
        await queue.join()
        batch = 0
await queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["waited", "batches"]),
    ("polling with sleep(0.01)", POLL_WITH_SLEEP.format(pause=0.01), ["polling"]),
    ("polling with sleep(0.001)", POLL_WITH_SLEEP.format(pause=0.001), ["busy polling"]),
    ("Semaphore and one Task per job: no workers, no queue", """
sem = minloop.Semaphore(n_workers)
async def one(job):
    async with sem:
        await handle(job)
tasks = []
async for job in source:
    tasks.append(minloop.create_task(one(job)))
await minloop.gather(*tasks)
""", ["different tasks", "n_workers"]),
    ("forgotten await on handle(job)", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        handle(job)
        queue.task_done()
""" + POOL_TAIL, ["never ran", "forgotten `await`"]),
    ("task_done() right after get(), before the job is handled", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        queue.task_done()
        await handle(job)
""" + POOL_TAIL, ["cancelled in the middle", "task_done()", "after"]),
    ("join() before the feeding loop", WORKER + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
await queue.join()
async for job in source:
    queue.put_nowait(job)
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["never handled", "join() after putting the last job"]),
    ("workers cancelled right after feeding, no join()", WORKER + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["never handled", "join() after putting the last job"]),
    ("one sentinel for all the workers", """
queue = minloop.Queue()
async def worker():
    while (job := await queue.get()) is not None:
        await handle(job)
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
queue.put_nowait(None)
await minloop.gather(*workers)
""", ["had not returned", "one sentinel per worker"]),
    ("create_task(worker): the function, not a coroutine", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
        queue.task_done()
workers = [minloop.create_task(worker) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
await queue.join()
""", ["TypeError", "coroutine was expected", "of its cell"]),
    ("workers never stopped (no cancel after join)", WORKER + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    await queue.put(job)
await queue.join()
""", ["still running", "cancel"]),
    ("worker swallows the cancellation and goes on", """
queue = minloop.Queue()
async def worker():
    while True:
        try:
            job = await queue.get()
            await handle(job)
            queue.task_done()
        except minloop.CancelledError:
            continue
""" + POOL_TAIL, ["CancelledError", "still running"]),
    ("worker swallows the cancellation of its get()", SWALLOWS_IN_GET,
     ["CancelledError", "still running"]),
    ("busy polling with sleep(0)", """
queue = minloop.Queue()
async def worker():
    while True:
        if queue.empty():
            await minloop.sleep(0)
            continue
        job = queue.get_nowait()
        await handle(job)
        queue.task_done()
""" + POOL_TAIL, ["busy polling"]),
    ("one Task per job: no bound", """
tasks = []
async for job in source:
    tasks.append(minloop.create_task(handle(job)))
await minloop.gather(*tasks)
""", ["at the same time", "n_workers"]),
    ("no workers: handles each job itself, one at a time", """
async for job in source:
    await handle(job)
""", ["at most 1", "side by side"]),
    ("hard-coded three workers", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        try:
            await handle(job)
        finally:
            queue.task_done()
workers = [minloop.create_task(worker()) for _ in range(3)]
async for job in source:
    await queue.put(job)
await queue.join()
for w in workers:
    w.cancel()
""", ["n_workers=1"]),
    ("one worker too many", WORKER + """
workers = [minloop.create_task(worker()) for _ in range(n_workers + 1)]
async for job in source:
    queue.put_nowait(job)
await queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["at the same time", "n_workers=3"]),
    ("workers started one after the other (awaited in turn)", """
queue = minloop.Queue()
async for job in source:
    queue.put_nowait(job)
async def worker():
    while not queue.empty():
        await handle(queue.get_nowait())
for _ in range(n_workers):
    await worker()
""", ["at most 1"]),
]

POOL_ACCEPTED = [
    ("sentinels, one per worker", """
queue = minloop.Queue()
async def worker():
    while (job := await queue.get()) is not None:
        await handle(job)
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    await queue.put(job)
for _ in workers:
    await queue.put(None)
await minloop.gather(*workers)
"""),
    ("bounded queue, join, cancel without awaiting", """
queue = minloop.Queue(maxsize=n_workers)
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
        queue.task_done()
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    await queue.put(job)
await queue.join()
for w in workers:
    w.cancel()
await minloop.sleep(0)
"""),
    ("join and cancel in a finally", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        try:
            await handle(job)
        finally:
            queue.task_done()
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
try:
    async for job in source:
        queue.put_nowait(job)
    await queue.join()
finally:
    for w in workers:
        w.cancel()
    await minloop.gather(*workers, return_exceptions=True)
"""),
    ("a feeder and the workers gathered, sentinels", """
queue = minloop.Queue()
async def worker():
    while (job := await queue.get()) is not None:
        await handle(job)
async def feed():
    async for job in source:
        await queue.put(job)
    for _ in range(n_workers):
        await queue.put(None)
await minloop.gather(feed(), *(worker() for _ in range(n_workers)))
"""),
    ("a TaskGroup of workers, sentinels", """
queue = minloop.Queue(maxsize=1)
async def worker():
    while (job := await queue.get()) is not None:
        await handle(job)
async with minloop.TaskGroup() as tg:
    for _ in range(n_workers):
        tg.create_task(worker())
    async for job in source:
        await queue.put(job)
    for _ in range(n_workers):
        await queue.put(None)
"""),
]

# ---------------------------------------------------------------- Exercise 2: FairLock
# The exercise is a lock that hands itself over: release() completes the first live
# waiter's Future and leaves the lock locked (it is that waiter's now).

ACQUIRE = """
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if fut.done() and not fut.cancelled():
        self.release()
    elif fut in self._waiters:
        self._waiters.remove(fut)
    raise
return True
"""

RELEASE = """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
while self._waiters:
    fut = self._waiters.popleft()
    if not fut.done():
        fut.set_result(True)
        return
self._locked = False
"""

# asyncio's own design (section 4): release() frees the lock and wakes the first waiter.
FREE_AND_WAKE = """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
self._locked = False
if self._waiters and not self._waiters[0].done():
    self._waiters[0].set_result(True)
"""

ASYNCIO_ACQUIRE = """
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
    if not self._locked and self._waiters and not self._waiters[0].done():
        self._waiters[0].set_result(True)
    raise
self._locked = True
return True
"""

LOCK_WRONG = [
    ("asyncio's design copied from section 4 (release frees the lock)",
     [ASYNCIO_ACQUIRE, FREE_AND_WAKE], ["locked() was False", "hands it over"]),
    ("asyncio's design with a fast path that lets a newcomer past a woken waiter",
     [ASYNCIO_ACQUIRE.replace("w.cancelled()", "w.done()"), FREE_AND_WAKE],
     ["two users held the lock at once"]),
    ("newcomer barges in (checks only the flag)", ["""
while self._locked:
    fut = minloop.get_running_loop().create_future()
    self._waiters.append(fut)
    try:
        await fut
    finally:
        self._waiters.remove(fut)
self._locked = True
return True
""", FREE_AND_WAKE], ["barged"]),
    ("hand-off acquire, but release() frees the lock and wakes the first waiter",
     [ACQUIRE, FREE_AND_WAKE], ["two users held the lock at once"]),
    ("asyncio's design: a cancelled waiter swallows the wake-up", ["""
if not self._locked and all(w.cancelled() for w in self._waiters):
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
finally:
    self._waiters.remove(fut)
self._locked = True
return True
""", FREE_AND_WAKE], ["C never got the lock", "self.release()"]),
    ("asyncio's design: a cancelled waiter never leaves the deque", ["""
if not self._locked and not self._waiters:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
await fut
self._waiters.remove(fut)
self._locked = True
return True
""", FREE_AND_WAKE], ["never got the lock", "leave self._waiters"]),
    ("handed the lock, then cancelled: does not hand it on", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if fut in self._waiters:
        self._waiters.remove(fut)
    raise
return True
""", RELEASE], ["C never got the lock", "hand the lock on", "self.release()"]),
    ("a waiter cancelled before the hand-off stays in the deque", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if fut.done() and not fut.cancelled():
        self.release()
    raise
return True
""", RELEASE], ["still held 2", "take its Future out of self._waiters"]),
    ("hands on a lock it does not own (release() on every cancellation)", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    self.release()
    raise
return True
""", RELEASE], ["two users held the lock at once", "did not own"]),
    ("release() hands the lock to a cancelled Future", [None, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
if self._waiters:
    self._waiters.popleft().set_result(True)
else:
    self._locked = False
"""], ["InvalidStateError", "skip done Futures"]),
    ("release() looks only at the first waiter", [None, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
if self._waiters:
    fut = self._waiters.popleft()
    if not fut.done():
        fut.set_result(True)
        return
self._locked = False
"""], ["already cancelled", "skip done Futures"]),
    ("swallows the cancellation (returns False)",
     [ACQUIRE.replace("    raise\n", "    return False\n"), RELEASE],
     ["swallowed", "CancelledError"]),
    ("forgotten `await fut`", [ACQUIRE.replace("    await fut\n", "    fut\n"), RELEASE],
     ["two users held the lock at once", "await fut"]),
    ("busy polling with sleep(0)", ["""
while self._locked:
    await minloop.sleep(0)
self._locked = True
return True
""", RELEASE], ["busy polling"]),
    ("a minloop.Lock hidden inside", ["""
if not hasattr(self, "_real"):
    self._real = minloop.Lock()
await self._real.acquire()
self._locked = True
return True
""", """
if not hasattr(self, "_real"):
    self._real = minloop.Lock()
self._real.release()
self._locked = self._real.locked()
"""], ["self._waiters", "pending Future"]),
    ("release of a free lock raises nothing", [None, """
self._locked = False
"""], ["raised nothing"]),
    ("release raises the wrong message", [None, RELEASE.replace("Lock is not acquired.",
                                                               "not locked")],
     ["Lock is not acquired."]),
    ("release frees the lock and hands it to nobody", [None, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
self._locked = False
"""], ["had not finished", "release()"]),
    ("acquire returns None", [ACQUIRE.replace("return True", "return"), RELEASE],
     ["returned None", "return True"]),
]

LOCK_ACCEPTED = [
    ("ownership hand-off, written another way", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if fut in self._waiters:
        self._waiters.remove(fut)
    elif fut.done() and not fut.cancelled():
        self.release()          # it was handed to us: hand it on
    raise
return True
""", """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
while self._waiters:
    fut = self._waiters.popleft()
    if not fut.done():
        fut.set_result(True)    # the lock stays locked: it now belongs to fut's Task
        return
self._locked = False
"""]),
    ("hand-off with a list of live waiters", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except BaseException:
    if fut.done() and not fut.cancelled():
        self.release()
    else:
        self._waiters = collections.deque(w for w in self._waiters if w is not fut)
    raise
return True
""", """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
live = [f for f in self._waiters if not f.done()]
self._waiters = collections.deque(live[1:])
if live:
    live[0].set_result(True)
else:
    self._locked = False
"""]),
]

# ---------------------------------------------------------------- Exercise 3: bounded_gather

GATHER_WRONG = [
    ("release not in finally: a failing job keeps its slot", """
sem = minloop.Semaphore(limit)
async def one(coro):
    await sem.acquire()
    result = await coro
    sem.release()
    return result
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["kept its slot", "finally"]),
    ("a failing job gives its slot back twice (except and finally)", """
sem = minloop.Semaphore(limit)
async def one(coro):
    await sem.acquire()
    try:
        return await coro
    except Exception as exc:
        sem.release()
        return exc
    finally:
        sem.release()
return await minloop.gather(*(one(c) for c in coros))
""", ["twice", "BoundedSemaphore"]),
    ("no Semaphore at all", """
return await minloop.gather(*coros, return_exceptions=True)
""", ["ran at once", "Semaphore"]),
    ("a Semaphore per job (bounds nothing)", """
async def one(coro):
    async with minloop.Semaphore(limit):
        return await coro
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["ran at once", "shared"]),
    ("one after the other", """
results = []
for c in coros:
    try:
        results.append(await c)
    except Exception as exc:
        results.append(exc)
return results
""", ["at most 1", "side by side"]),
    ("batches of `limit` coroutines", """
results = []
for i in range(0, len(coros), limit):
    results += await minloop.gather(*coros[i:i + limit], return_exceptions=True)
return results
""", ["waited", "batches"]),
    ("results in the order they finish", """
sem = minloop.Semaphore(limit)
results = []
async def one(coro):
    async with sem:
        try:
            results.append(await coro)
        except Exception as exc:
            results.append(exc)
await minloop.gather(*(one(c) for c in coros))
return results
""", ["the results", "order of coros"]),
    ("exceptions raised instead of returned", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        return await coro
return await minloop.gather(*(one(c) for c in coros))
""", ["ValueError", "return_exceptions"]),
    ("busy polling a counter with sleep(0)", """
running = 0
async def one(coro):
    nonlocal running
    while running >= limit:
        await minloop.sleep(0)
    running += 1
    try:
        return await coro
    finally:
        running -= 1
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["busy polling"]),
    ("own Tasks, not cancelled with bounded_gather", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        try:
            return await coro
        except Exception as exc:
            return exc
tasks = [minloop.create_task(one(c)) for c in coros]
return [await t for t in tasks]
""", ["cancelled at t=1.5", "cancel the jobs"]),
    ("swallows its own cancellation", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        return await coro
try:
    return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
except minloop.CancelledError:
    return None
""", ["cancelled at t=1.5", "swallowed", "CancelledError"]),
    ("hard-coded limit of 2", """
sem = minloop.Semaphore(2)
async def one(coro):
    async with sem:
        return await coro
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["limit=3"]),
]

GATHER_ACCEPTED = [
    ("acquire/release in try/finally", """
sem = minloop.Semaphore(limit)
async def one(coro):
    await sem.acquire()
    try:
        return await coro
    except Exception as exc:
        return exc
    finally:
        sem.release()
return list(await minloop.gather(*map(one, coros)))
"""),
    ("a TaskGroup filling a list of results", """
sem = minloop.Semaphore(limit)
results = [None] * len(coros)
async def one(i, c):
    async with sem:
        try:
            results[i] = await c
        except Exception as exc:
            results[i] = exc
async with minloop.TaskGroup() as tg:
    for i, c in enumerate(coros):
        tg.create_task(one(i, c))
return results
"""),
]

WRONG = {1: POOL_WRONG, 2: LOCK_WRONG, 3: GATHER_WRONG}
ACCEPTED = {1: POOL_ACCEPTED, 2: LOCK_ACCEPTED, 3: GATHER_ACCEPTED}

chapter, test_check = make_tests("08_queues_locks", WRONG)

# ---------------------------------------------------------------- messages that misname

POOL_WRONG_BY_LABEL = {label: answer for label, answer, *_ in POOL_WRONG}

# (exercise, label, answer, words the message must NOT contain): each was rejected naming a
# mistake the answer did not make.
MISNAMED = [
    (1, "polling with sleep(0.001) is not sleep(0), and the clock did move",
     POLL_WITH_SLEEP.format(pause=0.001), ["sleep(0)", "without the clock moving"]),
    (1, "a forgotten await is not a `while not queue.empty()` worker",
     POOL_WRONG_BY_LABEL["forgotten await on handle(job)"], ["queue.empty()"]),
    (1, "task_done() before handling is not a `while not queue.empty()` worker",
     POOL_WRONG_BY_LABEL["task_done() right after get(), before the job is handled"],
     ["queue.empty()"]),
    (1, "join() before feeding is not a `while not queue.empty()` worker",
     POOL_WRONG_BY_LABEL["join() before the feeding loop"], ["queue.empty()"]),
    (1, "the empty() mistake with workers at the first job is not 'at most 1 at once'",
     POOL_WRONG_BY_LABEL["`while not queue.empty()`, workers started at the first job"],
     ["at most 1 job"]),
    (1, "the TypeError is in the learner's line, not in the check's helpers",
     POOL_WRONG_BY_LABEL["create_task(worker): the function, not a coroutine"],
     ["`budget`", "`record`", "`bounded_run`", "`pool_trial`"]),
    (2, "a swallowed cancellation is not a RuntimeError from release()",
     [ACQUIRE.replace("    raise\n", "    return False\n"), RELEASE], ["RuntimeError"]),
    (2, "a forgotten await is not a bare RuntimeError repr",
     [ACQUIRE.replace("    await fut\n", "    fut\n"), RELEASE], ["RuntimeError("]),
    (3, "a double release is not 'hold a slot of one shared Semaphore'",
     {label: answer for label, answer, *_ in GATHER_WRONG}[
         "a failing job gives its slot back twice (except and finally)"], ["shared"]),
]

# ---------------------------------------------------------------- one test, in exercise order
# Right answers that must pass, answers whose message must not misname the mistake, and the
# leftovers test, sorted by exercise: the harness restarts its kernel for an earlier exercise,
# and one restart is cheaper than three.

OTHER = sorted(
    [(n, "accepted", label, answer, None) for n in ACCEPTED for label, answer in ACCEPTED[n]]
    + [(n, "misnamed", label, answer, absent) for n, label, answer, absent in MISNAMED]
    + [(1, "leftovers", "nothing left suspended to fail later", SWALLOWS_IN_GET, None)],
    key=lambda case: case[0])


@pytest.mark.timeout(180)
@pytest.mark.parametrize("n,kind,label,answer,absent", OTHER,
                         ids=[f"ex{n}-{kind}-{label}" for n, kind, label, *_ in OTHER])
def test_other(chapter, n, kind, label, answer, absent):
    if kind == "accepted":
        r = chapter.try_answer(n, answer)
        assert r.passed, f"Exercise {n}, right answer {label!r} was not accepted: {r}\n{r.output}"
    elif kind == "misnamed":
        r = chapter.try_answer(n, answer)
        assert r.rejected, f"{label}: expected a rejection, got {r}\n{r.output}"
        wrong = [w for w in absent if w.lower() in r.message.lower()]
        assert not wrong, f"{label}: the message names a mistake not made ({wrong}):\n{r.message}"
    else:
        check_leaves_nothing_to_fail_later(chapter, answer)


def check_leaves_nothing_to_fail_later(chapter, answer):
    """A worker that swallows the cancellation of its get() keeps run_pool from ending. The
    check stops it; what it started must not stay suspended on its closed loop, where a
    garbage collection cells later made it print "Exception ignored in: <coroutine object
    Queue.get ...> RuntimeError: Event loop is closed" (a learner saw it). So: the answer,
    then a trial that collects garbage first; neither may print a traceback."""
    first = chapter.try_answer(1, answer)
    assert first.rejected and "CancelledError" in first.message, first
    later = chapter.try_answer(1, "import gc\ngc.collect()\n" + chapter.solution_cell(1),
                               whole_cell=True)
    assert later.passed, f"{later}\n{later.output}"
    for r in (first, later):
        assert "Exception ignored" not in r.output, r.output
        assert "Traceback" not in r.output, r.output
