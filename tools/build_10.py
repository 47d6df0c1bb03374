"""Build notebooks/10_errors_cancellation.ipynb from the cells below (outputs empty: execute it afterwards).

    .venv/bin/python tools/build_10.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/10_errors_cancellation.ipynb
    .venv/bin/python tools/clean_outputs.py notebooks/10_errors_cancellation.ipynb

Cell ids are ch10-000, ch10-001, ... in order, like the other chapters; a cell added after the
first edition names its own id (ch10-113b follows ch10-113), so that no other id moves.
"""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks" / "10_errors_cancellation.ipynb"

CELLS = []


def md(text, id=None):
    CELLS.append(("markdown", text.strip("\n"), [], id))


def code(text, tags=(), id=None):
    CELLS.append(("code", text.strip("\n"), list(tags), id))


def check(text, id=None):
    code(text, tags=["check"], id=id)


# ============================================================================ the cells

md(r'''
# 10 · Errors, cancellation and structured concurrency

A Task can fail, be cancelled, or wait for ever, and each of these can go unnoticed: an
exception sits in a Task nobody awaits, a `CancelledError` is caught and dropped by a
too-wide `except`, two Tasks wait for each other and the program just stops. This chapter
is about making those failures *visible*, and about the tools asyncio built so that they
cannot happen quietly: cancellation that is counted, timeouts that know their own
cancellation from someone else's, and TaskGroups that never leave a Task behind.

**What you will learn**

- asyncio's exception classes, and why `CancelledError` is a `BaseException`;
- what `cancel(msg)`, `cancelling()` and `uncancel()` do, and where a `CancelledError` may be
  caught and where it must go on;
- the loop's exception handler, "Task exception was never retrieved", debug mode, and
  `current_task()`/`all_tasks()`;
- `timeout()` built as a toy from `call_later` + `cancel` + `uncancel`, then minloop's (CPython's)
  `Timeout`; `TaskGroup`, `ExceptionGroup` and `except*`;
- the **waiting-on tree**: what every Task is waiting on, drawn, to find a deadlock.
''')

code(r'''
import asyncio
import gc
import logging
import re
import threading
import time

import matplotlib.pyplot as plt
import minloop
from minloop import VirtualClock, graph
from minloop.viz.checks import (CheckFailed, call_exercise, check, check_equal, expect_error,
                                learner_code, passed)
from minloop.viz.source import show_source
from minloop.viz.waiting import plot_waiting_tree
''')

md(r'''
Helpers: `vrun` runs a coroutine on a fresh minloop loop with a virtual clock (chapter 06),
`now()` prints that clock, and `in_thread` runs real asyncio in a helper thread, since this
notebook's own thread already has the kernel's asyncio loop running (chapter 00).
''')

code(r'''
def vrun(coro):
    "Run coro on a new minloop loop with a virtual clock; return its result."
    return minloop.run(coro, clock=VirtualClock())


def now():
    "The running loop's clock, for printing: 3.0 -> '3'."
    return f"{minloop.get_running_loop().time():g}"


def in_thread(fn):
    "fn() in a helper thread (asyncio.run refuses to run in the kernel's thread)."
    out = {}
    def target():
        try:
            out["result"] = fn()
        except BaseException as exc:
            out["error"] = exc
    worker = threading.Thread(target=target)
    worker.start()
    worker.join(10)
    if "error" in out:
        raise out["error"]
    return out.get("result")
''')

md(r'''
## 1. The problem: failures that nobody sees

Three small programs, three silent failures. First, a Task fails and nobody awaits it: the
program carries on, and the error is only *logged*, later, when the Task is garbage-collected.
We catch the log with a custom exception handler (section 4 explains it):
''')

code(r'''
async def fails():
    raise ValueError("lost")

async def forgetful():
    minloop.get_running_loop().set_exception_handler(
        lambda loop, ctx: print("handler got:", ctx["message"], repr(ctx["exception"])))
    minloop.create_task(fails())          # started, never awaited
    await minloop.sleep(1)
    print("main carries on at t =", now())
    gc.collect()                          # the Task is freed: only now is the error reported

vrun(forgetful())
''')

md(r'''
Second, a cancellation that is caught and dropped. `wait_for` gives up after one second and
cancels its Task, but this Task catches *every* exception, `CancelledError` included:
''')

code(r'''
async def stubborn():
    for attempt in range(3):
        try:
            await minloop.sleep(1)
        except BaseException:            # "never crash": swallows the cancellation too
            print(f"t={now()}: attempt {attempt} interrupted, trying again")
    return "late result"

async def impatient():
    result = await minloop.wait_for(stubborn(), timeout=1)
    print(f"t={now()}: wait_for returned {result!r} after a 1 s timeout")

vrun(impatient())
''')

md(r'''
`wait_for` waited *three* seconds for a one-second timeout, and then returned a result as if
all was well: the Task refused to die, so `wait_for` could only wait for it. Third, two Tasks
that each hold a lock the other needs. On minloop's virtual clock the loop at least notices
that nothing can ever happen again (asyncio's real loop would just sleep for ever):
''')

code(r'''
async def transfer(first, second, name):
    async with first:
        await minloop.sleep(0.1)          # the other Task takes its first lock meanwhile
        async with second:
            print(name, "done")

async def deadlock():
    minloop.current_task().set_name("main")
    a, b = minloop.Lock(), minloop.Lock()
    await minloop.gather(minloop.create_task(transfer(a, b, "a->b"), name="a->b"),
                         minloop.create_task(transfer(b, a, "b->a"), name="b->a"))

with expect_error(RuntimeError):
    vrun(deadlock())
''')

md(r'''
We will come back to each: section 4 for the lost exception, sections 2 and 5 for the
swallowed cancellation, section 8 for the deadlock.

## 2. The exception classes

asyncio's exceptions are few. `TimeoutError` *is* the builtin one (since 3.11), the streams'
errors extend `EOFError` and `Exception`, and `CancelledError` extends `BaseException` directly,
beside `KeyboardInterrupt` and `SystemExit`. minloop uses asyncio's own classes, so an
`except asyncio.CancelledError` catches minloop's cancellations too:
''')

code(r'''
show_source(minloop.exceptions)
''')

code(r'''
def draw_hierarchy():
    names = ["CancelledError", "InvalidStateError", "TimeoutError", "IncompleteReadError",
             "LimitOverrunError", "BrokenBarrierError", "SendfileNotAvailableError"]
    classes = [getattr(minloop, n) for n in names] + [KeyboardInterrupt, SystemExit]
    nodes = {}                                     # class -> parent class
    for cls in classes:
        for child, parent in zip(cls.__mro__, cls.__mro__[1:-1]):
            nodes[child] = parent
    return nodes

for child, parent in draw_hierarchy().items():
    print(f"{child.__name__:<26} <- {parent.__name__}")
''')

md(r'''
As a picture: asyncio's classes in blue, Python's in grey. The one that matters most is on the
left: `CancelledError` is *not* an `Exception`.
''')

code(r'''
def plot_hierarchy(nodes):
    levels = {}
    def depth(c):
        return 0 if c not in nodes else 1 + depth(nodes[c])
    for c in set(nodes) | set(nodes.values()):
        levels.setdefault(depth(c), []).append(c)
    pos = {}
    for d in sorted(levels):                       # each row ordered under its parents
        cs = levels[d]
        cs.sort(key=lambda c: (pos[nodes[c]][0] if c in nodes else 0,
                               c.__name__ != "CancelledError", c.__name__))
        for i, c in enumerate(cs):
            pos[c] = (1.45 * (i - (len(cs) - 1) / 2), -d)
    fig, ax = plt.subplots(figsize=(11, 3.4))
    for c, p in nodes.items():
        ax.plot([pos[c][0], pos[p][0]], [pos[c][1] + 0.15, pos[p][1] - 0.15], color="#9e9e9e")
    for c, (x, y) in pos.items():
        mine = c.__module__ == "asyncio.exceptions"
        ax.text(x, y, c.__name__, ha="center", va="center", fontsize=8, bbox=dict(
            boxstyle="round", fc="#e3f2fd" if mine else "#f5f5f5",
            ec="#1565c0" if mine else "#9e9e9e"))
    ax.set_xlim(-4.6, 4.6); ax.set_ylim(-3.5, 0.5); ax.axis("off")
    return fig

fig = plot_hierarchy(draw_hierarchy())
''')

md(r'''
Why a `BaseException`? Because code like `except Exception: log_and_continue()` is everywhere,
and until Python 3.8 it swallowed cancellations by accident. A cancellation is not an error of
the code it interrupts: it is a request from outside to stop, and it must reach the Task's
top so the Task ends *cancelled*:
''')

code(r'''
async def careful():
    try:
        await minloop.sleep(10)
    except Exception as exc:              # errors of the work: not the cancellation
        print("never printed", exc)

async def main():
    t = minloop.create_task(careful())
    await minloop.sleep(1)
    t.cancel()
    await minloop.wait([t])
    print("cancelled:", t.cancelled())

vrun(main())
''')

md(r'''
## 3. Cancellation is a request, and it is counted

`task.cancel(msg)` does not stop a Task. It asks: the Task's Future-in-waiting is cancelled
(chapter 05), and on its next step the coroutine gets a `CancelledError` thrown in at its
current `await`, carrying `msg`. Since 3.11 each request is also *counted*: `cancelling()` is
the number of pending requests, and `uncancel()` takes one back.
''')

code(r'''
async def worker():
    me = minloop.current_task()
    try:
        await minloop.sleep(10)
    except minloop.CancelledError as exc:
        print(f"t={now()}: got {exc!r}, cancelling() = {me.cancelling()}")
        raise                             # let it go on: the Task ends cancelled

async def main():
    t = minloop.create_task(worker())
    await minloop.sleep(1)
    print("cancel ->", t.cancel("shutting down"), "| again ->", t.cancel("twice"))
    await minloop.wait([t])
    print("cancelled():", t.cancelled(), "| cancelling():", t.cancelling())

vrun(main())
''')

md(r'''
The second `cancel()` returned `True` and counted, but the coroutine saw only the first
message: one `CancelledError` is thrown for the step. Who calls `uncancel()`? Whoever
cancelled the Task *for its own purposes* and then handled it: a timeout that turns its own
cancellation into `TimeoutError`, a TaskGroup that cancelled its parent. The count lets them
tell their cancellation from someone else's: if after `uncancel()` the count is back to what
it was before they started, the cancellation was theirs.

### Where a CancelledError may stop, and where it must not

Catching `CancelledError` is fine *to clean up*: close a file, roll back, log, and then
`raise` again. Catching it and carrying on is a decision that belongs to whoever asked for
the cancellation (a timeout, a TaskGroup), and they do it with `uncancel()`. Anyone else who
swallows it breaks their caller, as `stubborn()` broke `wait_for` in section 1.

`shield()` (chapter 06) is the sanctioned way to protect work from a cancellation: the
*awaiting* Task is cancelled, the shielded one goes on and can be awaited again:
''')

code(r'''
async def save(log):
    await minloop.sleep(2)
    log.append(f"saved at t={now()}")

async def main():
    log = []
    inner = minloop.create_task(save(log))
    try:
        async with minloop.timeout(1):
            await minloop.shield(inner)
    except TimeoutError:
        print(f"t={now()}: gave up waiting; inner cancelled? {inner.cancelled()}")
    await inner
    print(log)

vrun(main())
''')

md(r'''
## 4. The exception handler, and exceptions nobody retrieved

Some errors have no caller to raise to: a callback run by the loop, a Task that nobody awaits.
The loop passes them to its **exception handler** as a *context* dict: a `message`, and keys
such as `exception`, `future`, `task`, `handle`. The default handler logs it to the `asyncio`
logger; `loop.set_exception_handler(fn)` replaces it.

A Future (or Task) remembers whether anyone looked at its exception. If nobody did when it is
freed, its `__del__` calls the handler with "... exception was never retrieved". That is the
message of section 1, and why it came only after `gc.collect()`: it is reported when the
object dies, which may be much later than the failure, or (at interpreter exit) never.
''')

code(r'''
show_source(minloop.Future.__del__)
''')

code(r'''
def handler(loop, context):
    keys = sorted(k for k in context if k != "message")
    message = context["message"].split(" at /")[0]      # (drop the cell's file name)
    print(f"{message!r} with keys {keys}")

async def main():
    minloop.get_running_loop().set_exception_handler(handler)
    t = minloop.create_task(fails())
    await minloop.sleep(0)
    t.exception()              # retrieved: nothing is reported for this one
    minloop.create_task(fails())
    minloop.get_running_loop().call_soon(lambda: 1 / 0)
    await minloop.sleep(0)

vrun(main())
freed = gc.collect()
''')

md(r'''
The cure is structural rather than a handler: keep a reference to every Task you start and
await it, or let a TaskGroup do it (section 6). A handler is for reporting what slipped through.

## 5. Timeouts: a toy, then the real one

A timeout is three calls we already have. `call_later(delay, task.cancel)` cancels the Task at
the deadline; the block then gets a `CancelledError`; we turn *our own* cancellation into
`TimeoutError`. The third step is the delicate one: how do we know the cancellation is ours?
The count. We note `cancelling()` on entry and call `uncancel()` when our timer fired; only if
the count is then back where it was did nobody else ask to cancel the Task.
''')

code(r'''
class toy_timeout:
    def __init__(self, delay):
        self.delay, self.fired = delay, False

    async def __aenter__(self):
        self.task = minloop.current_task()
        self.before = self.task.cancelling()
        self.timer = minloop.get_running_loop().call_later(self.delay, self.fire)

    def fire(self):
        self.fired = True
        self.task.cancel()
''')

code(r'''
async def toy_aexit(self, exc_type, exc, tb):
    self.timer.cancel()
    if self.fired and self.task.uncancel() <= self.before \
            and exc_type is minloop.CancelledError:
        raise TimeoutError from exc        # ours: it becomes a TimeoutError

toy_timeout.__aexit__ = toy_aexit
''')

md(r'''
One program, three timeouts: the toy, minloop's, asyncio's. The program nests two timeouts
(the inner one fires), then is cancelled from outside while inside one: the outside
cancellation must come out as `CancelledError`, not `TimeoutError`.
''')

code(r'''
async def timeout_story(lib, timeout):
    log = []
    async def body():
        async with timeout(5):
            try:
                async with timeout(0.01):
                    await lib.sleep(1)
            except TimeoutError:
                log.append("inner timed out")
            await lib.sleep(1)           # the outer one is still armed: cancel arrives here
    t = lib.create_task(body())
    await lib.sleep(0.05)
    t.cancel()
    try:
        await t
    except lib.CancelledError:
        log.append(f"outside cancel -> CancelledError, cancelling()={t.cancelling()}")
    return log
''')

code(r'''
toy = vrun(timeout_story(minloop, toy_timeout))
ours = vrun(timeout_story(minloop, minloop.timeout))
real = in_thread(lambda: asyncio.run(timeout_story(asyncio, asyncio.timeout)))
print(toy)
print("toy == minloop == asyncio:", toy == ours == real)
''')

md(r'''
Here is minloop's `Timeout`, which is CPython 3.11's line for line (without type hints). It has
more than our toy: named states (`created`, `active`, `expiring`, `expired`, `finished`),
`reschedule()` to move the deadline, `when()` and `expired()`, and errors for misuse.
''')

code(r'''
show_source(minloop.timeouts.Timeout.__aexit__)
''')

code(r'''
async def main():
    loop = minloop.get_running_loop()
    async with minloop.timeout(1) as cm:
        print(cm, "| expired:", cm.expired())
        cm.reschedule(loop.time() + 3)    # more time
        await minloop.sleep(2)
        print(f"t={now()}: still inside", cm)
    print(cm)

vrun(main())
''')

md(r'''
Swallowing the timeout's own `CancelledError` inside the block has the same effect as in
section 1: the block runs on past its deadline, and no `TimeoutError` comes, only `expired()`
says so afterwards:
''')

code(r'''
async def main():
    async with minloop.timeout(1) as cm:
        try:
            await minloop.sleep(10)
        except minloop.CancelledError:
            pass                          # swallowed: the block goes on
        await minloop.sleep(1)
    print(f"t={now()}: left the block normally; expired() = {cm.expired()}")

vrun(main())
''')

md(r'''
## 6. TaskGroup: no Task left behind

`gather()` has an awkward rule: when one child fails, `gather` raises at once, and the other
children *keep running*, unowned. A **TaskGroup** owns its Tasks: leaving the `async with`
waits for every one of them, and the first failure cancels all the others (and the body, at
its current `await`), waits for them to finish, and raises *every* error together as an
`ExceptionGroup`. Handle its parts with `except*`:
''')

code(r'''
async def job(name, delay, error=None):
    try:
        await minloop.sleep(delay)
    except minloop.CancelledError:
        print(f"t={now()}: {name} cancelled")
        raise
    if error:
        raise error
    return name

async def main():
    try:
        async with minloop.TaskGroup() as tg:
            tg.create_task(job("slow", 5))
            tg.create_task(job("bad", 1, ValueError("bad input")))
            tg.create_task(job("worse", 1, KeyError("missing")))
    except* ValueError as eg:
        print("ValueError part:", eg.exceptions)
    except* KeyError as eg:
        print("KeyError part:", eg.exceptions)

vrun(main())
''')

md(r'''
A toy TaskGroup needs only a done-callback per child: count it off, remember its error, and on
the first error cancel the rest. `__aexit__` then waits until the count is zero. (The real one
also cancels the parent Task, handles the parent's own cancellation, and KeyboardInterrupt.)
''')

code(r'''
class ToyGroup:
    async def __aenter__(self):
        self.tasks, self.errors = set(), []
        self.all_done = minloop.get_running_loop().create_future()
        return self

    def create_task(self, coro):
        t = minloop.create_task(coro)
        self.tasks.add(t)
        t.add_done_callback(self._done)
        return t
''')

code(r'''
def _done(self, t):
    self.tasks.discard(t)
    if not t.cancelled() and t.exception() is not None:
        if not self.errors:
            for other in self.tasks:
                other.cancel()
        self.errors.append(t.exception())
    if not self.tasks and not self.all_done.done():
        self.all_done.set_result(None)

async def _aexit(self, *exc_info):
    if self.tasks:
        await self.all_done
    if self.errors:
        raise ExceptionGroup("toy group", self.errors)

ToyGroup._done, ToyGroup.__aexit__ = _done, _aexit
''')

code(r'''
async def group_story(lib, Group):
    log = []
    async def job(name, delay, error=None):
        try:
            await lib.sleep(delay)
        except lib.CancelledError:
            log.append(f"{name} cancelled")
            raise
        if error:
            raise error
    try:
        async with Group() as g:
            g.create_task(job("slow", 0.05))
            g.create_task(job("bad", 0.01, ValueError("x")))
    except ExceptionGroup as eg:
        log.append(repr(eg.exceptions))
    return log

toy = vrun(group_story(minloop, ToyGroup))
real = in_thread(lambda: asyncio.run(group_story(asyncio, asyncio.TaskGroup)))
print(toy, "| toy == asyncio:", toy == real == vrun(group_story(minloop, minloop.TaskGroup)))
''')

md(r'''
The real `_on_task_done` is the toy's `_done` plus the parent: on the first error it cancels
the parent Task too, and notes that it did (`_parent_cancel_requested`), so that `__aexit__`
can `uncancel()` it, the same counting as in `Timeout`.
''')

code(r'''
show_source(minloop.taskgroups.TaskGroup._on_task_done)
''')

md(r'''
## 7. Which Task am I? Which Tasks are there? Who blocks the loop?

`current_task()` is the Task whose step is running (the loop sets it in `__step`, chapter 05),
`all_tasks()` the set of Tasks of the loop that are not done. Sort the set before printing:
it is a set.
''')

code(r'''
async def sleeper(delay):
    print("  I am", minloop.current_task().get_name())
    await minloop.sleep(delay)

async def main():
    minloop.current_task().set_name("main")
    others = [minloop.create_task(sleeper(i + 1), name=f"sleeper-{i}") for i in range(2)]
    await minloop.sleep(0)
    print(sorted(t.get_name() for t in minloop.all_tasks() if t.get_name() != "main"))
    await others[0]
    print(sorted(t.get_name() for t in minloop.all_tasks() if t.get_name() != "main"))

vrun(main())
''')

md(r'''
A callback that blocks (a `time.sleep`, a big computation) stops *every* Task. **Debug mode**
times each callback and logs those slower than `loop.slow_callback_duration` (0.1 s by
default). This is about real time, so we use the real clock and a small threshold; we print
the log line with its seconds replaced, since they vary from run to run.
''')

code(r'''
class Collect(logging.Handler):
    def emit(self, record):
        text = record.getMessage()
        if "blocking" in text:            # file names and seconds vary: drop them
            text = re.sub(r"( created)? at \S+:\d+", "", text)
            print("log:", re.sub(r"\d+\.\d+ seconds", "N seconds", text))

def blocking():
    time.sleep(0.06)                      # a blocking call inside the loop

async def main():
    loop = minloop.get_running_loop()
    loop.slow_callback_duration = 0.05
    loop.call_soon(blocking)
    await minloop.sleep(0)

logging.getLogger("asyncio").addHandler(collect := Collect())
minloop.run(main(), debug=True)
logging.getLogger("asyncio").removeHandler(collect)
''')

md(r'''
## 8. The waiting-on tree: what is my program waiting on?

Back to section 1's deadlock. The loop said "would block forever", true but unhelpful: *who*
is waiting on *what*? A suspended Task sits in no queue; it is a done-callback on the Future
it awaits (`task._fut_waiter`). So the answer is a walk over Futures and callbacks: a Task
waits on its `_fut_waiter`, a gather on its children, and a Future is awaited by whoever its
done-callbacks wake. Python 3.14 added this walk to asyncio (`asyncio.capture_call_graph`,
`python -m asyncio pstree`); `minloop.graph` is a teaching version that also says, for each
Future at the bottom, what in the loop could complete it.
''')

code(r'''
loop = minloop.new_event_loop(clock=VirtualClock())
main_task = loop.create_task(deadlock(), name="main")
with expect_error(RuntimeError):
    loop.run_until_complete(main_task)
print(graph.format_waiting_tree(loop))
''')

md(r'''
Read it from the bottom: each Task waits in `Lock.acquire()` on a Future that nothing in the
loop refers to, no timer, no ready callback, no file descriptor. Only another Task could
complete it, and the two Tasks that could are the two that wait. The same tree, drawn:
''')

code(r'''
fig = plot_waiting_tree(graph.waiting_tree(loop), title="The deadlock: both branches end in red")
''')

code(r'''
for t in minloop.all_tasks(loop):          # clean up: cancel the stuck Tasks, close the loop
    t.cancel()
loop.run_until_complete(minloop.sleep(0))
loop.close()
''')

md(r'''
Compare a program that is merely *slow*: every branch ends in a timer, so the tree says the
loop will wake someone. `format_waiting_tree()` can be called from inside the program too, by
a watchdog Task; it shows itself as the running Task.
''')

code(r'''
async def watchdog():
    await minloop.sleep(1)
    print(graph.format_waiting_tree())

async def main():
    minloop.current_task().set_name("main")
    minloop.create_task(watchdog(), name="watchdog")
    inner = minloop.create_task(minloop.sleep(3), name="inner")
    async with minloop.timeout(10):
        await minloop.gather(minloop.create_task(minloop.wait_for(inner, 5), name="wait_for"),
                             minloop.create_task(minloop.sleep(2), name="nap"))

vrun(main())
''')

md(r'''
3.14's own API looks *up* instead of down: from one Task to whoever awaits it, with each
coroutine's stack. `minloop.graph.format_call_graph` has its shape (without the `id=0x...`
and file names that 3.14 prints):
''')

code(r'''
async def leaf():
    print(graph.format_call_graph())

async def main():
    minloop.current_task().set_name("main")
    await minloop.create_task(leaf(), name="leaf")

vrun(main())
''')

md(r'''
## 9. What CPython does more

- **C Tasks.** asyncio's `Task.cancel`/`uncancel` and `__step` run in C (`_asyncio`); minloop's
  are the pure-Python ones, with the same counting.
- **3.12 and 3.13 changed details** minloop keeps at 3.11: 3.13's `uncancel()` also clears a
  pending `_must_cancel` when the count reaches zero; 3.13's `Timeout.__aexit__` accepts
  `CancelledError` subclasses and inserts a `TimeoutError` into the context of other errors;
  3.13's TaskGroup uncancels its parent only after the children are done (so a child failing
  while `__aexit__` waits no longer leaves `cancelling()` at 1) and closes coroutines that
  `create_task` refuses.
- **3.14's call graph** keeps an explicit `_asyncio_awaited_by` set on each Future, filled by
  Task, gather, shield and TaskGroup, and `python -m asyncio ps PID` / `pstree PID` read it
  from *another process*. minloop reads the same facts from the done-callbacks, in-process.
- **Debug mode** in asyncio also warns about coroutines never awaited (with where they were
  made), and checks non-threadsafe calls from other threads; minloop does both too (chapter 03).
''')

md(r'''
## Summary

- `CancelledError` is a `BaseException`: `except Exception` lets it through, `except
  BaseException` and bare `except:` do not. Catch it to clean up, then `raise`.
- `cancel()` is a counted request; `cancelling()` counts, `uncancel()` takes one back. A
  timeout or TaskGroup uses the count to tell its own cancellation from someone else's.
- Errors without a caller go to the loop's exception handler; an exception nobody retrieved is
  reported only when its Future is freed. Keep and await your Tasks.
- `timeout()` is `call_later` + `cancel` + `uncancel`; a TaskGroup cancels everything on the
  first error and raises all errors as an `ExceptionGroup`.
- The waiting-on tree shows what every Task waits on; a tree whose every branch ends in a
  Future nothing will complete is a stuck program.

## Exercises
''')

md(r'''
### Exercise 1: a deadline of your own

Write `with_deadline(delay, work)`: it awaits `work()` and returns its result, but if `delay`
seconds pass first, it cancels the work and raises `TimeoutError` (chained `from` the
`CancelledError`). Use `call_later`, `cancel` and `uncancel` (not `minloop.timeout` or
`wait_for`). The check tests: the result when the work is quick, `TimeoutError` at the deadline,
the timer cancelled once the work is done, a cancellation *from outside* coming out as
`CancelledError` (not `TimeoutError`), and a `with_deadline` inside another one, where the
outer deadline must still work after the inner one fired.
''')

code(r'''
async def with_deadline(delay, work):
    ### BEGIN SOLUTION
    task = minloop.current_task()
    before = task.cancelling()
    fired = False

    def fire():
        nonlocal fired
        fired = True
        task.cancel()

    timer = minloop.get_running_loop().call_later(delay, fire)
    try:
        return await work()
    except minloop.CancelledError as exc:
        if fired and task.uncancel() <= before:
            raise TimeoutError from exc
        raise
    finally:
        timer.cancel()
    ### END SOLUTION
''')

md(r'''
The checks run every scenario on virtual time, with a bound on the number of loop iterations,
so an answer that polls in a loop is caught instead of hanging.
''')

code(r'''
def bounded_vrun(coro, max_iterations=1000):
    "vrun(coro), failing with CheckFailed after max_iterations turns of the loop."
    count = 0
    def tracer(phase, loop, **info):
        nonlocal count
        if phase == "purge":
            count += 1
            if count > max_iterations:
                raise CheckFailed(
                    f"the loop turned {max_iterations} times without finishing: busy polling? "
                    "Wait on a Future or a timer (call_later) instead of checking in a loop.")
    loop = minloop.new_event_loop(clock=VirtualClock())
    loop._tracer = tracer
    try:
        return loop.run_until_complete(loop.create_task(coro))
    finally:
        loop._tracer = None
        minloop.runners._clean_up(loop)
        loop.close()
''')

code(r'''
async def ex1_scenarios():
    out = {}
    async def work(d, value="done"):
        await minloop.sleep(d)
        return value
    with learner_code("with_deadline(2, quick work)"):
        out["quick"] = (await with_deadline(2, lambda: work(1)), now())
    try:
        await minloop.sleep(5)
        out["after quick"] = minloop.current_task().cancelling(), now()
    except minloop.CancelledError:            # the learner's timer fired after all
        out["after quick"] = "cancelled", now()
        minloop.current_task().uncancel()
    with learner_code("with_deadline(1, slow work)", hints={
            minloop.CancelledError: "CancelledError is not an Exception: an `except "
            "Exception` does not see it. Catch minloop.CancelledError."}):
        try:
            out["slow"] = await with_deadline(1, lambda: work(10))
        except TimeoutError as exc:
            out["slow"] = ("TimeoutError", now(), type(exc.__cause__).__name__,
                           minloop.current_task().cancelling())
    return out
''')

code(r'''
async def ex1_outside():
    t = minloop.create_task(with_deadline(5, lambda: minloop.sleep(10)))
    await minloop.sleep(1)
    t.cancel()
    try:
        await t
        return "returned", t.cancelling()
    except TimeoutError:
        return "TimeoutError", t.cancelling()
    except minloop.CancelledError:
        return "CancelledError", t.cancelling()

async def ex1_nested():
    async def inner_then_wait():
        try:
            await with_deadline(1, lambda: minloop.sleep(10))
        except TimeoutError:
            pass
        await minloop.sleep(10)
    try:
        await with_deadline(3, inner_then_wait)
        return "returned", now()
    except TimeoutError:
        return "TimeoutError", now()
    except minloop.CancelledError:
        return "CancelledError", now()
''')

check(r'''
r = bounded_vrun(ex1_scenarios())
check_equal(r["quick"], ("done", "1"), "with_deadline(2, work that takes 1 s): (result, time)",
            "return what `await work()` returns, as soon as it returns.")
check(r["after quick"] == (0, "6"), "After the quick work returned, the Task was cancelled "
      "later anyway: cancel the timer (timer.cancel()) once the work is done.")
check(r["slow"] is not None, "with_deadline(1, work that takes 10 s) returned None: the "
      "CancelledError was swallowed (an `except ...: pass` or a return in the handler). "
      "Raise TimeoutError from it.")
check(isinstance(r["slow"], tuple) and r["slow"][0] == "TimeoutError",
      f"with_deadline(1, slow work) should raise TimeoutError, but returned {r['slow']!r}: "
      "the CancelledError was swallowed.")
check_equal(r["slow"][1], "7", "the time the TimeoutError came (the work started at t=6)", "cancel at the deadline "
            "with call_later(delay, ...).")
check(r["slow"][2] == "CancelledError", "The TimeoutError must be chained from the "
      "CancelledError: `raise TimeoutError from exc`.")
check(r["slow"][3] == 0, "After the TimeoutError the Task still has a cancel request "
      f"pending (cancelling() = {r['slow'][3]}): you forgot uncancel().")
outside = bounded_vrun(ex1_outside())
check(outside[0] != "TimeoutError", "A cancel() from outside came out as TimeoutError: only "
      "the cancellation your timer made is yours. Check that your timer fired.")
check(outside == ("CancelledError", 1), f"Cancelled from outside, with_deadline gave "
      f"{outside!r}: it must let the CancelledError through and leave the request counted "
      "(cancelling() == 1). Do not swallow it; uncancel() only after your own timer fired.")
nested = bounded_vrun(ex1_nested())
check(nested == ("TimeoutError", "3"), f"Nested: the outer deadline (3 s) gave {nested!r} "
      "instead of TimeoutError at t=3: the inner one left its cancel request behind. "
      "You forgot uncancel(), so the outer one took the cancellation for someone else's.")
passed("Exercise 1")
''')

md(r'''
### Exercise 2: all or nothing

Write `all_or_nothing(*coros)`, a toy TaskGroup as a function. It runs each coroutine as a
Task and returns their results *in argument order*. If any fails, it cancels the others,
**waits until they have finished** (their `finally` blocks may take time), and raises an
`ExceptionGroup("all_or_nothing", errors)` of every error, in argument order. The check tests
results and their order, the group (not just the first error), the cancelled siblings (and
that they were awaited), and two errors at once.
''')

code(r'''
async def all_or_nothing(*coros):
    tasks = [minloop.create_task(c) for c in coros]
    ### BEGIN SOLUTION
    done, pending = await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
    for t in pending:
        t.cancel()
    if pending:
        await minloop.wait(pending)
    errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
    if errors:
        raise ExceptionGroup("all_or_nothing", errors)
    return [t.result() for t in tasks]
    ### END SOLUTION
''')

code(r'''
async def ex2_job(log, name, delay, error=None):
    try:
        await minloop.sleep(delay)
    except minloop.CancelledError:
        await minloop.sleep(0.5)               # clean-up that takes time
        log.append((name, "cleaned up", now()))
        raise
    if error:
        raise error
    log.append((name, "finished", now()))
    return name

async def ex2_run(*jobs):
    log = []
    with learner_code("all_or_nothing(...)", hints={
            (ValueError, KeyError, OSError): "raise an ExceptionGroup of the errors, not "
            "the first exception itself."}):
        try:
            result = await all_or_nothing(*(ex2_job(log, *j) for j in jobs))
        except ExceptionGroup as eg:
            return eg, log, now()
    return result, log, now()
''')

check(r'''
ok, log, t = bounded_vrun(ex2_run(("a", 2), ("b", 1), ("c", 3)))
check_equal(ok, ["a", "b", "c"], "all_or_nothing(a after 2 s, b after 1 s, c after 3 s)",
            "results in argument order, not in the order the Tasks finished.")
eg, log, t = bounded_vrun(ex2_run(("slow", 5), ("bad", 1, ValueError("bad")),
                                  ("later", 3)))
check(not isinstance(eg, list), "A job raised ValueError, but all_or_nothing returned "
      f"{eg!r}: it must raise an ExceptionGroup.")
check(isinstance(eg, ExceptionGroup), "Raise an ExceptionGroup of the errors, not the first "
      "exception itself.")
check(("slow", "finished", "5") not in log and ("later", "finished", "3") not in log,
      "The other jobs ran on to the end after the error: cancel the siblings.")
check(t == "1.5" and ("slow", "cleaned up", "1.5") in log, "all_or_nothing returned at "
      f"t={t} before the cancelled jobs had finished cleaning up: wait for the cancelled "
      "siblings (await them, e.g. with minloop.wait) before raising.")
check_equal([repr(e) for e in eg.exceptions], ["ValueError('bad')"], "the group's errors")
eg2, log, t = bounded_vrun(ex2_run(("x", 1, KeyError("x")), ("y", 1, OSError("y")), ("z", 4)))
check(isinstance(eg2, ExceptionGroup) and [type(e) for e in eg2.exceptions] == [KeyError, OSError],
      f"Two jobs failed at t=1; the group should hold both, in argument order, got "
      f"{eg2!r}: raise the group of every error, not the first exception.")
passed("Exercise 2")
''')

md(r'''
### Exercise 3: retry, but never swallow a cancellation

Write `retry(op, attempts, delay)`: it awaits `op()` and returns its result; if `op()` raises
an ordinary exception, it sleeps `delay` seconds and tries again, at most `attempts` times in
all, then lets the last error out. A cancellation must *never* be retried: if the Task is
cancelled (during an attempt or during the pause), `retry` must stop at once and let the
`CancelledError` go on. The check counts the attempts, times the pauses, and cancels it.
''')

code(r'''
async def retry(op, attempts, delay):
    ### BEGIN SOLUTION
    for attempt in range(attempts):
        try:
            return await op()
        except Exception:                 # not CancelledError: that one goes on
            if attempt == attempts - 1:
                raise
        await minloop.sleep(delay)
    ### END SOLUTION
''')

code(r'''
def flaky(fail_times, log, duration=0.25):
    async def op():
        log.append(now())
        await minloop.sleep(duration)
        if len(log) <= fail_times:
            raise ConnectionError(f"attempt {len(log)}")
        return "ok"
    return op

async def ex3_run(fail_times, attempts, cancel_at=None):
    log = []
    t = minloop.create_task(retry(flaky(fail_times, log), attempts, 1))
    if cancel_at is not None:
        await minloop.sleep(cancel_at)
        t.cancel()
    try:
        return await t, log
    except minloop.CancelledError:
        return "cancelled", log, now()
    except NotImplementedError:
        raise
    except Exception as exc:
        return exc, log
''')

check(r'''
with learner_code("retry(op that fails twice, attempts=3, delay=1)"):
    r = bounded_vrun(ex3_run(2, 3))
check_equal(r[0], "ok", "retry(op that fails twice, attempts=3, delay=1)")
check_equal(r[1], ["0", "1.25", "2.5"], "the times op() was called",
            "sleep `delay` seconds between attempts, not before the first one.")
r = bounded_vrun(ex3_run(5, 3))
check(isinstance(r[0], ConnectionError), f"op() always fails: retry should raise its last "
      f"error, got {r[0]!r}.")
check_equal(len(r[1]), 3, "attempts made with attempts=3", "no more, no fewer.")
check_equal(str(r[0]), "attempt 3", "the error raised", "let the *last* error out.")
r = bounded_vrun(ex3_run(5, 3, cancel_at=0.1))
check(r[0] == "cancelled", "Cancelled during the first attempt, retry went on and "
      f"returned {r[0]!r}: the CancelledError was swallowed. Catch `Exception`, not "
      "`BaseException` (or a bare except), and never retry a CancelledError.")
check(r[1:] == (["0"], "0.1"), f"Cancelled at t=0.1, retry made the attempts {r[1]} and "
      f"stopped at t={r[2]}: a cancellation must not be retried, it must stop at once.")
r = bounded_vrun(ex3_run(5, 3, cancel_at=0.5))
check(r[0] == "cancelled" and r[2] == "0.5", "Cancelled during the pause between attempts, "
      "retry went on: do not catch the CancelledError of the sleep either.")
passed("Exercise 3")
''')

md(r'''
**Next:** chapter 11 runs real asyncio code on minloop, and measures minloop against asyncio
and uvloop.
''')


def main():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"codemirror_mode": {"name": "ipython", "version": 3},
                          "file_extension": ".py", "mimetype": "text/x-python",
                          "name": "python", "nbconvert_exporter": "python",
                          "pygments_lexer": "ipython3", "version": "3.11.7"},
    }
    number = 0
    for kind, text, tags, cell_id in CELLS:
        cell = (nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                else nbformat.v4.new_code_cell(text))
        if cell_id is None:                     # the next number; a cell added later keeps
            cell_id = f"ch10-{number:03d}"      # the ids of the others stable with its own
            number += 1                         # id (ch10-113b: after ch10-113)
        cell["id"] = cell_id
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.validate(nb)
    nbformat.write(nb, OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(nb.cells)} cells")


if __name__ == "__main__":
    main()
