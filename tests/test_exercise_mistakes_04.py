"""Chapter 04's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_04.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_tests  # noqa: E402

ADD = '''
if self.done():
    {when_done}
else:
    {store}
'''


def add(when_done="self._loop.call_soon(fn, self)", store="self._callbacks.append(fn)"):
    return ADD.format(when_done=when_done, store=store)


RIGHT2 = ["soon-A", "finish", "soon-C", "done-1", "done-2", "soon-B", "done-late"]

FIRST = '''
out = f1.get_loop().create_future()

def copy(f):
    {guard}
    if f.cancelled():
        out.cancel()
    elif {exc_test}:
        out.set_exception(f.exception())
    else:
        out.set_result(f.result())

f1.add_done_callback({cb})
f2.add_done_callback({cb})
return out
'''


def first(guard="if out.done():\n        return", exc_test="f.exception() is not None", cb="copy"):
    return FIRST.format(guard=guard, exc_test=exc_test, cb=cb)


DEFERRED = '''
loop = f1.get_loop()
out = loop.create_future()

def copy(f):
    if f.cancelled():
        out.cancel()
    elif f.exception() is not None:
        out.set_exception(f.exception())
    else:
        out.set_result(f.result())

def cb(f):
    if not out.done():
        loop.call_soon(copy, f)

f1.add_done_callback(cb)
f2.add_done_callback(cb)
return out
'''

WRONG = {
    1: [
        ("stores callbacks in reverse order (issue)", add(store="self._callbacks.insert(0, fn)"),
         ["reverse", "append", "insert(0"]),
        ("calls the callback on the spot when done", add(when_done="fn(self)"),
         ["on the spot", "call_soon(fn, self)"]),
        ("queues it without the Future", add(when_done="self._loop.call_soon(fn)"),
         ["typeerror", "call_soon(fn, self)"]),
        ("only stores it, done or not", "self._callbacks.append(fn)",
         ["already true", "call_soon"]),
        ("queues every callback at once, even while pending",
         "self._loop.call_soon(fn, self)", ["before set_result"]),
    ],
    2: [
        ("done-callbacks run inside set_result",
         f"return {['soon-A', 'finish', 'done-1', 'done-2', 'soon-C', 'soon-B', 'done-late']!r}",
         ["position 3", "which iteration"]),
        ("a late callback runs at once",
         f"return {['soon-A', 'finish', 'done-late', 'soon-C', 'done-1', 'done-2', 'soon-B']!r}",
         ["position 3"]),
        ("off by one at the end", f"return {RIGHT2[:5] + ['done-late', 'soon-B']!r}",
         ["position 6"]),
        ("a label missing", f"return {RIGHT2[:6]!r}", ["exactly once"]),
    ],
    3: [
        ("no guard: the second finish sets it again", first(guard="pass"),
         ["invalidstateerror", "out.done()"]),
        ("exception() before cancelled()",
         FIRST.replace("    if f.cancelled():\n        out.cancel()\n    elif {exc_test}:",
                       "    if {exc_test}:").format(
             guard="if out.done():\n        return", exc_test="f.exception() is not None",
             cb="copy") .replace("    else:\n        out.set_result(f.result())",
                                 "    elif f.cancelled():\n        out.cancel()\n    else:\n"
                                 "        out.set_result(f.result())"),
         ["cancellederror", "f.cancelled() first"]),
        ("result() for a failed Future", first(exc_test="False"),
         ["valueerror", "f.exception()"]),
        ("returns f1 itself", "return f1", ["new future"]),
        ("a `lambda:` callback",
         first(cb="lambda: copy(f1)"), ["typeerror", "one argument"]),
        ("an attribute typo", "return f1.loop.create_future()", ["attributeerror", "get_loop"]),
        ("copies later with call_soon (issue: passed)", DEFERRED,
         ["same round", "invalidstateerror", "out.done()", "call_soon"]),
        ("cancels the losing input (issue: the message blamed a missing out.done())",
         first().replace("        out.set_result(f.result())",
                         "        out.set_result(f.result())\n    for other in (f1, f2):\n"
                         "        other.cancel()"),
         ["cancelled when the check came", "must not touch its inputs"]),
    ],
    4: [
        ("result() without try (raw traceback before)",
         "fut.result()", ["oserror", "fut.exception()"]),
        ("peeks at _exception",
         "if fut._exception is not None:\n    failures.append(f'failed: {fut._exception}')",
         ["fut._exception retrieves nothing"]),
        ("cancel() to silence the report",
         "fut.cancel()\nexc = fut.exception()\nif exc is not None:\n"
         "    failures.append(f'failed: {exc}')", ["cancel()", "_log_traceback"]),
        ("logs successes too", "failures.append(f'failed: {fut.exception()}')",
         ["succeeded", "not none"]),
        ("repr instead of str", "exc = fut.exception()\nif exc is not None:\n"
         "    failures.append(f'failed: {exc!r}')", ["failures log"]),
    ],
}

chapter, test_check = make_tests("04_futures", WRONG)
