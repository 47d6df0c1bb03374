"""Chapter 00's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py). Each wrong answer must be rejected with a message that names the
mistake; the instructor's solution must pass.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_00.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_tests  # noqa: E402

WRONG = {
    1: [
        ("hard-coded answer and delay (issue)",
         'await minloop.sleep(2.5)\nreturn "ready"', ["fixed value"]),
        ("forgotten await",
         "minloop.sleep(delay)\nreturn answer", ["forget `await`"]),
        ("blocking time.sleep",
         "import time\ntime.sleep(0.01)\nreturn answer", ["time.sleep"]),
        ("waits twice",
         "await minloop.sleep(delay)\nawait minloop.sleep(delay)\nreturn answer",
         ["exactly `delay`"]),
        ("a Task nobody awaits",
         "minloop.create_task(minloop.sleep(delay))\nreturn answer", ["not await"]),
    ],
    2: [
        ("a Task runs as soon as it is created",
         'return ["A0", "main", "B0", "A1", "B1"]', ["which line comes first"]),
        ("a Task runs to its end before the next",
         'return ["main", "A0", "A1", "B0", "B1"]', ["order", "waits one turn"]),
        ("off by one: B before A",
         'return ["main", "B0", "A0", "B1", "A1"]', ["order", "order they became ready"]),
        ("a line missing",
         'return ["main", "A0", "B0", "A1"]', ["five lines"]),
    ],
    3: [
        ("ValueError raised by the learner's own coroutine (issue)",
         "async def bad():\n    raise ValueError('mine')\n"
         "try:\n    minloop.run(bad())\nexcept ValueError as exc:\n    return exc",
         ["your own coroutine", "without `()`"]),
        ("lets the ValueError escape",
         "async def f():\n    return 1\nminloop.run(f)", ["escape", "except valueerror"]),
        ("asyncio.run instead of minloop.run",
         "async def f():\n    return 1\ncoro = f()\n"
         "try:\n    asyncio.run(coro)\nexcept (ValueError, RuntimeError) as exc:\n"
         "    coro.close()\n    return exc",
         ["asyncio.run", "minloop.run"]),
        ("makes its own ValueError",
         'return ValueError("a coroutine was expected")', ["never called minloop.run"]),
        ("calls run, but returns a new ValueError",
         "async def f():\n    return 1\ntry:\n    minloop.run(f)\nexcept ValueError as exc:\n"
         "    return ValueError(str(exc))", ["not raised by minloop.run"]),
        ("returns nothing",
         "async def f():\n    return 1\ntry:\n    minloop.run(f)\nexcept ValueError:\n    pass",
         ["returned none"]),
        ("a copy given the original traceback (issue)",
         "async def f():\n    return 1\ntry:\n    minloop.run(f)\nexcept ValueError as exc:\n"
         "    return ValueError(str(exc)).with_traceback(exc.__traceback__)",
         ["not raised by minloop.run", "another object", "`exc` itself"]),
        ("returns the class, type(exc) (issue: the check crashed)",
         "async def f():\n    return 1\ntry:\n    minloop.run(f)\nexcept ValueError as exc:\n"
         "    return type(exc)", ["the class valueerror", "return `exc` itself"]),
        ("minloop.run inside a coroutine minloop.run runs (issue: a raw RuntimeError)",
         "async def main():\n    return 1\nasync def outer():\n    minloop.run(main)\n"
         "minloop.run(outer())", ["let a runtimeerror out", "inside a running loop",
                                  "keeps asyncio's exact wording"]),
        ("nested minloop.run, and returns the RuntimeError",
         "async def main():\n    return 1\nasync def outer():\n    minloop.run(main)\n"
         "try:\n    minloop.run(outer())\nexcept (ValueError, RuntimeError) as exc:\n    return exc",
         ["returned a runtimeerror", "inside a running loop"]),
    ],
}

chapter, test_check = make_tests("00_start_here", WRONG)
