"""Chapter 03's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_03.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_tests  # noqa: E402

RIGHT = ["first", "second", "timer due now", "scheduled by first", "half-second timer",
         "alarm X", "alarm Y", "scheduled by alarm X", "scheduled by alarm Y"]


def predict(order):
    return f"return {order!r}"


def swapped(i, j, base=RIGHT):
    out = list(base)
    out[i], out[j] = out[j], out[i]
    return out


CALL_LATER = '''
timer = ToyTimer({when}, callback, args)
heapq.heappush(self.scheduled, {entry})
return timer
'''
MOVE = '''
{loop} self.scheduled and self.scheduled[0][0] {op} self.clock.time():
    _, _, timer = {pop}
    self.ready.append(timer)
'''


def fifo(when="self.clock.time() + delay", entry="(timer.when, next(self.seq), timer)",
         loop="while", op="<=", pop="heapq.heappop(self.scheduled)"):
    return [CALL_LATER.format(when=when, entry=entry),
            MOVE.format(loop=loop, op=op, pop=pop)]


PURGE = '''
if len(heap) {gt} 100 and cancelled_count / len(heap) {half} 0.5:
    heap = [timer for timer in heap if not timer.cancelled]
    {heapify}
    return heap, 0
while heap and heap[0].cancelled:
    {pop}
    {dec}
return heap, cancelled_count
'''


def purge(gt=">", half=">", heapify="heapq.heapify(heap)", pop="heapq.heappop(heap)",
          dec="cancelled_count -= 1"):
    return PURGE.format(gt=gt, half=half, heapify=heapify, pop=pop, dec=dec)


STOP = '''
runs = 0

def count():
    nonlocal runs
    runs += 1
    {body}

loop.call_soon(count)
'''


def stop_after(body="if runs == n:\n        loop.stop()\n    else:\n        loop.call_soon(count)"):
    return STOP.format(body=body)


WRONG = {
    1: [
        ("the due timer runs before call_soon callbacks", predict(swapped(1, 2)),
         ["position 1", "first-in first-out"]),
        ("what first schedules runs in the same iteration",
         predict(["first", "second", "scheduled by first", "timer due now"] + RIGHT[4:]),
         ["position 2", "phase (5)", "before anything those callbacks scheduled"]),
        ("the loop sleeps before running what is ready",
         predict(RIGHT[:3] + ["half-second timer", "scheduled by first"] + RIGHT[5:]),
         ["position 3", "never sleeps while something is ready"]),
        ("an alarm's follow-up before the other alarm",
         predict(RIGHT[:6] + ["scheduled by alarm X", "alarm Y", "scheduled by alarm Y"]),
         ["position 6", "same deadline"]),
        ("a message that is not logged", predict(RIGHT[:8] + ["third"]), ["not messages"]),
    ],
    2: [
        ("list.pop(0) instead of heappop (issue)", fifo(pop="self.scheduled.pop(0)"),
         ["list.pop(0)", "heapq.heappop"]),
        ("`if` instead of `while`", fifo(loop="if"), ["`while`", "not `if`"]),
        ("`<` instead of `<=`", fifo(op="<"), ["<=, not <"]),
        ("a relative deadline", fifo(when="delay"), ["absolute"]),
        ("no tie-break counter", fifo(entry="(timer.when, 0, timer)"), ["ties", "seq"]),
    ],
    3: [
        ("`>=` 100 timers", purge(gt=">="), ["not *more than* 100"]),
        ("exactly half counts as more than half", purge(half=">="), ["exactly half"]),
        ("forgets heapify after the rebuild", purge(heapify="pass"), ["heapify"]),
        ("list.pop(0) from the top", purge(pop="heap.pop(0)"), ["list.pop(0)"]),
        ("forgets to lower the count", purge(dec="pass"), ["(heap size, cancelled count)"]),
        ("pops the top first, then decides on the rebuild (issue: passed)",
         "while heap and heap[0].cancelled:\n    heapq.heappop(heap)\n    cancelled_count -= 1\n"
         "if len(heap) > 100 and cancelled_count / len(heap) > 0.5:\n"
         "    live = [t for t in heap if not t.cancelled]\n    heapq.heapify(live)\n"
         "    return live, 0\nreturn heap, cancelled_count",
         ["10 earliest", "decide on the rebuild first"]),
        ("no emptiness guard on the pops (issue: passed)",
         purge().replace("while heap and heap[0].cancelled:", "while heap[0].cancelled:"),
         ["indexerror", "80 timers, all cancelled", "heap and heap[0].cancelled"]),
        ("the ratio before the size (issue: passed)",
         purge().replace("len(heap) > 100 and cancelled_count / len(heap) > 0.5",
                         "cancelled_count / len(heap) > 0.5 and len(heap) > 100"),
         ["zerodivisionerror", "empty heap", "`len(heap) > 100` first"]),
    ],
    4: [
        ("off by one: stops after n + 1 runs",
         stop_after("if runs > n:\n        loop.stop()\n    else:\n        loop.call_soon(count)"),
         ["iterations", "n-th run"]),
        ("reschedules after stop()",
         stop_after("if runs == n:\n        loop.stop()\n    loop.call_soon(count)"),
         ["instead of", "_ready"]),
        ("never stops", stop_after("loop.call_soon(count)"), ["without stopping", "loop.stop()"]),
        ("a timer instead of call_soon",
         "loop.call_later(0.5 * n, loop.stop)", ["slept towards"]),
    ],
    5: [
        ("a timer and a wake-up in one iteration", "return 4", ["two iterations, not one"]),
        ("sleep(0) costs two iterations", "return 6", ["sleep(0) costs one iteration"]),
        ("not a whole number", "return '5'", ["whole number"]),
    ],
}

chapter, test_check = make_tests("03_the_loop", WRONG)
