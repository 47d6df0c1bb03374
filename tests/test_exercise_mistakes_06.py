"""Chapter 06's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_06.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_accepted_test, make_tests  # noqa: E402

GATHER = '''
outer = minloop.get_running_loop().create_future()
tasks = [minloop.create_task(coro) for coro in coros]
remaining = len(tasks)
{empty}

def on_done(task):
    nonlocal remaining
    remaining -= 1
    if outer.done():
        {late}
        return
    if task.cancelled():
        outer.set_exception(minloop.CancelledError())
    elif task.exception() is not None:
        outer.set_exception(task.exception())
    elif remaining == 0:
        outer.set_result({results})

for task in tasks:
    task.add_done_callback(on_done)
return outer
'''


def gather(empty="if not tasks:\n    outer.set_result([])\n    return outer",
           late="if not task.cancelled():\n            task.exception()",
           results="[t.result() for t in tasks]"):
    return GATHER.format(empty=empty, late=late, results=results)


RIGHT2 = ["t=0 worker: start", "t=1 worker: finally, cleaning up", "t=1.5 worker: cleaned up",
          "t=1.5 boss: TimeoutError", "t=1.5 boss: finally"]

FIRST = '''
tasks = [minloop.create_task(coro) for coro in coros]
done, pending = await minloop.wait({arg}, return_when=minloop.{when})
{cancel}
return done.pop().result()
'''


def first(arg="tasks", when="FIRST_COMPLETED", cancel="for task in pending:\n    task.cancel()"):
    return FIRST.format(arg=arg, when=when, cancel=cancel)


RETRY = '''
for attempt in range(1, attempts + 1):
    try:
        return await minloop.wait_for({coro}, timeout)
    except {catch}:
        if attempt == attempts:
            raise
'''


def retry(coro="make_coro()", catch="TimeoutError"):
    return RETRY.format(coro=coro, catch=catch)


WRONG = {
    1: [
        ("reads t.exception() of a cancelled late child (issue)",
         gather(late="task.exception()"), ["cancelled after the outer future was done",
                                            "t.cancelled() first"]),
        ("forgets the empty call", gather(empty=""), ["no coroutines", "right away"]),
        ("sets the outer Future twice", gather(late="pass").replace(
            "    if outer.done():\n        pass\n        return\n", ""),
         ["after the outer future is done", "if outer.done()"]),
        ("results in finishing order",
         gather(results="finished").replace(
             "    remaining -= 1\n", "    remaining -= 1\n    if not task.cancelled() and "
             "task.exception() is None:\n        finished.append(task.result())\n").replace(
             "for task in tasks:\n    task.add_done_callback", "finished = []\nfor task in tasks:"
             "\n    task.add_done_callback"),
         ["argument order"]),
        ("never reads a late child's exception", gather(late="pass"),
         ["never retrieved", "t.exception()"]),
        ("uses minloop.gather", "return minloop.gather(*coros)", ["called minloop.gather"]),
    ],
    2: [
        ("wait_for raises at once, before the cleanup",
         f"return {['t=0 worker: start', 't=1 worker: finally, cleaning up', 't=1 boss: TimeoutError', 't=1.5 worker: cleaned up', 't=1.5 boss: finally']!r}",
         ["line 3", "_cancel_and_wait"]),
        ("the cleanup takes no time after a cancel",
         f"return {['t=0 worker: start', 't=1 worker: finally, cleaning up', 't=1 worker: cleaned up', 't=1 boss: TimeoutError', 't=1 boss: finally']!r}",
         ["line 3", "wrong time"]),
        ("times written as 1.0", f"return {[l.replace('t=1 ', 't=1.0 ') for l in RIGHT2]!r}",
         ["format :g"]),
        ("the worker finishes its job",
         f"return {RIGHT2[:1] + ['t=3 worker: finished the job'] + RIGHT2[1:]!r}",
         ["never prints"]),
    ],
    3: [
        ("no try/finally: racers outlive a cancelled first_of (issue)", first(),
         ["try/finally", "cancelled after 0.5 s"]),
        ("coroutines passed to wait (issue: the message blamed timing)",
         "done, pending = await minloop.wait(coros, return_when=minloop.FIRST_COMPLETED)\n"
         "return done.pop().result()", ["typeerror", "create_task"]),
        ("a typo raises at once (issue: the message blamed timing)",
         first(arg="taks"), ["nameerror", "misspelt"]),
        ("waits for all of them", first(when="ALL_COMPLETED"), ["seconds until", "first_completed"]),
        ("forgets to cancel the losers", first(cancel="pass"), ["losers", "cancel()"]),
        ("awaits a Future that nobody completes",
         "tasks = [minloop.create_task(coro) for coro in coros]\n"
         "await minloop.get_running_loop().create_future()", ["nothing left to do"]),
        ("returns the Task, not its result",
         first().replace("return done.pop().result()", "return done.pop()"), ["outcome"]),
        ("swallows its own cancellation (issue: passed)",
         "tasks = [minloop.create_task(coro) for coro in coros]\ntry:\n"
         "    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_COMPLETED)\n"
         "except minloop.CancelledError:\n    for task in tasks:\n        task.cancel()\n"
         "    return None\nfor task in pending:\n    task.cancel()\nreturn done.pop().result()",
         ["returned none instead of ending cancelled", "swallowed the cancellation"]),
        ("except BaseException: return None, with finally (issue: passed)",
         "tasks = [minloop.create_task(coro) for coro in coros]\ntry:\n"
         "    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_COMPLETED)\n"
         "except BaseException:\n    return None\nfinally:\n    for task in tasks:\n"
         "        task.cancel()\nreturn done.pop().result()",
         ["instead of ending cancelled", "swallowed the cancellation"]),
        ("polls every 0.5 s (issue: passed)",
         "tasks = [minloop.create_task(coro) for coro in coros]\ntry:\n"
         "    while not any(t.done() for t in tasks):\n        await minloop.sleep(0.5)\n"
         "    return next(t for t in tasks if t.done()).result()\nfinally:\n"
         "    for task in tasks:\n        task.cancel()",
         ["ended after 1 s", "polling"]),
        ("tasks[0].result() (issue: the message said no racer had finished)",
         "tasks = [minloop.create_task(coro) for coro in coros]\ntry:\n"
         "    await minloop.wait(tasks, return_when=minloop.FIRST_COMPLETED)\n"
         "    return tasks[0].result()\nfinally:\n    for task in tasks:\n        task.cancel()",
         ["invalidstateerror", "after 0.7 s. hint", "not done", "from the `done` set"]),
        ("return in finally (issue: the message blamed the done set)",
         "tasks = [minloop.create_task(coro) for coro in coros]\nresult = None\ntry:\n"
         "    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_COMPLETED)\n"
         "    result = done.pop().result()\nfinally:\n    for task in tasks:\n"
         "        task.cancel()\n    return result", ["return in finally swallows the exception"]),
    ],
    4: [
        ("catches CancelledError too: the caller's cancel is swallowed (issue)",
         retry(catch="(TimeoutError, minloop.CancelledError)"),
         ["swallowed the cancellation", "timeouterror only"]),
        ("catches Exception: a ValueError is retried", retry(catch="Exception"),
         ["only timeouterror should be retried"]),
        ("one deadline around every attempt",
         "async def attempts_loop():\n    for _ in range(attempts):\n        try:\n"
         "            return await make_coro()\n        except Exception:\n            pass\n"
         "return await minloop.wait_for(attempts_loop(), timeout)",
         ["own deadline"]),
        ("reuses one coroutine",
         "coro = make_coro()\n" + retry(coro="coro"), ["awaited only once"]),
        ("awaits a Future that nobody completes",
         "await minloop.get_running_loop().create_future()", ["nothing left to do"]),
        ("returns None after the last timeout",
         "for attempt in range(attempts):\n    try:\n"
         "        return await minloop.wait_for(make_coro(), timeout)\n"
         "    except TimeoutError:\n        pass", ["re-raise", "do not return none"]),
        ("leaks the running attempt when cancelled (issue: passed)",
         "for attempt in range(1, attempts + 1):\n    t = minloop.create_task(make_coro())\n"
         "    done, _ = await minloop.wait({t}, timeout=timeout)\n    if t in done:\n"
         "        return t.result()\n    t.cancel()\nraise TimeoutError()",
         ["was not cancelled then", "leaks"]),
        ("no attempt at all with attempts=1 (issue: never tested)",
         "for attempt in range(1, attempts):\n    try:\n"
         "        return await minloop.wait_for(make_coro(), timeout)\n"
         "    except TimeoutError:\n        if attempt == attempts - 1:\n"
         "            return await minloop.wait_for(make_coro(), timeout)",
         ["attempts=1", "one attempt"]),
        ("catches CancelledError instead of TimeoutError (issue: the message blamed deadlines)",
         retry(catch="minloop.CancelledError"), ["catches cancellederror", "wrong exception type",
                                                 "catch timeouterror"]),
        ("turns the cancellation into a TimeoutError (issue: the message said it went on)",
         retry() + "    except minloop.CancelledError:\n        raise TimeoutError('cancelled')",
         ["stopped at once", "not cancelled"]),
    ],
}

# Answers a learner may write that are right: each must pass the check.
ACCEPTED = {
    3: [("cancels the losers, and re-raises its own cancellation",
         "tasks = [minloop.create_task(coro) for coro in coros]\ntry:\n"
         "    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_COMPLETED)\n"
         "except minloop.CancelledError:\n    for task in tasks:\n        task.cancel()\n"
         "    raise\nfor task in pending:\n    task.cancel()\nreturn done.pop().result()")],
    4: [("minloop.wait with a timeout, the attempt cancelled in finally",
         "for attempt in range(1, attempts + 1):\n    t = minloop.create_task(make_coro())\n"
         "    try:\n        done, _ = await minloop.wait({t}, timeout=timeout)\n"
         "    finally:\n        t.cancel()\n    if t in done:\n        return t.result()\n"
         "raise TimeoutError()")],
}

chapter, test_check = make_tests("06_await_timeouts", WRONG)

test_accepted = make_accepted_test(ACCEPTED)
