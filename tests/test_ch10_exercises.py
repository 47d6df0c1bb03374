"""Chapter 10's exercise checks reject the wrong answers learners write, and say why.

Each case runs the notebook's own check cell (tests/exercise_harness.py, one kernel for the
chapter) with an answer in place of the solution, and asserts that the check rejects it with
a CheckFailed naming the mistake. The solution passes, the student stub is rejected, and the
accepted alternatives pass.
"""

from exercise_harness import make_accepted_test, make_tests

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

EX1 = [
    ("swallowed cancellation: except CancelledError: pass", _TIMER + '''
try:
    return await work()
except minloop.CancelledError:
    pass
finally:
    timer.cancel()
''', ["swallowed"]),
    ("except BaseException, TimeoutError unchained", _TIMER + '''
try:
    return await work()
except BaseException:
    raise TimeoutError
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
    task.uncancel()
    raise TimeoutError from exc
finally:
    timer.cancel()
''', ["not an exception"]),
    ("TimeoutError on an outside cancel", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    task.uncancel()
    raise TimeoutError from exc
finally:
    timer.cancel()
''', ["from outside", "timeouterror"]),
    ("timer never cancelled", _TIMER + '''
try:
    return await work()
except minloop.CancelledError as exc:
    if fired and task.uncancel() <= before:
        raise TimeoutError from exc
    raise
''', ["cancel the timer"]),
    ("busy polling the clock", '''
loop = minloop.get_running_loop()
t = minloop.ensure_future(work())
deadline = loop.time() + delay
while not t.done():
    if loop.time() >= deadline:
        t.cancel()
        raise TimeoutError
    await minloop.sleep(0)
return t.result()
''', ["busy polling"]),
]

# ---------------------------------------------------------------- Exercise 2: all_or_nothing

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
''', ["swallowed", "baseexception"]),
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
    ("no pause between attempts", '''
for attempt in range(attempts):
    try:
        return await op()
    except Exception:
        if attempt == attempts - 1:
            raise
''', ["times op() was called"]),
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
]

WRONG = {1: EX1, 2: EX2, 3: EX3}

ACCEPTED = {
    1: [("minloop-style state names, timer cancelled in an else/except pair", _TIMER + '''
try:
    result = await work()
except minloop.CancelledError as exc:
    timer.cancel()
    if fired and task.uncancel() <= before:
        raise TimeoutError() from exc
    raise
timer.cancel()
return result
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
await minloop.wait([all_done, first_error], return_when=minloop.FIRST_COMPLETED)
if first_error.done():
    for t in tasks:
        t.cancel()
    await minloop.wait(tasks)
errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
if errors:
    raise ExceptionGroup("all_or_nothing", errors)
return [t.result() for t in tasks]
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
''')],
}

chapter, test_check = make_tests("10_errors_cancellation", WRONG)
test_accepted = make_accepted_test(ACCEPTED)
