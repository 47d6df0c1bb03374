"""Chapter 08's exercise checks reject the wrong answers learners write, and say why.

Each case runs the notebook's own check cell (through tests/exercise_harness.py, in one real
kernel for the chapter) against an answer in place of the solution, and asserts that the
check rejects it with a CheckFailed whose message names the mistake. The notebook's solution
must pass, the student stub must be rejected, and other right answers must pass. Many cases
come from two learners' passes over the chapter: answers the checks let through, or
rejected naming the wrong mistake (each table marks the second pass's cases). test_other adds, in exercise order: the right answers
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

WORKER_OK = """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        try:
            await handle(job)
        finally:
            queue.task_done()
"""

JOIN_CANCEL = """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
await queue.join()
for w in workers:
    w.cancel()
"""

FINALLY_COVERS_GET = """
queue = minloop.Queue()
async def worker():
    while True:
        try:
            job = await queue.get()
            await handle(job)
        finally:
            queue.task_done()
""" + JOIN_CANCEL

POLL_GET_NOWAIT = """
queue = minloop.Queue()
done = False
async def worker():
    while not (done and queue.empty()):
        try:
            job = queue.get_nowait()
        except minloop.QueueEmpty:
            await minloop.sleep(0.25)
            continue
        await handle(job)
        queue.task_done()
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
done = True
await minloop.gather(*workers)
"""

SLEEPS_AFTER_EACH_JOB = """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        await handle(job)
        queue.task_done()
        await minloop.sleep(0.5)
""" + JOIN_CANCEL + "await minloop.gather(*workers, return_exceptions=True)\n"

EMPTY_POLL_NOT_JOIN = WORKER_OK + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
while not queue.empty():
    await minloop.sleep(0.5)
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
"""

SENTINELS_NOT_AWAITED = """
queue = minloop.Queue()
async def worker():
    while (job := await queue.get()) is not None:
        await handle(job)
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
for _ in range(n_workers):
    queue.put_nowait(None)
"""

PUT_NOT_AWAITED = WORKER_OK + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put(job)
await queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
"""

FALSY_JOB_ZERO = """
queue = minloop.Queue()
async def worker():
    while job := await queue.get():
        await handle(job)
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    await queue.put(job)
for _ in range(n_workers):
    await queue.put(None)
await minloop.gather(*workers)
"""

GATHER_CANCELLED = WORKER_OK + JOIN_CANCEL + "await minloop.gather(*workers)\n"

POOL_WRONG = [
    # A second learner pass: answers the checks let through ...
    ("workers cancelled, never awaited", WORKER_OK + JOIN_CANCEL,
     ["cancelled but had not ended", "await them"]),
    ("workers cancelled, then sleep(0) instead of awaiting them", """
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
""", ["never awaited", "sleep(0)", "gather"]),
    ("workers cancelled, only the first one awaited", WORKER_OK + JOIN_CANCEL + """
try:
    await workers[0]
except minloop.CancelledError:
    pass
""", ["never awaited", "return_exceptions=True"]),
    ("task_done() in a finally that covers get(), errors gathered",
     FINALLY_COVERS_GET + "await minloop.gather(*workers, return_exceptions=True)\n",
     ["ValueError", "task_done() called too many times", "after the get()"]),
    ("task_done() in a finally that covers get(), plain gather",
     FINALLY_COVERS_GET + "await minloop.gather(*workers)\n",
     ["task_done() called too many times", "after the get()"]),
    ("a LifoQueue", WORKER_OK.replace("minloop.Queue()", "minloop.LifoQueue()") + JOIN_CANCEL
     + "await minloop.gather(*workers, return_exceptions=True)\n",
     ["LifoQueue", "order they arrived"]),
    ("join() under a timeout", WORKER_OK + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
try:
    await minloop.wait_for(queue.join(), 3)
except minloop.TimeoutError:
    pass
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["timeout", "no timeout", "as long as it takes"]),
    ("a stray handle(job) beside the awaited one", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        handle(job)
        await handle(job)
        queue.task_done()
""" + POOL_TAIL, ["more than once", "without `await`"]),
    # ... and answers whose message named the wrong mistake
    ("cancelled workers gathered without return_exceptions", GATHER_CANCELLED,
     ["CancelledError", "awaited a worker it had cancelled", "return_exceptions=True",
      "line 17 of its cell"]),
    ("each cancelled worker awaited in turn", WORKER_OK + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
await queue.join()
for w in workers:
    w.cancel()
    await w
""", ["CancelledError", "awaited a worker it had cancelled"]),
    ("`while job := await queue.get()`: job 0 is falsy", FALSY_JOB_ZERO,
     ["job 0", "falsy", "is not None"]),
    ("queue.put(job) without await", PUT_NOT_AWAITED,
     ["Queue.put", "never awaited", "await queue.put(job)"]),
    ("queue.join() without await", WORKER_OK + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
""", ["Queue.join", "never awaited", "await queue.join()"]),
    ("waits until the queue is empty instead of join()", EMPTY_POLL_NOT_JOIN,
     ["stopped waiting", "empty queue", "await queue.join()"]),
    ("sentinels put, workers never awaited", SENTINELS_NOT_AWAITED,
     ["returned at", "before jobs", "await the workers"]),
    ("polling get_nowait() with sleep(0.25)", POLL_GET_NOWAIT, ["polling", "asleep"]),
    ("worker breaks out of its loop on CancelledError", """
queue = minloop.Queue()
async def worker():
    while True:
        try:
            job = await queue.get()
        except minloop.CancelledError:
            break
        await handle(job)
        queue.task_done()
""" + POOL_TAIL, ["returned normally", "swallowing the cancellation"]),
    ("a worker sleeps after each job", SLEEPS_AFTER_EACH_JOB,
     ["asleep", "a sleep after each job"]),
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
await minloop.gather(*workers, return_exceptions=True)
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
    ("bounded queue, join, cancel, gather", """
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
await minloop.gather(*workers, return_exceptions=True)
"""),
    ("cancelled workers awaited one by one, CancelledError caught", WORKER + """
workers = [minloop.create_task(worker()) for _ in range(n_workers)]
async for job in source:
    queue.put_nowait(job)
await queue.join()
for w in workers:
    w.cancel()
for w in workers:
    try:
        await w
    except minloop.CancelledError:
        pass
"""),
    ("workers started as the first jobs arrive", """
queue = minloop.Queue()
async def worker():
    while True:
        job = await queue.get()
        try:
            await handle(job)
        finally:
            queue.task_done()
workers = []
async for job in source:
    queue.put_nowait(job)
    if len(workers) < n_workers:
        workers.append(minloop.create_task(worker()))
await queue.join()
for w in workers:
    w.cancel()
await minloop.gather(*workers, return_exceptions=True)
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

# The learner's own acquire(): leaves the deque in a `finally`, after handing on.
ACQUIRE_FINALLY = """
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if not fut.cancelled():
        self.release()
    raise
finally:
    if fut in self._waiters:
        self._waiters.remove(fut)
return True
"""

RELEASE_FIRST_LIVE = """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
for fut in self._waiters:
    if not fut.done():
        fut.set_result(True)
        return
self._locked = False
"""

RELEASE_CALL_SOON = """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
for fut in self._waiters:
    if not fut.done():
        minloop.get_running_loop().call_soon(fut.set_result, True)
        return
self._locked = False
"""

LOCK_WRONG = [
    # A second learner pass: answers the checks let through ...
    ("hands the lock on only if somebody else waits", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    self._waiters.remove(fut)
    if not fut.cancelled() and self._waiters:
        self.release()
    raise
self._waiters.remove(fut)
return True
""", RELEASE_FIRST_LIVE], ["nobody waiting behind it", "whether or not anyone else waits"]),
    ("Futures of waiters who got the lock never leave _waiters", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if fut.cancelled():
        self._waiters.remove(fut)
    else:
        self.release()
    raise
return True
""", RELEASE_FIRST_LIVE], ["still held", "all of them done", "grows"]),
    # ... and answers whose message named the wrong mistake
    ("release() frees the lock unless the first Future is pending", [ACQUIRE_FINALLY, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
if self._waiters and not self._waiters[0].done():
    self._waiters[0].set_result(True)
else:
    self._locked = False
"""], ["ended free", "only at the first Future", "skip every done Future"]),
    ("release() completes the first Future, done or not", [ACQUIRE_FINALLY, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
if self._waiters:
    self._waiters[0].set_result(True)
else:
    self._locked = False
"""], ["InvalidStateError", "Hint", "skip done Futures"]),
    ("acquire() waits again while self._locked after the hand-off", ["""
while self._locked:
    fut = minloop.get_running_loop().create_future()
    self._waiters.append(fut)
    try:
        await fut
    except minloop.CancelledError:
        if not fut.cancelled():
            self.release()
        raise
    finally:
        if fut in self._waiters:
            self._waiters.remove(fut)
self._locked = True
return True
""", RELEASE_FIRST_LIVE], ["did not return", "while self._locked"]),
    ("release() schedules the hand-over with call_soon", [ACQUIRE_FINALLY, RELEASE_CALL_SOON],
     ["InvalidStateError", "call_soon", "at once"]),
    ("cancelled before the hand-off: leaves, then returns False", ["""
if not self._locked:
    self._locked = True
    return True
fut = minloop.get_running_loop().create_future()
self._waiters.append(fut)
try:
    await fut
except minloop.CancelledError:
    if fut.cancelled():
        self._waiters.remove(fut)
        return False
    self.release()
    raise
self._waiters.remove(fut)
return True
""", RELEASE_FIRST_LIVE], ["swallowed", "after leaving self._waiters"]),
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
    ("the learner's: leaves the deque in a finally, release() skips done Futures",
     [ACQUIRE_FINALLY, RELEASE_FIRST_LIVE]),
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
    # A second learner pass: answers the checks let through ...
    ("own Tasks cancelled, never awaited", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        return await coro
tasks = [minloop.create_task(one(c)) for c in coros]
try:
    await minloop.wait(tasks)
except minloop.CancelledError:
    for t in tasks:
        t.cancel()
    raise
return [t.exception() or t.result() for t in tasks]
""", ["still cleaning up", "await them"]),
    ("gather without return_exceptions (errors caught in the wrapper)", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        try:
            return await coro
        except Exception as exc:
            return exc
return await minloop.gather(*(one(c) for c in coros))
""", ["still cleaning up", "return_exceptions=True"]),
    ("acquire() inside the try whose finally releases", """
sem = minloop.Semaphore(limit)
async def one(coro):
    try:
        await sem.acquire()
        return await coro
    finally:
        sem.release()
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["never held", "acquire first"]),
    ("a wrapper that catches BaseException and returns it", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        try:
            return await coro
        except BaseException as exc:
            return exc
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["returned instead of ending cancelled", "`Exception`"]),
    # ... and answers whose message named the wrong mistake
    ("a Semaphore cached in a global dict", """
_SEMS = {}
async def bounded_gather(limit, coros):
    sem = _SEMS.setdefault(limit, minloop.Semaphore(limit))
    async def one(coro):
        async with sem:
            return await coro
    return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["never ran", "different event loop", "new Semaphore(limit)"], True),
    ("a TaskGroup that lets job errors out", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        return await coro
async with minloop.TaskGroup() as tg:
    tasks = [tg.create_task(one(c)) for c in coros]
return [t.result() for t in tasks]
""", ["ExceptionGroup", "ValueError", "`except Exception`"]),
    ("as_completed, sorted by index, children not cancelled", """
sem = minloop.Semaphore(limit)
async def one(i, coro):
    async with sem:
        try:
            return i, await coro
        except Exception as exc:
            return i, exc
pairs = []
for fut in minloop.as_completed([one(i, c) for i, c in enumerate(coros)]):
    pairs.append(await fut)
return [r for _, r in sorted(pairs, key=lambda p: p[0])]
""", ["its jobs went on", "cancel"]),
    ("polls sem.locked() with sleep(0.01)", """
sem = minloop.Semaphore(limit)
async def one(coro):
    while sem.locked():
        await minloop.sleep(0.01)
    async with sem:
        return await coro
return await minloop.gather(*(one(c) for c in coros), return_exceptions=True)
""", ["polling", "asleep"]),
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
return list(await minloop.gather(*map(one, coros), return_exceptions=True))
"""),
    ("Tasks started in reverse order", """
sem = minloop.Semaphore(limit)
async def one(coro):
    async with sem:
        return await coro
tasks = [minloop.ensure_future(one(c)) for c in reversed(coros)]
results = await minloop.gather(*tasks, return_exceptions=True)
return results[::-1]
"""),
    ("as_completed, sorted by index, children cancelled and awaited", """
sem = minloop.Semaphore(limit)
async def one(i, coro):
    async with sem:
        try:
            return i, await coro
        except Exception as exc:
            return i, exc
tasks = [minloop.ensure_future(one(i, c)) for i, c in enumerate(coros)]
pairs = []
try:
    for fut in minloop.as_completed(tasks):
        pairs.append(await fut)
except minloop.CancelledError:
    for t in tasks:
        t.cancel()
    await minloop.gather(*tasks, return_exceptions=True)
    raise
return [r for _, r in sorted(pairs, key=lambda p: p[0])]
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
    # A second learner pass.
    (1, "coarse polling is not batches", POLL_GET_NOWAIT, ["batches"]),
    (1, "a sleep after each job is not batches", SLEEPS_AFTER_EACH_JOB, ["batches"]),
    (1, "polling empty() instead of join() is not a task_done() placed too early",
     EMPTY_POLL_NOT_JOIN, ["task_done() *after*", "join() returned while"]),
    (1, "workers never awaited is not a join() or task_done() mistake", SENTINELS_NOT_AWAITED,
     ["cancelled in the middle", "join() returned while", "task_done"]),
    (1, "a put() never awaited is not workers cancelled too early", PUT_NOT_AWAITED,
     ["still in the queue", "cancelled too early"]),
    (1, "a falsy job 0 is not a `while not queue.empty()` worker", FALSY_JOB_ZERO,
     ["queue.empty()"]),
    (1, "the CancelledError comes from the gather line, not from the worker",
     GATHER_CANCELLED, ["in `worker`"]),
    (2, "release() stopping at the first Future is not B failing to hand on",
     [ACQUIRE_FINALLY, """
if not self._locked:
    raise RuntimeError("Lock is not acquired.")
if self._waiters and not self._waiters[0].done():
    self._waiters[0].set_result(True)
else:
    self._locked = False
"""], ["on CancelledError, if your Future has a result"]),
    (2, "waiting again after the hand-off is not a release() that hands to nobody",
     {label: answer for label, answer, *_ in LOCK_WRONG}[
         "acquire() waits again while self._locked after the hand-off"],
     ["does release() hand the lock to the first waiter"]),
    (2, "the unfinished hand-over is not 'C never got the lock'",
     [ACQUIRE_FINALLY, RELEASE_CALL_SOON], ["C never got", "Exception in callback Future"]),
    (3, "polling sem.locked() is not batches",
     {label: answer for label, answer, *_ in GATHER_WRONG}["polls sem.locked() with sleep(0.01)"],
     ["batches"]),
    (3, "a stale Semaphore is not a wrong schedule",
     {label: answer for label, answer, *_ in GATHER_WRONG}["a Semaphore cached in a global dict"],
     ["returned at", "batches"], True),
]

# Right answers that replace the whole cell (a different `def` line).
ACCEPTED_CELLS = [
    (3, "a plain def returning gather's Future (awaiting it raises CancelledError)", """
def bounded_gather(limit, coros):
    sem = minloop.Semaphore(limit)
    async def one(coro):
        async with sem:
            return await coro
    return minloop.gather(*(one(c) for c in coros), return_exceptions=True)
"""),
]

# ---------------------------------------------------------------- one test, in exercise order
# Right answers that must pass, answers whose message must not misname the mistake, and the
# leftovers test, sorted by exercise: the harness restarts its kernel for an earlier exercise,
# and one restart is cheaper than three.

OTHER = sorted(
    [(n, "accepted", label, answer, None) for n in ACCEPTED for label, answer in ACCEPTED[n]]
    + [(n, "accepted cell", label, answer, None) for n, label, answer in ACCEPTED_CELLS]
    + [(n, "misnamed", label, answer, absent) for n, label, answer, absent, *_ in MISNAMED]
    + [(1, "leftovers", "nothing left suspended to fail later", SWALLOWS_IN_GET, None),
       (1, "leftovers", "no stray log after a worker that swallows its cancellation",
        POOL_WRONG_BY_LABEL["worker swallows the cancellation and goes on"], None),
       (2, "leftovers", "no raw callback traceback from a scheduled hand-over",
        [ACQUIRE_FINALLY, RELEASE_CALL_SOON], None)],
    key=lambda case: case[0])


@pytest.mark.timeout(180)
@pytest.mark.parametrize("n,kind,label,answer,absent", OTHER,
                         ids=[f"ex{n}-{kind}-{label}" for n, kind, label, *_ in OTHER])
def test_other(chapter, n, kind, label, answer, absent):
    if kind.startswith("accepted"):
        r = chapter.try_answer(n, answer, whole_cell=kind == "accepted cell")
        assert r.passed, f"Exercise {n}, right answer {label!r} was not accepted: {r}\n{r.output}"
    elif kind == "misnamed":
        whole = next((c[4] for c in MISNAMED if c[1] == label and len(c) > 4), False)
        r = chapter.try_answer(n, answer, whole_cell=whole)
        assert r.rejected, f"{label}: expected a rejection, got {r}\n{r.output}"
        wrong = [w for w in absent if w.lower() in r.message.lower()]
        assert not wrong, f"{label}: the message names a mistake not made ({wrong}):\n{r.message}"
    else:
        check_leaves_nothing_to_fail_later(chapter, n, answer)


def check_leaves_nothing_to_fail_later(chapter, n, answer):
    """A worker that swallows the cancellation of its get() keeps run_pool from ending. The
    check stops it; what it started must not stay suspended on its closed loop, where a
    garbage collection cells later made it print "Exception ignored in: <coroutine object
    Queue.get ...> RuntimeError: Event loop is closed" (a learner saw it), nor leave a Future
    whose exception nobody retrieved ("_GatheringFuture exception was never retrieved", above
    the next trial's pass line: a second learner saw it). A callback that raises in the
    loop (a hand-over scheduled with call_soon) is the check's to report, not a raw
    "Exception in callback" traceback. So: the answer, then a trial that collects garbage
    first; neither may print a traceback or a log."""
    first = chapter.try_answer(n, answer)
    assert first.rejected, first
    later = chapter.try_answer(n, "import gc\ngc.collect()\n" + chapter.solution_cell(n),
                               whole_cell=True)
    assert later.passed, f"{later}\n{later.output}"
    for r in (first, later):
        for text in ("Exception ignored", "Traceback", "never retrieved",
                     "Exception in callback"):
            assert text not in r.output, r.output
    assert later.output.strip().startswith("✔"), later.output
