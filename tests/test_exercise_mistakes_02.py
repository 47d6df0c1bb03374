"""Chapter 02's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_02.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_tests  # noqa: E402

RR = '''
ready = deque(gens)
log, results = [], []
while ready:
    gen = ready.popleft()
    try:
        log.append(next(gen))
    except StopIteration as stop:
        results.append({result})
    else:
        {requeue}
return log, results
'''

def rr(result="stop.value", requeue="ready.append(gen)"):
    return RR.format(result=result, requeue=requeue)

YF = '''
try:
    value = next(inner)
except StopIteration as stop:
    return stop.value
while True:
    sent = yield value
    try:
        value = {send}
    except StopIteration as stop:
        return {ret}
'''

def yf(send="inner.send(sent)", ret="stop.value"):
    return YF.format(send=send, ret=ret)

SLEEPERS = '''
order = itertools.count()
heap = [{entry0} for gen in gens]
heapq.heapify(heap)
finished = []
while heap:
    {pop}
    try:
        delay = next(gen)
    except StopIteration as stop:
        finished.append((now, stop.value))
    else:
        heapq.heappush(heap, {entry})
return finished
'''

TICKING = '''
now = 0
waiting = [(0, gen) for gen in gens]
finished = []
while waiting:
    progress = True
    while progress:                      # run everything due at this tick
        progress = False
        for entry in list(waiting):
            when, gen = entry
            if when <= now:
                waiting.remove(entry)
                progress = True
                try:
                    delay = next(gen)
                except StopIteration as stop:
                    finished.append((now, stop.value))
                else:
                    waiting.append((now + delay, gen))
    now += 1
return finished
'''

WRONG = {
    1: [
        ("prints instead of returning",
         "for g in gens:\n    print(g)\nreturn [], []", ["must not print"]),
        ("forgets to requeue an unfinished generator", rr(requeue="pass"),
         ["log of yielded values", "back at the end of the queue"]),
        ("LIFO instead of round robin", rr(requeue="ready.appendleft(gen)"),
         ["log of yielded values"]),
        ("records the StopIteration, not its value", rr(result="stop"), ["stop.value"]),
    ],
    2: [
        ("`yield from` a coroutine in a plain generator (issue)",
         "for _ in range(self.n):\n    yield from minloop.sleep(0)\nreturn self.n",
         ["yield from", "coroutine", "yield none yourself"]),
        ("async def __await__",
         "pass", ["async def", "plain `def`"],),
        ("off by one: yields n + 1 times",
         "for _ in range(self.n + 1):\n    yield\nreturn self.n", ["how many times", "exactly n"]),
        ("yields n instead of None",
         "for _ in range(self.n):\n    yield self.n\nreturn self.n", ["should yield none"]),
        ("forgets the return value",
         "for _ in range(self.n):\n    yield", ["return self.n"]),
        ("raises StopIteration to return (PEP 479)",
         "for _ in range(self.n):\n    yield\nraise StopIteration(self.n)", ["pep 479"]),
    ],
    3: [
        ("no StopIteration handling at the first next() (PEP 479)",
         "value = next(inner)\nwhile True:\n    sent = yield value\n    try:\n"
         "        value = inner.send(sent)\n    except StopIteration as stop:\n"
         "        return stop.value", ["pep 479", "catch stopiteration"]),
        ("sends None instead of what it received", yf(send="next(inner)"),
         ["what the inner generator received"]),
        ("returns None instead of the inner result", yf(ret="None"), ["stopiteration.value"]),
        ("uses yield from", "return (yield from inner)", ["yield from"]),
        ("returns the inner generator itself", "return inner", ["inner generator itself"]),
    ],
    4: [
        ("a clock that ticks by 1, no heap (issue)", TICKING, ["whole numbers", "tick"]),
        ("no tie-break counter",
         SLEEPERS.format(entry0="(0, gen)", pop="now, gen = heapq.heappop(heap)",
                         entry="(now + delay, gen)"), ["tie-break counter"]),
        ("records the delay, not the absolute wake time",
         SLEEPERS.format(entry0="(0, next(order), gen)", pop="now, _, gen = heapq.heappop(heap)",
                         entry="(delay, next(order), gen)"),
         ["finishing times", "now + delay"]),
        ("sleeps for real",
         "import time as _t\n_t.sleep(0)\n" + SLEEPERS.format(
             entry0="(0, next(order), gen)", pop="now, _, gen = heapq.heappop(heap)",
             entry="(now + delay, next(order), gen)"), ["waited for real"]),
    ],
}

ASYNC_AWAIT = '''class Turns:
    def __init__(self, n):
        self.n = n

    async def __await__(self):
        for _ in range(self.n):
            await minloop.sleep(0)
        return self.n
'''
WRONG[2][1] = ("async def __await__", ASYNC_AWAIT, ["async def", "plain `def`"], True)

chapter, test_check = make_tests("02_coroutines", WRONG)
