"""Chapter 09's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a CheckFailed whose message names the
mistake; the solution and the accepted alternatives pass; the student stub is rejected.

One kernel runs every case, exercise by exercise (asking the harness for an earlier exercise
would restart it), so the cases of all three exercises are one ordered table. Every wrong
answer must also print no traceback, no "Exception in callback" log and no flood of output
before the check's message (the hangs stopped by the real-time limit, a check callback given a
wrong step number, children given no stdout pipe...).

    .venv/bin/python -m pytest tests/test_ch09_exercises.py -q
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import Chapter  # noqa: E402

# ---------------------------------------------------------------- Exercise 1: run_all

ONE = '''
sem = minloop.Semaphore(limit)

async def one(argv):
    async with sem:
        proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
        {body}

return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
'''

COLLECT = '''
sem = minloop.Semaphore(limit)
results = []
async def one(argv):
    async with sem:
        proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
        out, _ = await proc.communicate()
        results.append((proc.returncode, out))
await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
return {ret}
'''

EX1 = [
    ("blocking subprocess.run", '''
        return [(r.returncode, r.stdout) for r in
                (subprocess.run(argv, capture_output=True) for argv in commands)]
        ''', ["subprocess.run", "block"]),
    ("hard-coded results", '''
        return [(3, b"child 0\\n"), (0, b"child 1\\n")]
        ''', ["no child"]),
    ("forgets to wait: reads stdout only", ONE.format(body='''out = await proc.stdout.read()
        return proc.returncode, out'''), ["returncode is none", "wait"]),
    ("time.sleep in the coroutine blocks the loop", ONE.format(body='''time.sleep(0.25)
        out, _ = await proc.communicate()
        return proc.returncode, out'''), ["loop was blocked", "time.sleep"]),
    ("results in completion order", COLLECT.format(ret="results"),
     ["order the children finished"]),
    ("completion order, then sorted()", COLLECT.format(ret="sorted(results)"),
     ["sorted", "order of `commands`"]),
    ("no limit: all children at once", '''
        async def one(argv):
            proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["more than the limit"]),
    ("one at a time", '''
        results = []
        for argv in commands:
            proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            results.append((proc.returncode, out))
        return results
        ''', ["one at a time"]),
    ("Semaphore(limit - 1)", ONE.format(body='''out, _ = await proc.communicate()
        return proc.returncode, out''').replace("Semaphore(limit)", "Semaphore(limit - 1)"),
     ["fewer than the limit", "made with `limit`"]),
    ("Semaphore(2) whatever the limit", ONE.format(body='''out, _ = await proc.communicate()
        return proc.returncode, out''').replace("Semaphore(limit)", "Semaphore(2)"),
     ["limit=3", "fewer than the limit", "made with `limit`"]),
    ("releases the semaphore once the child started", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            async with sem:
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["more than the limit", "hold the semaphore"]),
    ("fixed batches of `limit`, no Semaphore", '''
        async def one(argv):
            proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            return proc.returncode, out
        results = []
        for k in range(0, len(commands), limit):
            results += await minloop.gather(*(one(a) for a in commands[k:k + limit]))
        return results
        ''', ["slot stayed free", "batches"]),
    ("wait() before reading stdout (the pipe deadlock)", ONE.format(body='''code = await proc.wait()
        return code, await proc.stdout.read()'''), ["400 kb", "proc.wait()", "communicate"]),
    ("polls returncode with sleep(0.01) after reading stdout", ONE.format(
        body='''out = await proc.stdout.read()
        while proc.returncode is None:
            await minloop.sleep(0.01)
        return proc.returncode, out'''), ["timer woke the loop", "polling"]),
    ("a counter polled with sleep(0.005) instead of a Semaphore", '''
        running = 0
        async def one(argv):
            nonlocal running
            while running >= limit:
                await minloop.sleep(0.005)
            running += 1
            try:
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                out, _ = await proc.communicate()
                return proc.returncode, out
            finally:
                running -= 1
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["timer woke the loop", "polling", "counter", "semaphore"]),
    ("polls wait_for(shield(proc.wait()), 0.01) in a loop", ONE.format(
        body='''reader = minloop.ensure_future(proc.stdout.read())
        while True:
            try:
                code = await minloop.wait_for(minloop.shield(proc.wait()), 0.01)
                break
            except minloop.TimeoutError:
                pass
        return code, await reader'''), ["timer woke the loop", "wait_for with a short timeout"]),
    ("a needless sleep after each child", ONE.format(body='''out, _ = await proc.communicate()
        await minloop.sleep(0.04)
        return proc.returncode, out'''), ["timer woke the loop", "a sleep you don't need"]),
    ("forgets stdout=PIPE (children inherit the kernel's stdout)", ONE.format(
        body='''out, _ = await proc.communicate()
        return proc.returncode, out''').replace(", stdout=PIPE)", ")"),
     ["outputs are none", "stdout=pipe", "kernel's own stdout"]),
    ("reads line by line: child 4's 400 kB line", ONE.format(body='''out = b""
        async for line in proc.stdout:
            out += line
        return await proc.wait(), out'''), ["400 kb with no newline", "64 kib", "communicate"]),
    ("reads only read(65536), then waits", ONE.format(body='''out = await proc.stdout.read(65536)
        return await proc.wait(), out'''), ["400 kb", "read(n) returns at most n bytes"]),
    ("wait_for(communicate(), 0.1): the slow children time out", ONE.format(
        body='''out, _ = await minloop.wait_for(proc.communicate(), 0.1)
        return proc.returncode, out'''), ["timeouterror", "wait_for"]),
    ("gather not awaited", ONE.format(body='''out, _ = await proc.communicate()
        return proc.returncode, out''').replace("return await minloop.gather", "return minloop.gather"),
     ["await the gather"]),
    ("subprocess.run in run_in_executor: the loop never watches the child", '''
        sem = minloop.Semaphore(limit)
        loop = minloop.get_running_loop()
        async def one(argv):
            async with sem:
                r = await loop.run_in_executor(
                    None, functools.partial(subprocess.run, argv, capture_output=True))
                return r.returncode, r.stdout
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["ever watched by the loop", "run_in_executor", "create_subprocess_exec"]),
    ("a new Semaphore for each command", '''
        async def one(argv):
            async with minloop.Semaphore(limit):
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                out, _ = await proc.communicate()
                return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["new semaphore for each command", "share"]),
    ("a global Semaphore made in the first run", '''
        global _ex1_sem
        if limit == 2:                    # made in the check's first run, kept for the next
            _ex1_sem = minloop.Semaphore(limit)
        async def one(argv):
            async with _ex1_sem:
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                out, _ = await proc.communicate()
                return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["bound to the loop", "inside run_all"]),
    ("busy polling returncode with sleep(0), then reads", ONE.format(
        body='''out = await proc.stdout.read()
        while proc.returncode is None:
            await minloop.sleep(0)
        return proc.returncode, out'''), ["busy polling"]),
    ("plain gather: a command that cannot start loses every result", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            async with sem:
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                out, _ = await proc.communicate()
                return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands))
        ''', ["filenotfounderror", "return_exceptions=true"]),
    ("plain gather and release outside finally", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            await sem.acquire()
            proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            sem.release()
            return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands))
        ''', ["kept its semaphore slot", "return_exceptions=true"]),
    ("release outside finally: a failed start keeps its slot", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            await sem.acquire()
            proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            sem.release()
            return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        ''', ["kept its semaphore slot", "finally"]),
    ("a failed start reported as (None, b'')", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            async with sem:
                try:
                    proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                except OSError:
                    return None, b""
                out, _ = await proc.communicate()
                return proc.returncode, out
        return await minloop.gather(*(one(argv) for argv in commands))
        ''', ["filenotfounderror", "return_exceptions=true"]),
]

ACCEPTED1 = [
    ("limit workers that take commands from one iterator, no Semaphore", '''
        results = [None] * len(commands)
        todo = iter(enumerate(commands))
        async def worker():
            for i, argv in todo:
                try:
                    proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                    out, _ = await proc.communicate()
                    results[i] = (proc.returncode, out)
                except OSError as e:
                    results[i] = e
        await minloop.gather(*(worker() for _ in range(limit)))
        return results
        '''),
    ("read() and wait() gathered; stderr piped too", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            async with sem:
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE, stderr=PIPE)
                out, code, _ = await minloop.gather(proc.stdout.read(), proc.wait(),
                                                    proc.stderr.read())
                return code, out
        return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
        '''),
    ("asyncio's names on the minloop loop, wait() after read()", '''
        sem = asyncio.Semaphore(limit)
        async def one(argv):
            async with sem:
                proc = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE)
                out = await proc.stdout.read()
                return await proc.wait(), out
        return await asyncio.gather(*(one(argv) for argv in commands), return_exceptions=True)
        '''),
    ("Tasks, results by index, try/finally around acquire", '''
        sem = minloop.BoundedSemaphore(limit)
        results = [None] * len(commands)
        async def one(i, argv):
            await sem.acquire()
            try:
                proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                out = await proc.stdout.read()
                results[i] = (await proc.wait(), out)
            except OSError as exc:
                results[i] = exc
            finally:
                sem.release()
        await minloop.gather(*(minloop.ensure_future(one(i, a)) for i, a in enumerate(commands)))
        return results
        '''),
    ("a TaskGroup, the start error caught in the Task", '''
        sem = minloop.Semaphore(limit)
        async def one(argv):
            async with sem:
                try:
                    proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
                except OSError as exc:
                    return exc
                out, _ = await proc.communicate()
                return proc.returncode, out
        async with minloop.TaskGroup() as tg:
            tasks = [tg.create_task(one(argv)) for argv in commands]
        return [t.result() for t in tasks]
        '''),
]

# ---------------------------------------------------------------- Exercise 2: my_to_thread

FUT_POLL = '''
loop = minloop.get_running_loop()
ctx = contextvars.copy_context()
fut = loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
while not fut.done():
    {wait}
return fut.result()
'''

EX2 = [
    ("calls func in the loop's thread", '''
        return func(*args, **kwargs)
        ''', ["loop's own thread"]),
    ("forgets to await the Future", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
        ''', ["await"]),
    ("loses the context variables", '''
        loop = minloop.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(func, *args, **kwargs))
        ''', ["context variables", "copy_context"]),
    ("copies the context in the worker thread (too late)", '''
        loop = minloop.get_running_loop()
        def call():
            return contextvars.copy_context().run(func, *args, **kwargs)
        return await loop.run_in_executor(None, call)
        ''', ["context variables", "'unset'"]),
    ("keyword arguments to run_in_executor", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, ctx.run, func, *args, **kwargs)
        ''', ["unexpected keyword", "no keyword arguments", "functools.partial"]),
    ("drops the keyword arguments", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, ctx.run, func, *args)
        ''', ["keyword-only", "did not get its keyword arguments"]),
    ("partial(ctx.run, func, args, kwargs): not unpacked", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, functools.partial(ctx.run, func, args, kwargs))
        ''', ["unpack", "*args, **kwargs"]),
    ("ctx.run(func, ...) called eagerly, its result passed", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, ctx.run(func, *args, **kwargs))
        ''', ["loop's own thread", "ctx.run(func, ...)"]),
    ("runs ctx.run eagerly in the loop, after a dummy executor call", '''
        loop = minloop.get_running_loop()
        await loop.run_in_executor(None, lambda: None)
        return contextvars.copy_context().run(func, *args, **kwargs)
        ''', ["loop's own thread"]),
    ("swallows the exception", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        try:
            return await loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
        except Exception:
            return None
        ''', ["exception raised by func"]),
    ("blocks on the result in a pool of its own", '''
        ctx = contextvars.copy_context()
        with concurrent.futures.ThreadPoolExecutor() as pool:
            return pool.submit(ctx.run, func, *args, **kwargs).result()
        ''', ["blocked the loop", ".result()", "await the future"]),
    ("time.sleep polling until the Future is done (hangs the loop)", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        fut = loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
        while not fut.done():
            time.sleep(0.01)
        return fut.result()
        ''', ["never gave control back", "time.sleep(0.01)", "blocks the loop"]),
    ("a bare Thread and a sleep(0) busy poll", '''
        ctx = contextvars.copy_context()
        box = {}
        def work():
            try:
                box["r"] = ctx.run(func, *args, **kwargs)
            except BaseException as e:
                box["e"] = e
        t = threading.Thread(target=work)
        t.start()
        while t.is_alive():
            await minloop.sleep(0)
        if "e" in box:
            raise box["e"]
        return box["r"]
        ''', ["busy polling"]),
    ("polls a pool's Future with short sleeps", '''
        ctx = contextvars.copy_context()
        cf = concurrent.futures.ThreadPoolExecutor().submit(ctx.run, func, *args, **kwargs)
        while not cf.done():
            await minloop.sleep(0.005)
        return cf.result()
        ''', ["polling"]),
    ("polls fut.done() every 50 ms", FUT_POLL.format(wait="await minloop.sleep(0.05)"),
     ["timer woke the loop", "polling"]),
    ("polls with minloop.wait(timeout=0.05)", FUT_POLL.format(
        wait="await minloop.wait([fut], timeout=0.05)"), ["timer woke the loop", "wait"]),
    ("a bare Thread polled with is_alive() every 50 ms", '''
        ctx = contextvars.copy_context()
        box = {}
        def work():
            try:
                box["r"] = ctx.run(func, *args, **kwargs)
            except BaseException as e:
                box["e"] = e
        t = threading.Thread(target=work)
        t.start()
        while t.is_alive():
            await minloop.sleep(0.05)
        if "e" in box:
            raise box["e"]
        return box["r"]
        ''', ["timer woke the loop", "polling"]),
    ("sets the loop's Future from its own thread (no call_soon_threadsafe)", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        fut = loop.create_future()
        def work():
            try:
                fut.set_result(ctx.run(func, *args, **kwargs))
            except Exception as e:
                fut.set_exception(e)
        threading.Thread(target=work).start()
        return await fut
        ''', ["asleep in select()", "call_soon was called from another thread",
              "call_soon_threadsafe(fut.set_result"]),
    ("one Context copied once, shared by every call", '''
        global _ex2_ctx
        if "_ex2_ctx" not in globals():
            _ex2_ctx = contextvars.copy_context()
        loop = minloop.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(_ex2_ctx.run, func, *args, **kwargs))
        ''', ["already entered", "copy the context at each call"]),
    ("returns the exception instead of raising it", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        try:
            return await loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
        except Exception as e:
            return e
        ''', ["instead of raising", "you returned the exception"]),
    ("swallows the exception in the thread, prints it", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        def call():
            try:
                return ctx.run(func, *args, **kwargs)
            except Exception as e:
                print("error in thread:", e)
        return await loop.run_in_executor(None, call)
        ''', ["returned none instead of raising", "swallowed"]),
    ("calls minloop.threads.to_thread", '''
        return await minloop.threads.to_thread(func, *args, **kwargs)
        ''', ["minloop.to_thread", "asks you to write"]),
    ("a pool with one worker: two calls cannot meet", '''
        global _one_worker
        _one_worker = globals().get("_one_worker") or concurrent.futures.ThreadPoolExecutor(1)
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(_one_worker, functools.partial(ctx.run, func, *args, **kwargs))
        ''', ["did not run at the same time", "single worker"]),
    ("calls minloop.to_thread (the exercise not done)", '''
        return await minloop.to_thread(func, *args, **kwargs)
        ''', ["minloop.to_thread", "asks you to write"]),
    ("calls asyncio.to_thread", '''
        return await asyncio.to_thread(func, *args, **kwargs)
        ''', ["asyncio.to_thread", "asks you to write"]),
]

ACCEPTED2 = [
    ("ctx.run as the callable, a partial of func as its argument", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, ctx.run, functools.partial(func, *args, **kwargs))
        '''),
    ("a pool's concurrent Future, wrapped with wrap_future", '''
        ctx = contextvars.copy_context()
        pool = concurrent.futures.ThreadPoolExecutor()
        cf = pool.submit(ctx.run, func, *args, **kwargs)
        pool.shutdown(wait=False)
        return await minloop.wrap_future(cf)
        '''),
    ("a lambda instead of partial", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, lambda: ctx.run(func, *args, **kwargs))
        '''),
    ("asyncio.get_event_loop() on the running minloop loop", '''
        loop = asyncio.get_event_loop()
        ctx = contextvars.copy_context()
        return await loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
        '''),
    ("a thread of its own that wakes the loop with call_soon_threadsafe", '''
        loop = minloop.get_running_loop()
        ctx = contextvars.copy_context()
        fut = loop.create_future()
        def work():
            try:
                r = ctx.run(func, *args, **kwargs)
            except BaseException as e:
                loop.call_soon_threadsafe(fut.set_exception, e)
            else:
                loop.call_soon_threadsafe(fut.set_result, r)
        threading.Thread(target=work).start()
        return await fut
        '''),
]

# ---------------------------------------------------------------- Exercise 3: run_with_progress

PROGRESS = '''
loop = minloop.get_running_loop()

def work():
    results = []
    for i, step in enumerate(steps):
        result = step()
        results.append(result)
        {report}
    return results

return await loop.run_in_executor(None, work)
'''

KEEPALIVE = '''
loop = minloop.get_running_loop()
def work():
    results = []
    for i, step in enumerate(steps):
        results.append(step())
        loop.{method}(on_progress, i, results[-1])
    return results
async def keepalive():
    while True:
        await minloop.sleep(0.01)
k = minloop.ensure_future(keepalive())
try:
    return await loop.run_in_executor(None, work)
finally:
    k.cancel()
'''

QUEUE_POLL = '''
import queue
loop = minloop.get_running_loop()
reports = queue.SimpleQueue()
def work():
    results = []
    for i, step in enumerate(steps):
        results.append(step())
        reports.put((i, results[-1]))
    return results
fut = loop.run_in_executor(None, work)
while not fut.done() or not reports.empty():
    while not reports.empty():
        on_progress(*reports.get())
    await minloop.sleep({pause})
return fut.result()
'''

EX3 = [
    ("plain call_soon from the worker thread", PROGRESS.format(
        report="loop.call_soon(on_progress, i, result)"), ["call_soon was called from the worker",
                                                          "call_soon_threadsafe"]),
    ("plain call_soon, hidden by a keep-alive timer Task", KEEPALIVE.format(method="call_soon"),
     ["call_soon was called from the worker", "only a timer"]),
    ("call_soon_threadsafe plus a needless keep-alive timer Task",
     KEEPALIVE.format(method="call_soon_threadsafe"), ["a timer woke the loop", "not allowed"]),
    ("a thread-safe queue drained by a sleep(0) busy poll", QUEUE_POLL.format(pause=0),
     ["spinning", "polling is not allowed"]),
    ("a thread-safe queue polled every 10 ms", QUEUE_POLL.format(pause=0.01),
     ["report of step 0", "timer woke the loop", "don't poll"]),
    ("puts into a minloop.Queue from the worker thread", '''
        loop = minloop.get_running_loop()
        q = minloop.Queue()
        def work():
            results = []
            for i, step in enumerate(steps):
                results.append(step())
                q.put_nowait((i, results[-1]))
            return results
        fut = loop.run_in_executor(None, work)
        for _ in steps:
            on_progress(*(await q.get()))
        return await fut
        ''', ["call_soon was called from the worker", "minloop.queue"]),
    ("calls on_progress in the worker thread", PROGRESS.format(
        report="on_progress(i, result)"), ["worker thread"]),
    ("calls on_progress eagerly, hands its result to call_soon_threadsafe", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress(i, result))"), ["worker thread"]),
    ("reports everything at the end", '''
        loop = minloop.get_running_loop()
        results = await loop.run_in_executor(None, lambda: [step() for step in steps])
        for i, result in enumerate(results):
            on_progress(i, result)
        return results
        ''', ["after the last step had ended", "while the worker"]),
    ("one executor call per step, reports from the coroutine", '''
        loop = minloop.get_running_loop()
        results = []
        for i, step in enumerate(steps):
            results.append(await loop.run_in_executor(None, step))
            on_progress(i, results[-1])
        return results
        ''', ["4 executor jobs", "one worker thread"]),
    ("runs the steps in the loop's thread", '''
        results = []
        for i, step in enumerate(steps):
            results.append(step())
            on_progress(i, results[-1])
        return results
        ''', ["loop's thread"]),
    ("calls work() eagerly, passes its result to run_in_executor", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "run_in_executor(None, work)", "run_in_executor(None, work())"),
     ["loop's thread", "uncalled"]),
    ("off-by-one step numbers (enumerate from 1)", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "enumerate(steps)", "enumerate(steps, 1)"), ["numbered from 0"]),
    ("a lambda that reads i and result late", PROGRESS.format(
        report="loop.call_soon_threadsafe(lambda: on_progress(i, result))"),
     ["more than once", "lambda", "as arguments"]),
    ("forgets to await run_in_executor", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "return await loop.run_in_executor", "return loop.run_in_executor"),
     ["not awaited", "return await"]),
    ("gets the running loop in the worker thread", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "def work():\n", "def work():\n    loop = minloop.get_running_loop()\n"),
     ["no running event loop", "get the loop in the coroutine"]),
    ("a lambda that binds i but reads result late", PROGRESS.format(
        report="loop.call_soon_threadsafe(lambda i=i: on_progress(i, result))"),
     ["of 50 steps", "some results belong to another step", "as arguments"]),
    ("report() reads the shared results list when it runs", '''
        loop = minloop.get_running_loop()
        results = []
        def report():
            on_progress(len(results) - 1, results[-1])
        def work():
            for step in steps:
                results.append(step())
                loop.call_soon_threadsafe(report)
            return results
        return await loop.run_in_executor(None, work)
        ''', ["of 50 steps", "more than once", "as arguments"]),
    ("keeps only the latest state and an Event: reports merge", '''
        loop = minloop.get_running_loop()
        ev = minloop.Event()
        state = {}
        def work():
            out = []
            for i, step in enumerate(steps):
                out.append(step())
                state["last"] = (i, out[-1])
                loop.call_soon_threadsafe(ev.set)
            return out
        job = minloop.ensure_future(loop.run_in_executor(None, work))
        reported = -1
        while reported < len(steps) - 1:
            await ev.wait()
            ev.clear()
            on_progress(*state["last"])
            reported = state["last"][0]
        return await job
        ''', ["of 50 steps", "reports were merged", "call_soon_threadsafe(on_progress, i, result)"]),
    ("an Event and the latest state, skipped steps filled with the latest result", '''
        loop = minloop.get_running_loop()
        ev = minloop.Event()
        latest = {}
        def work():
            out = []
            for i, step in enumerate(steps):
                out.append(step())
                latest["v"] = (i, out[-1])
                loop.call_soon_threadsafe(ev.set)
            return out
        job = loop.run_in_executor(None, work)
        seen = -1
        while seen < len(steps) - 1:
            await ev.wait()
            ev.clear()
            i, r = latest["v"]
            for j in range(seen + 1, i + 1):
                on_progress(j, r)
            seen = i
        return await job
        ''', ["of 50 steps", "some results belong to another step"]),
    ("blocks on its own pool's .result(), reports sent right", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "return await loop.run_in_executor(None, work)",
        "with concurrent.futures.ThreadPoolExecutor(1) as ex:\n    return ex.submit(work).result()"),
     ["blocked the loop", ".result()"]),
    ("a second executor job per report: queue.get in run_in_executor", '''
        import queue
        loop = minloop.get_running_loop()
        q = queue.SimpleQueue()
        def work():
            results = []
            for i, step in enumerate(steps):
                results.append(step())
                q.put((i, results[-1]))
            q.put(None)
            return results
        job = loop.run_in_executor(None, work)
        while (item := await loop.run_in_executor(None, q.get)) is not None:
            on_progress(*item)
        return await job
        ''', ["ran in one job", "executor jobs", "queue.get"]),
    ("cancels its consumer Task before the last report", '''
        loop = minloop.get_running_loop()
        q = minloop.Queue()
        def work():
            results = []
            for i, step in enumerate(steps):
                results.append(step())
                loop.call_soon_threadsafe(q.put_nowait, (i, results[-1]))
            return results
        async def consumer():
            while True:
                i, r = await q.get()
                await minloop.sleep(0)
                on_progress(i, r)
        c = minloop.ensure_future(consumer())
        res = await loop.run_in_executor(None, work)
        c.cancel()
        return res
        ''', ["last report(s) were lost", "cancelled"]),
    ("time.sleep polling the executor's Future (hangs the loop)", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "return await loop.run_in_executor(None, work)",
        "job = loop.run_in_executor(None, work)\nwhile not job.done():\n    time.sleep(0.01)\n"
        "return job.result()"), ["never gave control back", "time.sleep(0.01)"]),
    ("does not return the results", PROGRESS.format(
        report="loop.call_soon_threadsafe(on_progress, i, result)").replace(
        "return await loop.run_in_executor(None, work)",
        "await loop.run_in_executor(None, work)"), ["returned results"]),
]

ACCEPTED3 = [
    ("one loop Future per step, set with call_soon_threadsafe", '''
        loop = minloop.get_running_loop()
        futs = [loop.create_future() for _ in steps]
        def work():
            results = []
            for i, step in enumerate(steps):
                results.append(step())
                loop.call_soon_threadsafe(futs[i].set_result, results[-1])
            return results
        job = loop.run_in_executor(None, work)
        for i, f in enumerate(futs):
            on_progress(i, await f)
        return await job
        '''),
    ("a minloop.Queue fed with call_soon_threadsafe, drained in the coroutine", '''
        loop = minloop.get_running_loop()
        q = minloop.Queue()
        def work():
            results = []
            for i, step in enumerate(steps):
                results.append(step())
                loop.call_soon_threadsafe(q.put_nowait, (i, results[-1]))
            return results
        job = loop.run_in_executor(None, work)
        for _ in steps:
            on_progress(*(await q.get()))
        return await job
        '''),
    ("to_thread with call_soon_threadsafe and a partial", '''
        loop = minloop.get_running_loop()
        def work():
            out = []
            for i, step in enumerate(steps):
                out.append(step())
                loop.call_soon_threadsafe(functools.partial(on_progress, i, out[-1]))
            return out
        return await minloop.to_thread(work)
        '''),
    ("run_coroutine_threadsafe, not waited for", '''
        loop = minloop.get_running_loop()
        async def report(i, r):
            on_progress(i, r)
        def work():
            out = []
            for i, step in enumerate(steps):
                out.append(step())
                minloop.run_coroutine_threadsafe(report(i, out[-1]), loop)
            return out
        return await loop.run_in_executor(None, work)
        '''),
]

# ---------------------------------------------------------------- the table, in kernel order

WRONG = {1: EX1, 2: EX2, 3: EX3}
ACCEPTED = {1: ACCEPTED1, 2: ACCEPTED2, 3: ACCEPTED3}


def _cases():
    out = []
    for n in (1, 2, 3):
        out.append((n, "solution", "solution", None, None))
        out.append((n, "student stub", "wrong", "stub", ["not written yet"]))
        for label, answer, words in WRONG[n]:
            out.append((n, label, "wrong", answer, words))
        for label, answer in ACCEPTED[n]:
            out.append((n, label, "accepted", answer, None))
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def chapter():
    ch = Chapter("09_subprocesses_threads")
    yield ch
    ch.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("n,label,kind,answer,words", CASES,
                         ids=[f"ex{n}-{kind}-{label}" for n, label, kind, *_ in CASES])
def test_check(chapter, n, label, kind, answer, words):
    if kind == "solution":
        answer = chapter.solution(n)
    elif answer == "stub":
        answer = chapter.student(n)
    r = chapter.try_answer(n, answer)
    if kind in ("solution", "accepted"):
        assert r.passed, f"Exercise {n}, right answer {label!r} was not accepted: {r}\n{r.output}"
        return
    assert r.rejected, (f"Exercise {n}, wrong answer {label!r}: the check should reject it "
                        f"with CheckFailed, but it {r.status}: {r.message}\n{r.output}")
    missing = [w for w in words if w.lower() not in r.message.lower()]
    assert not missing, (f"Exercise {n}, wrong answer {label!r}: the message does not name "
                         f"the mistake (missing {missing}):\n{r.message}")
    for noise in ("Traceback", "Exception in callback", "Exception in thread",
                  "Exception ignored", "xxxxxxxxxx"):
        assert noise not in r.output, (f"Exercise {n}, {label!r}: {noise!r} printed before "
                                       f"the check's message:\n{r.output[:3000]}")
    assert len(r.output) < 2000, f"Exercise {n}, {label!r}: a flood of output:\n{r.output[:3000]}"
