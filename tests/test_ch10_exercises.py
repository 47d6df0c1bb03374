"""Chapter 10's exercise checks reject the wrong answers learners write, and say why.

Each case runs the notebook's own check cell (tests/exercise_harness.py, one kernel for the
chapter) with an answer in place of the solution, and asserts that the check rejects it with
a CheckFailed naming the mistake (every word in `words` is in the message, no word of
`absent` is), and that nothing else was printed first: no raw traceback, no "Exception in
callback" or "unhandled exception" log from the loop. The solution passes, the student stub is
rejected, and the accepted alternatives pass.

Most wrong answers here were written by a learner working through the chapter without
context (several of them passed an earlier version of the checks).
"""

import pytest

from exercise_harness import cases, make_accepted_test, make_tests

NOISE = ("Traceback", "Exception in callback", "unhandled exception")

# ---------------------------------------------------------------- Exercise 1: with_deadline

_TIMER = '''
task = minloop.current_task()
before = task.cancelling()
fired = False
def fire():
    nonlocal fired
    fired = True
    task.cancel()
timer = minloop.get_running_loop().call_later(delay, fire)
'''

_POLL = '''
loop = minloop.get_running_loop()
t = minloop.ensure_future(work())
deadline = loop.time() + delay
while not t.done():
    if loop.time() >= deadline:
        t.cancel()
        try:
            await t
        except minloop.CancelledError as exc:
            raise TimeoutError from exc
    await minloop.sleep(STEP)
return t.result()
'''

EX1 = [
    ("swallowed cancellation: except CancelledError: pass", _TIMER + '''
try:
    return await work()
except minloop.CancelledError:
    pass
finally:
    timer.cancel()
''', ["swallowed"]),
    ("swallowed and uncancelled: returns None", '''
task = minloop.current_task()
timer = minloop.get_running_loop().call_later(delay, task.cancel)
try:
    return await work()
except minloop.CancelledError:
    task.uncancel()
    return None
finally:
    timer.cancel()
''', ["returned none", "swallowed"]),
    ("except BaseException, TimeoutError unchained", _TIMER + '''
try:
    return await work()
except BaseException:
    raise TimeoutError
finally:
    timer.cancel()
''', ["own errors out unchanged"]),
    ("TimeoutError not chained", _TIMER + '''
try:
    return await work()
except minloop.CancelledError:
    if fired and task.uncancel() <= before:
        raise TimeoutError()
    raise
finally:
    timer.cancel()
''', ["chained"]),
    ("forgets uncancel", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["forgot uncancel"]),
    ("forgets uncancel, seen only by a nested deadline", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired:
        if task.cancelling() <= before + 1:
            raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["forgot uncancel"]),
    ("catches Exception: misses CancelledError", _TIMER + '''
try:
    return await work()
except Exception as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["not an exception", "catch minloop.cancellederror"], ["in `work`"]),
    ("TimeoutError on an outside cancel", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    task.uncancel()
    raise TimeoutError from exc
finally:
    timer.cancel()
''', ["from outside", "timeouterror"]),
    ("uncancels an outside cancel too", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    task.uncancel()
    if fired:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["cancelling() = 0", "not yours"]),
    ("ignores the count: an outside cancel after the deadline fired becomes TimeoutError",
     _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired:
        task.uncancel()
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["cancelled from outside", "not yours", "compare the count"]),
    ("compares uncancel() with 0, not with the count on entry", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() == 0:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["clean-up of a cancelled task", "not with 0"]),
    ("timer never cancelled", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
''', ["cancel the timer"]),
    # Was ACCEPTED in the first edition: the timer outlives a work() that raises.
    ("timer cancelled in an except/else pair, not when work() raises", _TIMER + '''
try:
    result = await work()
except minloop.CancelledError as exc:
    timer.cancel()
    if fired and task.uncancel() <= before:
        raise TimeoutError() from exc
    raise
timer.cancel()
return result
''', ["timer was not cancelled when work() raised", "finally"]),
    ("timer cancelled after the try, not in finally", _TIMER + '''
try:
    result = await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
timer.cancel()
return result
''', ["timer was not cancelled when work() raised", "finally"]),
    ("eager call: call_later(delay, task.cancel())", '''
task = minloop.current_task()
before = task.cancelling()
timer = minloop.get_running_loop().call_later(delay, task.cancel())
try:
    return await work()
except minloop.CancelledError as exc:
    if task.uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["do not call it"]),
    ("current_task() inside the timer callback", '''
before = minloop.current_task().cancelling()
timer = minloop.get_running_loop().call_later(
    delay, lambda: minloop.current_task().cancel())
try:
    return await work()
except minloop.CancelledError as exc:
    if minloop.current_task().uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["a callback the loop ran", "current_task() is none", "take the task before"],
     ["swallowed"]),
    ("asyncio.current_task() on a minloop Task", '''
import asyncio
task = asyncio.current_task()
before = task.cancelling()
timer = asyncio.get_running_loop().call_later(delay, task.cancel)
try:
    return await work()
except asyncio.CancelledError as exc:
    if task.uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["attributeerror", "minloop.current_task()", "asyncio's do not see"]),
    ("forgets to await work()", _TIMER + '''
try:
    return work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["forgot to await work()"], ["0x"]),
    ("deadline at call_at(delay): an absolute time", _TIMER.replace("call_later", "call_at") + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["counts from the call", "not call_at(delay"]),
    ("busy polling the clock with sleep(0)", _POLL.replace("STEP", "0"), ["busy polling"]),
    ("polling the clock every 0.25 s", _POLL.replace("STEP", "0.25"),
     ["at t=2.25, late", "now and then"]),
    # Second learner pass: these passed (or got a misleading message) before.
    ("polling the clock every 0.05 s: late at non-round deadlines", _POLL.replace("STEP", "0.05"),
     ["late", "now and then"], ["forgot uncancel"]),
    ("polling the clock every 0.1 s: late when the work is quick", _POLL.replace("STEP", "0.1"),
     ["returned 'done' at t=1.3, late", "now and then"]),
    ("'mine' told by the clock reaching the deadline, not by a flag", '''
task = minloop.current_task()
loop = minloop.get_running_loop()
deadline = loop.time() + delay
timer = loop.call_later(delay, task.cancel)
try:
    return await work()
except minloop.CancelledError as exc:
    if loop.time() >= deadline:
        task.uncancel()
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["comparing the clock with the deadline", "flag"]),
    ("polling the clock every 0.01 s: many loop turns", _POLL.replace("STEP", "0.01"),
     ["turned 100 times", "busy polling"]),
    ("`before` read in the timer callback, not on entry", '''
task = minloop.current_task()
state = {"fired": False}
def fire():
    state["fired"] = True
    state["before"] = task.cancelling()
    task.cancel()
timer = minloop.get_running_loop().call_later(delay, fire)
try:
    return await work()
except minloop.CancelledError as exc:
    if state["fired"] and task.uncancel() <= state["before"]:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["cancelled from outside at t=0.9", "take the count on entry"]),
    ("uncancel() < before: off by one", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() < before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["let the cancellederror of its own deadline out", "not `<`"], ["in `work`", ":  "]),
    ("a cancel message as a tag, uncancel only when the tag comes out", '''
task = minloop.current_task()
timer = minloop.get_running_loop().call_later(delay, task.cancel, "deadline")
try:
    return await work()
except minloop.CancelledError as exc:
    if exc.args == ("deadline",):
        task.uncancel()
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["cancelling() = 2", "never taken back", "uncancel() once"]),
    ("a child Task and a waiter: TimeoutError at once, the clean-up not awaited", '''
loop = minloop.get_running_loop()
t = minloop.create_task(work())
waiter = loop.create_future()
def wake(_=None):
    if not waiter.done():
        waiter.set_result(None)
t.add_done_callback(wake)
timer = loop.call_later(delay, wake)
try:
    await waiter
except minloop.CancelledError:
    t.cancel()
    await minloop.wait([t])
    raise
finally:
    timer.cancel()
if t.done():
    return t.result()
t.cancel()
raise TimeoutError from minloop.CancelledError()
''', ["before the work finished its clean-up", "t=2.0845"]),
    ("shield(w), then w.cancel() and TimeoutError at once", _TIMER + '''
w = minloop.create_task(work())
try:
    return await minloop.shield(w)
except minloop.CancelledError as exc:
    w.cancel()
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    await minloop.wait([w])
    raise
finally:
    timer.cancel()
''', ["before the work finished its clean-up"]),
    ("uncancel() only when a CancelledError comes out (the first edition's solution)",
     _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["returned 'late'", "cancelling() = 1", "however the work ends", "finally"]),
    ("work in a Task of its own and wait(timeout=): the work outlives an outside cancel", '''
t = minloop.create_task(work())
done, _ = await minloop.wait([t], timeout=delay)
if t in done:
    return t.result()
t.cancel()
try:
    await t
except minloop.CancelledError as exc:
    raise TimeoutError from exc
''', ["outlive the call", "finished", "10"]),
    ("an inner Task compared with 0: wrong in a clean-up", '''
inner = minloop.create_task(work())
expired = []
def fire():
    expired.append(True)
    inner.cancel()
timer = minloop.get_running_loop().call_later(delay, fire)
try:
    return await inner
except minloop.CancelledError as exc:
    if expired and not minloop.current_task().cancelling():
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''', ["clean-up of a cancelled task", "not with 0"]),
    ("uses minloop.timeout", '''
async with minloop.timeout(delay):
    return await work()
''', ["minloop.timeout()", "build it yourself"]),
    ("uses minloop.wait_for", '''
return await minloop.wait_for(work(), delay)
''', ["minloop.wait_for()", "build it yourself"]),
]

# ---------------------------------------------------------------- Exercise 2: all_or_nothing

_WAIT2 = '''
if not tasks:
    return []
try:
    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
except minloop.CancelledError:
    for t in tasks:
        t.cancel()
    await minloop.wait(tasks)
    raise
for t in pending:
    t.cancel()
if pending:
    await minloop.wait(pending)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception() is not None]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
'''

_POLL2 = '''
if not tasks:
    return []
try:
    while not all(t.done() for t in tasks):
        if any(t.done() and not t.cancelled() and t.exception() for t in tasks):
            break
        await minloop.sleep(STEP)
except minloop.CancelledError:
    for t in tasks:
        t.cancel()
    await minloop.wait(tasks)
    raise
for t in tasks:
    t.cancel()
pending = [t for t in tasks if not t.done()]
if pending:
    await minloop.wait(pending)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception() is not None]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
'''

EX2 = [
    ("raises the first exception instead of the group", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
if pending:
    await minloop.wait(pending)
for t in tasks:
    if not t.cancelled() and t.exception():
        raise t.exception()
return [t.result() for t in tasks]
''', ["exceptiongroup", "not the first exception"], ["in `ex2_job`"]),
    ("plain gather: the first error, siblings left running", '''
return await minloop.gather(*tasks)
''', ["exceptiongroup", "not the first exception"]),
    ("does not await the cancelled siblings", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
errors = [t.exception() for t in tasks if t.done() and not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["wait for the cancelled siblings"]),
    ("sleep(0) instead of waiting for the siblings", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
await minloop.sleep(0)
errors = [t.exception() for t in tasks if t in done and t.exception() is not None]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["wait for the cancelled siblings"]),
    ("never cancels the siblings", '''
results = await minloop.gather(*tasks, return_exceptions=True)
errors = [r for r in results if isinstance(r, BaseException)]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return results
''', ["cancel the siblings"]),
    ("results in completion order", '''
results = []
for next_done in minloop.as_completed(tasks):
    results.append(await next_done)
return results
''', ["argument order"]),
    ("a group of the first error only", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
if pending:
    await minloop.wait(pending)
first = next((t.exception() for t in tasks if not t.cancelled() and t.exception()), None)
if first:
    raise ExceptionGroup("all_or_nothing", [first])
return [t.result() for t in tasks]
''', ["every error"]),
    ("errors of the `done` set only (set order, the first to fail)", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
if pending:
    await minloop.wait(pending)
errors = [t.exception() for t in done if t.exception() is not None]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["every error"]),
    ("errors in completion order (done-callbacks, like ToyGroup)", '''
errors = []
all_done = minloop.get_running_loop().create_future()
left = set(tasks)
def on_done(t):
    left.discard(t)
    if not t.cancelled() and t.exception() is not None:
        if not errors:
            for other in left:
                other.cancel()
        errors.append(t.exception())
    if not left and not all_done.done():
        all_done.set_result(None)
for t in tasks:
    t.add_done_callback(on_done)
if tasks:
    await all_done
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["order they happened", "argument order"]),
    ("wait() on an empty set when every job failed at once", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
errors = [t.exception() for t in tasks if t in done and t.exception() is not None]
if errors:
    await minloop.wait(pending)
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["empty", "nothing was left to wait for"]),
    ("t.exception() of a cancelled sibling", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
if pending:
    await minloop.wait(pending)
errors = [t.exception() for t in tasks if t.exception() is not None]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["nobody cancelled it", "t.cancelled()"], ["in `ex2_job`"]),
    ("the cancelled siblings' CancelledErrors put into a BaseExceptionGroup", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
results = await minloop.gather(*tasks, return_exceptions=True)
errors = [r for r in results if isinstance(r, BaseException)]
if errors:
    raise BaseExceptionGroup("all_or_nothing", errors)
return results
''', ["cancellederror", "cancelled siblings"]),
    ("the Tasks, not their exceptions, in the group", '''
done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
for t in pending:
    t.cancel()
if pending:
    await minloop.wait(pending)
failed = [t for t in tasks if not t.cancelled() and t.exception()]
if failed:
    raise ExceptionGroup("all_or_nothing", failed)
return [t.result() for t in tasks]
''', ["not the tasks"], ["not the first exception"]),
    ("wait() on the empty list of no coroutines", '''
cancelled = None
try:
    await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
except minloop.CancelledError as exc:
    cancelled = exc
for t in tasks:
    t.cancel()
while not all(t.done() for t in tasks):
    try:
        await minloop.wait(tasks)
    except minloop.CancelledError as exc:
        cancelled = exc
if cancelled:
    raise cancelled
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["no coroutines", "empty set", "return []"]),
    ("polls for a failure every 0.5 s", '''
while True:
    failed = [t.exception() for t in tasks if t.done() and not t.cancelled() and t.exception()]
    if failed or all(t.done() for t in tasks):
        break
    await minloop.sleep(0.5)
for t in tasks:
    t.cancel()
await minloop.gather(*tasks, return_exceptions=True)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["late", "now and then"]),
    ("busy polling for the first failure", '''
while not all(t.done() for t in tasks):
    if any(t.done() and not t.cancelled() and t.exception() for t in tasks):
        break
    await minloop.sleep(0)
for t in tasks:
    t.cancel()
errors = [t.exception() for t in tasks if t.done() and not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["busy polling"]),
    ("a cancelled caller leaves its jobs running (the first edition's solution)", '''
if tasks:
    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
    for t in pending:
        t.cancel()
    if pending:
        await minloop.wait(pending)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["caller was cancelled", "outlive the call"]),
    ("a cancelled caller cancels its jobs but does not wait for them", '''
try:
    if tasks:
        await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
except minloop.CancelledError:
    for t in tasks:
        t.cancel()
    raise
for t in tasks:
    t.cancel()
if tasks:
    await minloop.wait(tasks)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["caller was cancelled", "outlive the call", "cancelled', '1.1'"]),
    # Second learner pass: these passed (or got a misleading message) before.
    ("hard-codes the jobs' 0.5 s clean-up instead of waiting for them", _WAIT2.replace(
        "await minloop.wait(pending)", "await minloop.sleep(0.5)\n    await minloop.sleep(0)"),
     ["before the cancelled jobs had finished cleaning up", "guessed time"]),
    ("polls for a failure every 0.1 s", _POLL2.replace("STEP", "0.1"), ["late", "polling"],
     ["argument order"]),
    ("polls for a failure every 0.05 s", _POLL2.replace("STEP", "0.05"), ["polling"],
     ["argument order"]),
    ("return_when=FIRST_COMPLETED: stops at the first success", _WAIT2.replace(
        "FIRST_EXCEPTION", "FIRST_COMPLETED"), ["to *finish*", "first_exception"],
     ["t.cancelled() first"]),
    ("FIRST_COMPLETED, the cancelled jobs' results skipped", _WAIT2.replace(
        "FIRST_EXCEPTION", "FIRST_COMPLETED").replace("for t in tasks]", "for t in tasks if not t.cancelled()]"),
     ["to *finish*", "first_exception"]),
    ("gather(*pending) without return_exceptions", _WAIT2.replace(
        "await minloop.wait(pending)", "await minloop.gather(*pending)"),
     ["came from a cancelled sibling", "gather()", "return_exceptions=true"], ["t.cancelled() first"]),
    ("a cancel while the siblings clean up escapes the second wait (the learner's own)", _WAIT2,
     ["while a was still cleaning up", "outlive the call", "keep waiting"]),
    ("try/finally: a cancel while waiting for the siblings escapes (the second edition's solution)", '''
try:
    if tasks:
        await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
finally:
    for t in tasks:
        t.cancel()
    if tasks:
        await minloop.wait(tasks)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["while a was still cleaning up", "outlive the call", "keep waiting"]),
    ("the caller's cancel handled, but not a second one while it waits", '''
cancelled = None
try:
    if tasks:
        await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
except minloop.CancelledError:
    for t in tasks:
        t.cancel()
    await minloop.wait(tasks)
    raise
for t in tasks:
    t.cancel()
while not all(t.done() for t in tasks):
    try:
        await minloop.wait(tasks)
    except minloop.CancelledError as exc:
        cancelled = exc
if cancelled:
    raise cancelled
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
''', ["again at t=1.3", "outlive the call", "keep waiting"]),
]

# ---------------------------------------------------------------- Exercise 3: retry

EX3 = [
    ("except BaseException retries a cancellation", '''
for attempt in range(attempts):
    try:
        return await op()
    except BaseException:
        if attempt == attempts - 1:
            raise
    await minloop.sleep(delay)
''', ["swallowed", "baseexception", "it raised connectionerror"], ["went on and returned"]),
    ("except CancelledError: continue", '''
for attempt in range(attempts):
    try:
        return await op()
    except minloop.CancelledError:
        continue
    except Exception:
        if attempt == attempts - 1:
            raise
    await minloop.sleep(delay)
''', ["swallowed", "never retry"]),
    ("except CancelledError: return None", '''
for attempt in range(attempts):
    try:
        return await op()
    except minloop.CancelledError:
        return None
    except Exception:
        if attempt == attempts - 1:
            raise
    await minloop.sleep(delay)
''', ["it returned none", "swallowed"]),
    ("swallows the cancel of the pause", '''
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
    try:
        await minloop.sleep(delay)
    except minloop.CancelledError:
        pass
''', ["during the pause"]),
    ("one attempt too many", '''
for attempt in range(attempts + 1):
    try:
        return await op()
    except Exception:
        if attempt == attempts:
            raise
    await minloop.sleep(delay)
''', ["attempts made"]),
    ("one attempt too few: range(1, attempts)", '''
for attempt in range(1, attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
    await minloop.sleep(delay)
''', ["after 2 attempt(s)", "range(attempts)"]),
    ("no pause between attempts", '''
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
''', ["virtual time did not move"]),
    ("minloop.sleep(delay) not awaited", '''
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
    minloop.sleep(delay)
''', ["virtual time did not move", "without `await`"]),
    ("time.sleep(delay): blocks the loop", '''
import time
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
    time.sleep(delay / 10)        # (a tenth, to keep the test fast: the check sees the same)
''', ["virtual time did not move", "time.sleep() blocks the loop"]),
    ("hard-coded pause of 1 s", '''
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
    await minloop.sleep(1)
''', ["paused 1 s", "not `delay`"]),
    ("sleeps before the first attempt", '''
last = None
for attempt in range(attempts):
    await minloop.sleep(delay)
    try:
        return await op()
    except Exception as exc:
        last = exc
raise last
''', ["the first attempt comes at once", "not before the first one"]),
    ("pauses after the last attempt too", '''
last = None
for attempt in range(attempts):
    try:
        return await op()
    except Exception as exc:
        last = exc
        await minloop.sleep(delay)
raise last
''', ["4.86", "paused after the last attempt"]),
    ("forgets to await op()", '''
for attempt in range(attempts):
    try:
        return op()
    except Exception:
        if attempt == attempts - 1:
            raise
    await minloop.sleep(delay)
''', ["forgot to await op()"], ["0x"]),
    ("raises the first error, not the last", '''
first = None
for attempt in range(attempts):
    try:
        return await op()
    except Exception as exc:
        first = first or exc
    if attempt < attempts - 1:
        await minloop.sleep(delay)
raise first
''', ["last"]),
    ("returns None when every attempt failed", '''
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt < attempts - 1:
            await minloop.sleep(delay)
''', ["should raise its last error", "returned none"]),
    ("busy-waits the pause with sleep(0)", '''
loop = minloop.get_running_loop()
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
    end = loop.time() + delay
    while loop.time() < end:
        await minloop.sleep(0)
''', ["busy polling"]),
    # Second learner pass: these passed (or got a misleading message) before.
    ("goes on after a success, returns the last result", '''
result = None
for i in range(attempts):
    try:
        result = await op()
    except Exception:
        if i == attempts - 1:
            raise
        await minloop.sleep(delay)
return result
''', ["called op() 3 times", "succeeded on attempt 2", "stop there"]),
    ("pauses even after a success", '''
for i in range(attempts):
    try:
        result = await op()
    except Exception:
        if i == attempts - 1:
            raise
        failed = True
    else:
        failed = False
    if i < attempts - 1:
        await minloop.sleep(delay)
    if not failed:
        return result
''', ["returned at t=3.24", "do not pause after a success"]),
    ("the pause in a finally: block", '''
for i in range(attempts):
    try:
        return await op()
    except Exception:
        if i == attempts - 1:
            raise
    finally:
        if i < attempts - 1:
            await minloop.sleep(delay)
''', ["do not pause after a success"], ["must not be retried"]),
    ("growing pauses (back-off)", '''
for i in range(attempts):
    try:
        return await op()
    except Exception:
        if i == attempts - 1:
            raise
    await minloop.sleep(delay * (i + 1))
''', ["paused 1.37, 2.74 s", "the same `delay` every time"], ["not before the first one"]),
    ("await minloop.shield(op()): op() outlives a cancel", '''
for i in range(attempts):
    try:
        return await minloop.shield(op())
    except Exception:
        if i == attempts - 1:
            raise
    await minloop.sleep(delay)
''', ["op() went on", "ended at t=0.25", "shield"]),
    ("polls the pause in 0.1 s steps", '''
loop = minloop.get_running_loop()
for i in range(attempts):
    try:
        return await op()
    except Exception:
        if i == attempts - 1:
            raise
    end = loop.time() + delay
    while loop.time() < end - 1e-9:
        await minloop.sleep(0.1)
''', ["paused 1.4 s", "woke late", "do not poll"]),
]

WRONG = {1: EX1, 2: EX2, 3: EX3}

ACCEPTED = {
    1: [("the work in an inner Task, the count compared with its value on entry", '''
me = minloop.current_task()
before = me.cancelling()
inner = minloop.create_task(work())
expired = []
def fire():
    expired.append(True)
    inner.cancel()
timer = minloop.get_running_loop().call_later(delay, fire)
try:
    return await inner
except minloop.CancelledError as exc:
    if expired and me.cancelling() == before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
'''), ("call_at(loop.time() + delay), uncancel() == before, state in a dict", '''
loop = minloop.get_running_loop()
task = minloop.current_task()
state = {"before": task.cancelling(), "fired": False}
def expire():
    state["fired"] = True
    task.cancel()
handle = loop.call_at(loop.time() + delay, expire)
try:
    result = await work()
except minloop.CancelledError as exc:
    if state["fired"] and task.uncancel() == state["before"]:
        raise TimeoutError() from exc
    raise
else:
    if state["fired"]:          # the work swallowed our cancel: take it back anyway
        task.uncancel()
finally:
    handle.cancel()
return result
'''), ("the chapter's toy_timeout", '''
async with toy_timeout(delay):
    return await work()
'''), ("the work in an inner Task cancelled by the timer, the count of the caller", '''
me = minloop.current_task()
before = me.cancelling()
t = minloop.create_task(work())
timer = minloop.get_running_loop().call_later(delay, t.cancel)
try:
    return await t
except minloop.CancelledError as exc:
    if t.cancelled() and me.cancelling() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
'''), ("cancel() then uncancel() at once in the timer callback (works on 3.11)", '''
task = minloop.current_task()
before = task.cancelling()
fired = False
def fire():
    nonlocal fired
    fired = True
    task.cancel()
    task.uncancel()
timer = minloop.get_running_loop().call_later(delay, fire)
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.cancelling() <= before:
        raise TimeoutError from exc
    raise
finally:
    timer.cancel()
''')],
    2: [("a done-callback per Task and one Future", '''
loop = minloop.get_running_loop()
first_error = loop.create_future()
def on_done(t):
    if not t.cancelled() and t.exception() and not first_error.done():
        first_error.set_result(None)
for t in tasks:
    t.add_done_callback(on_done)
all_done = minloop.gather(*tasks, return_exceptions=True)
cancelled = None
try:
    await minloop.wait([all_done, first_error], return_when=minloop.FIRST_COMPLETED)
except minloop.CancelledError as exc:
    cancelled = exc
for t in tasks:
    t.cancel()
while not all_done.done():
    try:
        await minloop.wait([all_done])
    except minloop.CancelledError as exc:
        cancelled = exc
if cancelled:
    raise cancelled
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
'''), ("done-callbacks cancel the rest, gather(return_exceptions=True) waits", '''
def on_done(t):
    if not t.cancelled() and t.exception() is not None:
        for other in tasks:
            other.cancel()
for t in tasks:
    t.add_done_callback(on_done)
results = await minloop.gather(*tasks, return_exceptions=True)
errors = [r for r in results if isinstance(r, Exception)]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return results
''')],
    3: [("while loop with a counter", '''
tries = 0
while True:
    tries += 1
    try:
        return await op()
    except (ConnectionError, OSError, ValueError, RuntimeError) as exc:
        if tries >= attempts:
            raise
    await minloop.sleep(delay)
'''), ("range(1, attempts + 1)", '''
for attempt in range(1, attempts + 1):
    try:
        return await op()
    except Exception:
        if attempt == attempts:
            raise
    await minloop.sleep(delay)
'''), ("recursive", '''
try:
    return await op()
except minloop.CancelledError:
    raise
except Exception:
    if attempts <= 1:
        raise
await minloop.sleep(delay)
return await retry(op, attempts - 1, delay)
''')],
}

chapter, _ = make_tests("10_errors_cancellation", WRONG)
test_accepted = make_accepted_test(ACCEPTED)


def _params():
    out = []
    for n, label, answer, words, _whole in cases({n: [c[:3] for c in WRONG[n]] for n in WRONG}):
        absent = next((c[3] for c in WRONG[n] if c[0] == label and len(c) > 3), ())
        out.append(pytest.param(n, label, answer, words, absent, id=f"ex{n}-{label}"))
    return out


@pytest.mark.timeout(180)
@pytest.mark.parametrize("n,label,answer,words,absent", _params())
def test_check(chapter, n, label, answer, words, absent):
    if label == "solution":
        r = chapter.try_answer(n, chapter.solution(n))
        assert r.passed, f"the instructor's solution of Exercise {n} does not pass: {r}\n{r.output}"
        return
    r = chapter.try_answer(n, chapter.student(n) if answer == "stub" else answer)
    assert r.rejected, (f"Exercise {n}, wrong answer {label!r}: the check should reject it "
                        f"with CheckFailed, but it {r.status}: {r.message}\n{r.output}")
    msg = r.message.lower()
    missing = [w for w in words if w.lower() not in msg]
    assert not missing, (f"Exercise {n}, wrong answer {label!r}: the message does not name "
                         f"the mistake (missing {missing}):\n{r.message}")
    wrong = [w for w in absent if w.lower() in msg]
    assert not wrong, f"Exercise {n}, {label!r}: the message says {wrong}:\n{r.message}"
    noise = [w for w in NOISE if w in r.output]
    assert not noise, (f"Exercise {n}, wrong answer {label!r}: the learner sees {noise} "
                       f"before the check's message:\n{r.output}")
