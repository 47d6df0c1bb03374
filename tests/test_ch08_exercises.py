"""Chapter 08's exercise checks reject the wrong answers learners write, and say why.

Each case runs the notebook's own check cell (through tests/exercise_harness.py, in one real
kernel for the chapter) against an answer in place of the solution, and asserts that the
check rejects it with a CheckFailed whose message names the mistake. The notebook's solution
must pass, the student stub must be rejected, and other right answers must pass.
"""

from exercise_harness import make_accepted_test, make_tests

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

POOL_WRONG = [
    ("forgotten task_done: join() hangs (bounded by the check)", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
""" + POOL_TAIL, ["task_done", "had not returned"]),
    ("`while not queue.empty()` consumer", """
queue = minloop.Queue()
async def worker():
    while not queue.empty():
        job = await queue.get()
        await handle(job)
        queue.task_done()
""" + POOL_TAIL, ["never handled", "while not queue.empty()"]),
    ("workers never stopped (no cancel after join)", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
        queue.task_done()
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
""" + POOL_TAIL, ["CancelledError"]),
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
]

# ---------------------------------------------------------------- Exercise 2: FairLock

RELEASE = """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
self._locked = False
self._wake_up_first()
"""

LOCK_WRONG = [
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
""", RELEASE], ["barged"]),
    ("cancelled waiter swallows the wake-up", ["""
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
""", RELEASE], ["cancelled after its wake-up", "_wake_up_first"]),
    ("cancelled waiter never leaves the deque", ["""
if not self._locked and not self._waiters:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
await fut
self._waiters.remove(fut)
self._locked = True
return True
""", RELEASE], ["never got the lock"]),
    ("busy polling with sleep(0)", ["""
while self._locked:
    await minloop.sleep(0)
self._locked = True
return True
""", RELEASE], ["busy polling"]),
    ("release of a free lock raises nothing", [None, """
self._locked = False
self._wake_up_first()
"""], ["raised nothing"]),
    ("release raises the wrong message", [None, """
if not self._locked:
    raise RuntimeError("not locked")
self._locked = False
self._wake_up_first()
"""], ["Lock is not acquired."]),
    ("release forgets to wake anyone", [None, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
self._locked = False
"""], ["had not finished", "woken by release()"]),
    ("acquire returns None", ["""
if not self._locked and all(w.cancelled() for w in self._waiters):
    self._locked = True
    return
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
""", RELEASE], ["returned None", "return True"]),
]

LOCK_ACCEPTED = [
    ("ownership hand-off: release passes the lock to the first waiter", ["""
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
]

WRONG = {1: POOL_WRONG, 2: LOCK_WRONG, 3: GATHER_WRONG}
ACCEPTED = {1: POOL_ACCEPTED, 2: LOCK_ACCEPTED, 3: GATHER_ACCEPTED}

chapter, test_check = make_tests("08_queues_locks", WRONG)
test_accepted = make_accepted_test(ACCEPTED)
