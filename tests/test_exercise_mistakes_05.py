"""Chapter 05's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_05.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_accepted_test, make_tests  # noqa: E402

RIGHT2 = ["main", "A0", "B0", "C0", "main again", "A1", "B!", "C1", "A2", "C!", "A!"]

STUBBORN = '''
me = {current}
completed = 0
for _ in range(naps):
    try:
        await minloop.sleep(1)
        completed += 1
    except {catch}:
        log.append(("cancelled", {before}))
        {uncancel}
        log.append(("uncancelled", {after}))
return completed
'''


def stubborn(current="minloop.current_task()", catch="minloop.CancelledError",
             before="me.cancelling()", uncancel="me.uncancel()", after="me.cancelling()"):
    return STUBBORN.format(current=current, catch=catch, before=before, uncancel=uncancel,
                           after=after)


IN_ORDER = '''
loop = minloop.get_running_loop()
outer = loop.create_future()
todo, results = list(coros), []

def start_next(previous=None):
    if previous is not None:
        try:
            results.append(previous.result())
        except BaseException as exc:
            {on_error}
            outer.set_exception(exc)
            return
    if not todo:
        outer.set_result(results)
        return
    loop.create_task(todo.pop(0)).add_done_callback(start_next)

start_next()
return outer
'''


def in_order(on_error="for coro in todo:\n                coro.close()"):
    return IN_ORDER.format(on_error=on_error)


SOLUTION_GUARD = '''
loop = minloop.get_running_loop()
outer = loop.create_future()
todo, results, running = list(coros), [], []

def give_up():
    for coro in todo:
        coro.close()
    todo.clear()

def start_next(previous=None):
    if {guard}:
        return
    if previous is not None:
        try:
            results.append(previous.result())
        except BaseException as exc:
            give_up()
            outer.set_exception(exc)
            return
    if not todo:
        outer.set_result(results)
        return
    task = loop.create_task(todo.pop(0))
    running[:] = [task]
    task.add_done_callback(start_next)

def on_outer_done(fut):
    if fut.cancelled():
        give_up()
        for task in running:
            task.cancel()

outer.add_done_callback(on_outer_done)
start_next()
return outer
'''

BY_EXCEPTION = SOLUTION_GUARD.format(guard="False").replace('''    if previous is not None:
        try:
            results.append(previous.result())
        except BaseException as exc:
            give_up()
            outer.set_exception(exc)
            return
''', '''    if previous is not None:
        exc = previous.exception()
        if exc is not None:
            give_up()
            outer.set_exception(exc)
            return
        results.append(previous.result())
    if outer.done():
        return
''')

WRONG = {
    1: [
        ("steps inside the except block, as _PyTask does (issue)",
         "try:\n    fut.result()\nexcept BaseException as exc:\n    self.step(exc)\nelse:\n"
         "    self.step()", ["inside the `except` block", "sys.exc_info()"]),
        ("steps later through call_soon (issue)",
         "try:\n    fut.result()\nexcept BaseException as exc:\n    error = exc\nelse:\n"
         "    error = None\nself._loop.call_soon(self.step, error)", ["call_soon", "call self.step"]),
        ("catches Exception: the cancellation escapes",
         "try:\n    fut.result()\nexcept Exception as exc:\n    error = exc\nelse:\n"
         "    error = None\nself.step(error)", ["baseexception"]),
        ("a new CancelledError loses the message",
         "if fut.cancelled():\n    self.step(minloop.CancelledError())\n"
         "elif fut.exception() is not None:\n    self.step(fut.exception())\nelse:\n    self.step()",
         ["stop now", "message"]),
        ("passes the result into step",
         "try:\n    value = fut.result()\nexcept BaseException as exc:\n    error = exc\nelse:\n"
         "    error = value\nself.step(error)", ["no exception", "reads the result itself"]),
        ("forgets to step at all", "fut.result() if not fut.cancelled() else None",
         ["exactly once"]),
    ],
    2: [
        ("a new Task runs at once", f"return {['A0', 'B0', 'C0', 'main'] + RIGHT2[4:]!r}",
         ["entry 0"]),
        ("sleep(0) keeps the Task in front",
         f"return {['main', 'A0', 'A1', 'A2', 'A!', 'B0', 'B!', 'C0', 'C1', 'C!', 'main again']!r}",
         ["entry 2", "front of _ready"]),
        ("off by one: main again one turn late",
         f"return {RIGHT2[:5] and ['main', 'A0', 'B0', 'C0', 'A1', 'main again', 'B!', 'C1', 'A2', 'C!', 'A!']!r}",
         ["entry 4"]),
        ("an entry missing", f"return {RIGHT2[:-1]!r}", ["number of log entries"]),
    ],
    3: [
        ("asyncio.current_task() on minloop's loop",
         stubborn(current="asyncio.current_task()"), ["none", "minloop.current_task()"]),
        ("swallows the cancellation without uncancel()", stubborn(uncancel="pass"),
         ["cancelling()"]),
        ("writes the counts down instead of reading them",
         stubborn(before="1", after="0"), ["two cancel() calls", "as it is at that moment"]),
        ("does not catch the cancellation",
         stubborn(catch="ValueError"), ["ended cancelled", "catch minloop.cancellederror"]),
        ("catches Exception, which CancelledError is not",
         stubborn(catch="Exception"), ["ended cancelled"]),
    ],
    4: [
        ("keeps starting jobs after its Future is cancelled (issue)", in_order(),
         ["cancelled", "started job 'c'"]),
        ("starts every job at once",
         "loop = minloop.get_running_loop()\ntasks = [loop.create_task(c) for c in coros]\n"
         "return minloop.gather(*tasks)", ["order of events", "done-callback of the previous"]),
        ("awaits in a helper coroutine",
         "async def helper():\n    return [await c for c in coros]\n"
         "return minloop.get_running_loop().create_task(helper())", ["`await`", "async def"]),
        ("does not close the coroutines it never starts", in_order(on_error="pass"),
         ["never started", "close()"]),
        ("a done-callback that raises (a typo)",
         in_order().replace("results.append(previous.result())",
                            "results.append(previous.reslt())"),
         ["no job raised", "reslt"]),
        ("goes on after a failure",
         in_order().replace("            outer.set_exception(exc)\n            return",
                            "            results.append(exc)"),
         ["when a job raises"]),
        ("guards on t.cancelled(), not outer.done() (issue: passed)",
         SOLUTION_GUARD.format(guard="previous is not None and previous.cancelled()"),
         ["just after job 'a' finished", "outer.done()"]),
        ("guards on outer.done() or t.cancelled(): hangs when a job is cancelled (issue)",
         SOLUTION_GUARD.format(guard="outer.done() or (previous is not None and previous.cancelled())"),
         ["'quits' was cancelled", "pass the cancellation on"]),
        ("no end test: run_tasks_in_order([]) (issue: never tested)",
         SOLUTION_GUARD.format(guard="outer.done()").replace(
             "    if not todo:\n        outer.set_result(results)\n        return\n",
                            "    if previous is not None and not todo:\n"
                            "        outer.set_result(results)\n        return\n"),
         ["indexerror", "no coroutines"]),
        ("t.exception() on the cancelled running Task (issue: a generic message)", BY_EXCEPTION,
         ["cancellederror", "t.exception() raise cancellederror", "outer.done()"]),
        ("closes the running coroutine instead of cancelling its Task (issue: a generic message)",
         SOLUTION_GUARD.format(guard="outer.done()").replace("task.cancel()",
                                                             "task.get_coro().close()"),
         ["cancel the running task", "do not close its coroutine"]),
    ],
}

ACCEPTED = {
    4: [("a cancelled job cancels the returned Future",
         SOLUTION_GUARD.format(guard="outer.done()").replace(
             "            except BaseException as exc:",
             "            except minloop.CancelledError:\n                give_up()\n"
             "                outer.cancel()\n                return\n"
             "            except BaseException as exc:"))],
}

chapter, test_check = make_tests("05_tasks", WRONG)


test_accepted = make_accepted_test(ACCEPTED)
