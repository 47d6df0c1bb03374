"""Chapter 02's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_02.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_accepted_test, make_tests  # noqa: E402

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

BY_TIME = '''
heap, out, now = [], [], 0
for g in gens:
    try: d = next(g)
    except StopIteration as s: out.append((now, s.value)); continue
    heapq.heappush(heap, (now + d, now, g))
while heap:
    now, _, g = heapq.heappop(heap)
    try: d = next(g)
    except StopIteration as s: out.append((now, s.value)); continue
    heapq.heappush(heap, (now + d, now, g))
return out
'''

HARD_CODED = '''
gens = list(gens)
for g in gens:
    for _ in g:
        pass
if len(gens) == 4:
    return [(0, "c"), (2, "d"), (2, "b"), (3, "a")]
return [(0, "c"), (0.5, "e"), (2.5, "d"), (2.5, "b"), (3, "a")]
'''

DRAIN_AND_SUM = '''
out = []
for i, g in enumerate(gens):
    total = 0
    try:
        while True:
            total += next(g)
    except StopIteration as stop:
        out.append((total, i, stop.value))
out.sort(key=lambda e: e[:2])
return [(t, v) for t, _, v in out]
'''

# Right times and order (ties ordered by when the last sleep began, as the heap does), but
# every generator is drained at once: only the order of the resumes gives it away.
DRAIN_SORTED = '''
out = []
for i, g in enumerate(gens):
    total, last = 0, -1
    try:
        while True:
            delay = next(g)
            last, total = total, total + delay
    except StopIteration as stop:
        out.append(((total, last, i), stop.value))
out.sort(key=lambda e: e[0])
return [(k[0], v) for k, v in out]
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
        ("a clock that ticks by 1, no heap (issue)", TICKING, ["tick of 1 s", "jump `now`"]),
        ("a clock that ticks by 0.25 (issue: passed)",
         TICKING.replace("now += 1", "now += 0.25"), ["tick of 0.25 s", "jump `now`"]),
        ("tie-break by scheduling time, not a counter (issue: passed)", BY_TIME,
         ["x: 1, y: 1", "tie-break counter", "scheduling time repeats"]),
        ("hard-coded for the two examples (issue: passed)", HARD_CODED,
         ["not resumed in time order"]),
        ("drains each generator and adds up its delays", DRAIN_AND_SUM,
         ["finishing times and order"]),
        ("drains, adds up, orders ties like the heap", DRAIN_SORTED, ["not resumed in time order"]),
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

# Answers a learner may write that are right: each must pass the check.
ACCEPTED = {
    4: [("pushes every generator at time 0 with heappush",
         "order = itertools.count()\nheap, finished = [], []\nfor gen in gens:\n"
         "    heapq.heappush(heap, (0, next(order), gen))\nwhile heap:\n"
         "    now, _, gen = heapq.heappop(heap)\n    try:\n        delay = next(gen)\n"
         "    except StopIteration as stop:\n        finished.append((now, stop.value))\n"
         "        continue\n    heapq.heappush(heap, (now + delay, next(order), gen))\n"
         "return finished")],
}

chapter, test_check = make_tests("02_coroutines", WRONG)

test_accepted = make_accepted_test(ACCEPTED)
