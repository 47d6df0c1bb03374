"""Build notebooks/10_errors_cancellation.ipynb from the cells below (outputs empty: execute it afterwards).

    .venv/bin/python tools/build_10.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/10_errors_cancellation.ipynb
    .venv/bin/python tools/clean_outputs.py notebooks/10_errors_cancellation.ipynb

Cell ids: see tools/nbbuild.py.
"""

from nbbuild import Notebook

nb = Notebook("10_errors_cancellation", "ch10")
md, code, check = nb.md, nb.code, nb.check


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
import logging
import re
import threading
import time
import traceback

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
program carries on, and the error is only *logged*, and only when the Task object is freed,
that is when the last reference to it goes away. Here a list keeps the Task alive until `del`,
so the report comes a whole second after the failure. We catch the log with a custom exception
handler (section 4 explains it):
''')

code(r'''
async def fails():
    raise ValueError("lost")

async def forgetful():
    minloop.get_running_loop().set_exception_handler(lambda loop, ctx: print(
        f"t={now()}: handler got:", ctx["message"], repr(ctx["exception"])))
    kept = [minloop.create_task(fails())]  # started, kept, never awaited
    await minloop.sleep(1)
    print("main carries on at t =", now())
    del kept                              # the last reference goes: only now is it reported
    print("main ends")

vrun(forgetful())
''')

md(r'''
Without the list nothing would refer to the finished Task: it would be freed (by reference
counting) right after its failing step, and reported at once. In a real program something often
keeps it: a set of background Tasks, a closure, a traceback, a reference cycle (freed only when
the garbage collector runs).

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
def hierarchy():
    "{exception class: its parent class}, for the classes below and their ancestors."
    names = ["CancelledError", "InvalidStateError", "TimeoutError", "IncompleteReadError",
             "LimitOverrunError", "BrokenBarrierError", "SendfileNotAvailableError"]
    classes = [getattr(minloop, n) for n in names] + [KeyboardInterrupt, SystemExit]
    nodes = {}                                     # class -> parent class
    for cls in classes:
        for child, parent in zip(cls.__mro__, cls.__mro__[1:-1]):
            nodes[child] = parent
    return nodes

for child, parent in hierarchy().items():
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

fig = plot_hierarchy(hierarchy())
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
message. The Task was suspended on a Future (the sleep's): the first `cancel()` cancelled that
Future, with its message, and the second found nothing more to cancel, so it only counted. A
Task that has not started yet is different: there each `cancel()` replaces the message, and the
body never runs, so `t.cancel("first"); t.cancel("second")` right after `create_task` ends it
with `CancelledError('second')` (asyncio does the same). Who calls `uncancel()`? Whoever
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
message of section 1, and why it came at `del kept`: it is reported when the object dies
(its last reference goes, or the garbage collector frees the cycle it is in), which may be
much later than the failure, or (at interpreter exit) never.
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
A toy TaskGroup needs only a done-callback per child: take the child off the set of running
ones, remember its error, and on the first error cancel the rest. `__aexit__` then waits until
that set is empty (the last `_done` completes the `all_done` Future). (The real one also
cancels the parent Task, handles the parent's own cancellation, and KeyboardInterrupt.)
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
complete it, and the two Tasks that could are the two that wait. The same tree, drawn (the
grey box is the gather's own Future, a Future others wait through, which completes when its
children do; the legend names only the kinds of box this picture has):
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
Each Future at the bottom of a branch gets a note, and so does anything with a timer of its
own on the way down. `Future#2` is not at the bottom: it is `wait_for`'s own waiter, completed
when `inner` finishes, and its note is `wait_for`'s 5 s timeout (a timer at t=5 will call
`_release_waiter`), which would complete it first if `inner` took longer. Task `main`'s note is
the `timeout(10)` around its `await`: a timer that will cancel it.

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
`CancelledError`). Build it from `call_later`, `cancel` and `uncancel`: `minloop.timeout` and
`wait_for` are what you are rebuilding, and the check hides them while it runs.

What the check tests, each with its own deadline: the result when the work is quick; the
timer cancelled however the work ends (an ordinary error raised by `work()` comes out
unchanged, and nothing cancels the Task later); `TimeoutError` exactly at the deadline; a
cancellation *from outside* coming out as `CancelledError` (not `TimeoutError`), also when it
comes after your deadline fired, while the work is still cleaning up; the work never left
running after `with_deadline` is over; a `with_deadline` inside another one; and one used in
the clean-up of a Task that is already being cancelled (`cancelling()` is 1 there before you
start). Like `minloop.timeout`, once your timer has fired take your request back with
`uncancel()` however the work ends, even when `work()` catches the cancellation and returns.
Running the work in a Task of its own (cancel that Task at the deadline, wait for it) is
accepted too, if the rules above hold.
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
        if fired and task.cancelling() <= before + 1:   # only ours: it becomes a TimeoutError
            raise TimeoutError from exc
        raise
    finally:
        timer.cancel()
        if fired:
            task.uncancel()          # take our request back, however work() ended
    ### END SOLUTION
''')

md(r'''
The checks run every scenario on virtual time, with a bound on the number of loop turns: an
answer that polls with `sleep(0)` would turn the loop for ever, and a short sleep (0.01 s) turns
it hundreds of times; the bound stops both with a message instead of a hang. An answer that
polls with a longer sleep turns the loop less, but wakes late: the checks' times are not round
numbers (a deadline of 1.3345 s, a failure at t=1.37), so no poll period lands on them and the
checks see the lateness. A callback of yours that raises (the loop would only log it) is
reported too, and whatever is left running is cancelled.

(Why not `task.cancel()` and `task.uncancel()` together in `fire()`, so the count is never
off? On 3.11 it mostly works, but `cancelling()` then reads 0 during the work's clean-up,
though the Task *is* being cancelled (code there that asks cannot tell), and 3.13's `uncancel()` also clears a cancel still pending when the count comes back to 0: a Task
that was about to resume never sees it. Take the request back after the work is over.)
''')

code(r'''
class Busy(Exception):
    "The loop turned more times than a check allows."

def iteration_bound(max_iterations):
    "A loop tracer (chapter 03) that raises Busy on turn max_iterations + 1."
    count = 0
    def tracer(phase, loop, **info):
        nonlocal count
        count += phase == "purge"
        if count > max_iterations:
            raise Busy
    return tracer
''')

code(r'''
def callback_failed(exc):
    "A CheckFailed for an exception a callback raised (the loop would only have logged it)."
    hint = {}
    if isinstance(exc, AttributeError) and "NoneType" in str(exc):
        hint = {AttributeError: "a callback runs outside every Task, so current_task() is None "
                "there: take the Task before (task = minloop.current_task()) and use that."}
    elif isinstance(exc, TypeError) and "not callable" in str(exc):
        hint = {TypeError: "call_later(delay, f) calls f later: pass the function "
                "(task.cancel), do not call it (task.cancel() cancels at once)."}
    elif isinstance(exc, minloop.CancelledError):
        hint = {minloop.CancelledError: "t.exception() and t.result() of a cancelled Task "
                "raise CancelledError: test t.cancelled() first."}
    with learner_code("a callback the loop ran (a timer or a done-callback of yours)", hint):
        raise exc
''', id="ch10-061b")

code(r'''
def bounded_vrun(coro, max_iterations=100):
    """vrun(coro) for a check: CheckFailed if the loop turns max_iterations times (busy
    polling) or a callback raised; what is left running is cancelled, quietly."""
    loop, logged = minloop.new_event_loop(clock=VirtualClock()), []
    loop.set_exception_handler(lambda loop, context: logged.append(context))
    loop._tracer = iteration_bound(max_iterations)
    try:
        result, error = loop.run_until_complete(loop.create_task(coro)), None
    except (Exception, minloop.CancelledError) as exc:     # CheckFailed or Busy
        result, error = None, exc
    failed = [c["exception"] for c in logged if "handle" in c and "exception" in c]
    close_quietly(loop, max_iterations)
    if failed:
        callback_failed(failed[0])
    if isinstance(error, Busy):
        raise CheckFailed(f"the loop turned {max_iterations} times in one short scenario: "
                          "busy polling? A loop around sleep(0) or a short sleep checks again "
                          "and again; wait on a Future or a timer (call_later) instead.")
    if error is not None:
        raise error
    return result
''', id="ch10-061c")

code(r'''
def close_quietly(loop, max_iterations):
    "Cancel what is left and close the loop; what that logs stays in the check's handler."
    loop._tracer = iteration_bound(max_iterations)     # the clean-up has a bound too
    try:
        minloop.runners._clean_up(loop)
    except Busy:
        pass
    loop._tracer = None
    loop.close()
''', id="ch10-061d")

code(r'''
async def outcome(aw):
    "What awaiting aw did: ('returned', value, time) or ('raised', exception, time)."
    try:
        return "returned", await aw, now()
    except CheckFailed:
        raise
    except (Exception, minloop.CancelledError, BaseExceptionGroup) as exc:
        return "raised", exc, now()


def unexpected(what, out, expected=(), hints=None):
    "If out raised an exception not `expected`: the CheckFailed learner_code makes of it."
    if out[0] == "raised" and not isinstance(out[1], expected):
        with learner_code(what, hints):
            raise out[1]
''', id="ch10-061e")

code(r'''
def raised(out, exc_type):
    "Did out raise an exc_type?"
    return out[0] == "raised" and isinstance(out[1], exc_type)


def kind(out):
    "'returned 'done' at t=2', 'raised TimeoutError at t=1.3', ... for a message."
    what = repr(out[1]) if out[0] == "returned" or str(out[1]) else type(out[1]).__name__
    return f"{out[0]} {what} at t={out[2]}"


def forgot_await(out, what, call):
    "A CheckFailed if the learner's function returned a coroutine (closed: no warning)."
    if out[0] == "returned" and asyncio.iscoroutine(out[1]):
        out[1].close()
        raise CheckFailed(f"{what} returned a coroutine object, not its result: you forgot "
                          f"to await {call}.")
''', id="ch10-061f")

code(r'''
def ex1_work(log, duration, value="done", error=None, cleanup=0):
    "A work() for with_deadline that takes `duration` s and logs how it ended."
    async def work():
        try:
            await minloop.sleep(duration)
        except minloop.CancelledError:
            if cleanup:
                await minloop.sleep(cleanup)      # a clean-up that takes time
            log.append(("cancelled", now()))
            raise
        if error:
            raise error
        log.append(("finished", now()))
        return value
    return work
''')

code(r'''
NOT_YOURS = {AttributeError: "is it a current_task() that gave None? Use minloop.current_task() "
             "and minloop.get_running_loop(): asyncio's do not see minloop's Tasks."}

async def ex1_alone(delay, work, start=0):
    """with_deadline(delay, work) called at t=start, then 5 s more: (outcome, when the Task
    was cancelled later if it was, cancelling())."""
    await minloop.sleep(start)
    out = await outcome(with_deadline(delay, work))
    late = await outcome(minloop.sleep(5))
    cancelling = minloop.current_task().cancelling()
    return out, (late[2] if late[0] == "raised" else None), cancelling
''', id="ch10-062b")

code(r'''
async def ex1_cancelled(when, delay, work, log):
    """with_deadline(delay, work) in a Task cancelled from outside at t=when: (outcome,
    cancelling(), the work's log when with_deadline was over, the log 20 s later)."""
    async def call():
        out = await outcome(with_deadline(delay, work))
        return out, minloop.current_task().cancelling(), list(log)
    t = minloop.create_task(call())
    await minloop.sleep(when)
    t.cancel()
    out, cancelling, log_then = await t
    await minloop.sleep(20)
    return out, cancelling, log_then, log
''', id="ch10-062c")

code(r'''
async def ex1_nested():
    "with_deadline(3.4567, ...) around a with_deadline(1.2345, ...) that times out."
    async def inner_then_wait():
        await outcome(with_deadline(1.2345, lambda: minloop.sleep(10)))
        await minloop.sleep(10)
    return await outcome(with_deadline(3.4567, inner_then_wait))

async def ex1_swallower():
    "A work() that catches its cancellation and returns 'late'."
    try:
        await minloop.sleep(10)
    except minloop.CancelledError:
        pass
    return "late"

async def ex1_in_cleanup():
    "with_deadline(1.5, ...) in the clean-up of a Task cancelled at t=1 (cancelling() is 1)."
    async def body():
        try:
            await minloop.sleep(10)
        except minloop.CancelledError:
            return await outcome(with_deadline(1.5, lambda: minloop.sleep(5)))
    t = minloop.create_task(body())
    await minloop.sleep(1)
    t.cancel()
    return await t
''')

code(r'''
def refuse(name):
    def ready_made(*args, **kwargs):
        raise CheckFailed(f"with_deadline called minloop.{name}(): the exercise is to build "
                          "it yourself from call_later, cancel and uncancel.")
    return ready_made

def ex1_run(coro):
    "bounded_vrun(coro) with minloop.timeout, timeout_at and wait_for hidden."
    saved = {name: getattr(minloop, name) for name in ("timeout", "timeout_at", "wait_for")}
    try:
        for name in saved:
            setattr(minloop, name, refuse(name))
        return bounded_vrun(coro)
    finally:
        for name, fn in saved.items():
            setattr(minloop, name, fn)
''', id="ch10-063b")

check(r'''
log = []                                         # the work's own log: how and when it ended
out, late, cancelling = ex1_run(ex1_alone(2.5, ex1_work(log, 1.25)))
forgot_await(out, "with_deadline(2.5, work of 1.25 s)", "work()")
check(not raised(out, TimeoutError) or out[2] != "0", "with_deadline(2.5, work of "
      "1.25 s) raised TimeoutError at once (t=0): the Task was cancelled straight away. Pass "
      "the function to call_later (task.cancel, or your fire), do not call it.")
unexpected("with_deadline(2.5, work of 1.25 s)", out, hints=NOT_YOURS)
check(out[:2] != ("returned", "done") or float(out[2]) <= 1.25, f"with_deadline(2.5, work of "
      f"1.25 s) returned 'done' at t={out[2]}, late: the work returned at t=1.25. Await work() "
      "itself (or its Task), do not check now and then whether it is done (polling wakes late).")
check_equal(out[1:], ("done", "1.25"), "with_deadline(2.5, work of 1.25 s): (result, time)",
            "return what `await work()` returns, as soon as it returns.")
check(late is None and cancelling == 0, f"After the quick work returned, the Task was "
      f"cancelled anyway at t={late}: cancel the timer (timer.cancel()) once the work is done.")

error = ValueError("work failed")
out, late, cancelling = ex1_run(ex1_alone(1.5, ex1_work(log, 0.75, error=error)))
check(out[0] == "raised" and out[1] is error, f"work() raised ValueError at t=0.75, but "
      f"with_deadline(1.5, work) {kind(out)}: let the work's own errors out unchanged "
      "(catch only CancelledError).")
check(late is None, f"work() raised ValueError at t=0.75 and with_deadline let it out, but "
      f"the Task was cancelled at t={late} anyway: the timer was not cancelled when work() "
      "raised. Cancel it in a `finally:` block, which runs however the work ends.")

log = []
what = "with_deadline(1.3345, work of 10 s whose clean-up takes 0.25 s), called at t=0.5,"
out, late, cancelling = ex1_run(ex1_alone(1.3345, ex1_work(log, 10, cleanup=0.25), start=0.5))
check(out[:2] != ("returned", None), f"{what} returned None: the CancelledError was swallowed "
      "(an `except ...: pass` or a return in the handler). Raise TimeoutError from it.")
check(not raised(out, minloop.CancelledError), f"{what} let the CancelledError of its own "
      "deadline out, not a TimeoutError. " + (
      "Your uncancel() brought cancelling() back to its value on entry, so the cancellation "
      "was yours: test `uncancel() <= before` (not `<`) and raise TimeoutError from it."
      if cancelling == 0 else "CancelledError is not an Exception (an `except Exception` does "
      "not see it): catch minloop.CancelledError and raise TimeoutError from it."))
unexpected(what, out, TimeoutError, NOT_YOURS)
check(raised(out, TimeoutError), f"{what} should raise TimeoutError, but {kind(out)}: nothing "
      "cancelled the work at the deadline, or the CancelledError was swallowed.")
check(out[2] not in ("1.3345", "1.5845"), f"{what} raised TimeoutError at t={out[2]}: `delay` "
      "counts from the call. Use call_later(delay, ...), not call_at(delay, ...).")
check(float(out[2]) >= 2.0845, f"{what} raised TimeoutError at t={out[2]}, before the "
      f"work finished its clean-up (t=2.0845; the work's log then: {log}): cancel the work and "
      "wait for it to end (await it) before raising.")
check(float(out[2]) <= 2.0845, f"{what} raised TimeoutError at t={out[2]}, late: the deadline "
      "was t=1.8345 and the clean-up ended at t=2.0845. Cancel at the deadline with "
      "call_later(delay, ...), not by looking at the clock now and then (polling wakes late).")
check_equal(out[2], "2.0845", f"the time the TimeoutError came ({what} deadline at t=1.8345, "
            "then the clean-up)")
check(type(out[1].__cause__) is minloop.CancelledError, "The TimeoutError must be chained "
      "from the CancelledError: `raise TimeoutError from exc`.")
check(cancelling == 0, "After the TimeoutError the Task still has a cancel request pending "
      f"(cancelling() = {cancelling}): you forgot uncancel().")
check(log == [("cancelled", "2.0845")], f"with_deadline raised TimeoutError, but the work was "
      f"not over then (its log: {log}): cancel the work and wait for it before raising.")

log = []
out, cancelling, log_then, log = ex1_run(ex1_cancelled(1.3, 5, ex1_work(log, 10), log))
check(not raised(out, TimeoutError), "A cancel() from outside "
      "came out as TimeoutError: only the cancellation your timer made is yours. Check that "
      "your timer fired.")
check(raised(out, minloop.CancelledError), f"Cancelled from "
      f"outside at t=1.3, with_deadline {kind(out)}: the CancelledError was swallowed. Let it "
      "through; uncancel() only after your own timer fired.")
check(cancelling == 1, f"Cancelled from outside, with_deadline left cancelling() = "
      f"{cancelling}, not 1: the request is not yours, do not uncancel() it.")
check(log_then == [("cancelled", "1.3")], f"Cancelled from outside at t=1.3, with_deadline let "
      f"the CancelledError out at t={out[2]}, but its work was not over then (the work's log "
      f"then: {log_then}, later: {log}): the work must not outlive the call. Await work() in "
      "the same Task, or cancel the work's Task and wait for it.")

out = ex1_run(ex1_nested())
check(not (raised(out, TimeoutError) and float(out[2]) > 3.4567), f"Nested: the outer deadline "
      f"(3.4567 s) raised TimeoutError at t={out[2]}, late: wake at the deadline with "
      "call_later(delay, ...), not by looking at the clock now and then (polling wakes late).")
check(raised(out, TimeoutError) and out[2] == "3.4567", f"Nested: the outer deadline "
      f"(3.4567 s) {kind(out)} instead of raising TimeoutError at t=3.4567: it took its own "
      "cancellation for someone else's. Either the inner one (1.2345 s) left its cancel "
      "request behind (you forgot uncancel()), or you tell yours by comparing the clock with "
      "the deadline (float times are not exact: 3.4566999... < 3.4567): note that your timer "
      "fired in a flag instead.")

log = []
out, cancelling, log_then, log = ex1_run(ex1_cancelled(1.5, 1.25, ex1_work(log, 10, cleanup=0.5), log))
check(not (raised(out, TimeoutError) and out[2] == "1.25"), "Your deadline fired at t=1.25 and "
      "with_deadline raised TimeoutError at once, at t=1.25, before the work finished its "
      "clean-up (it takes 0.5 s): cancel the work and wait for it to end before raising.")
check(not raised(out, TimeoutError), "Your deadline fired at "
      "t=1.25; while the work was cleaning up, the Task was cancelled from outside (t=1.5), and "
      "with_deadline raised TimeoutError: that cancel is not yours. Compare the count: "
      "uncancel() must bring cancelling() back to its value on entry (before), else raise "
      "the CancelledError.")
check(not (raised(out, minloop.CancelledError) and cancelling == 2), "Your deadline fired at "
      "t=1.25, then the Task was cancelled from outside (t=1.5): with_deadline let the "
      "CancelledError out (right), but left cancelling() = 2: your own request was never "
      "taken back. Whenever your timer fired, call uncancel() once (the outside one stays).")
check(raised(out, minloop.CancelledError) and cancelling == 1, f"Deadline fired, "
      f"then a cancel from outside: with_deadline {kind(out)}, cancelling() = {cancelling}; "
      "expected CancelledError and cancelling() == 1.")

log = []
out, cancelling, log_then, log = ex1_run(ex1_cancelled(0.9, 1.25, ex1_work(log, 10, cleanup=0.5), log))
check(not raised(out, TimeoutError), f"The Task was cancelled from outside at t=0.9; during the "
      f"work's clean-up your deadline fired too (t=1.25), and with_deadline {kind(out)}: that "
      "first cancel is not yours. Take the count on entry (before = task.cancelling() when "
      "with_deadline starts, not when the timer fires) and compare with it.")
check(raised(out, minloop.CancelledError) and cancelling == 1, f"Cancelled from outside at t=0.9, "
      f"then your deadline fired (t=1.25): with_deadline {kind(out)}, cancelling() = "
      f"{cancelling}; expected CancelledError and cancelling() == 1 (the outside request).")

out = ex1_run(ex1_in_cleanup())
check(not raised(out, minloop.CancelledError), f"with_deadline(1.5, ...) inside the clean-up of "
      f"a cancelled Task (cancelling() was already 1 on entry) {kind(out)}, not TimeoutError: "
      "its own deadline fired, but it took the cancellation for someone else's. Compare what "
      "uncancel() returns with the count on entry (before = task.cancelling()), not with 0.")
check(raised(out, TimeoutError) and out[2] == "2.5", f"with_deadline(1.5, ...) inside the "
      f"clean-up of a Task cancelled at t=1 {kind(out)}, not TimeoutError at t=2.5.")

out, late, cancelling = ex1_run(ex1_alone(1.2, ex1_swallower))
check(out[:2] == ("returned", "late"), f"with_deadline(1.2, work that catches the cancellation "
      f"and returns 'late') {kind(out)}: the work ended normally, so return its result.")
check(cancelling == 0, "with_deadline(1.2, work that catches the cancellation and returns "
      f"'late') returned 'late' but left cancelling() = {cancelling}: your timer fired, so take "
      "your request back (uncancel()) however the work ends, in `finally:`, as minloop.timeout "
      "does, not only when a CancelledError comes out.")
passed("Exercise 1")
''')

md(r'''
### Exercise 2: all or nothing

Write `all_or_nothing(*coros)`, a toy TaskGroup as a function. It runs each coroutine as a
Task and returns their results *in argument order* (`[]` for no coroutines). If any fails, it
cancels the others, **waits until they have finished** (their `finally` blocks may take time),
and raises an `ExceptionGroup("all_or_nothing", errors)` of every job's error, in argument
order: a cancelled job whose clean-up raises counts too, a job that was only cancelled does
not. And like a TaskGroup it owns its Tasks: if the *caller* is cancelled, it cancels them
all, waits for them (even if it is cancelled again while it waits), and then lets the
`CancelledError` go on; no Task outlives the call. (If a job had failed too, raising the group
instead, as 3.11's TaskGroup does, is accepted.)

The check tests results and their order, the group (not just the first error), the siblings
cancelled as soon as a job fails (and awaited: each job's clean-up takes its own time), jobs
that all fail at once, errors in argument order when they happen in another order, and a
caller cancelled while the jobs run, once after a job failed, and twice.
''')

code(r'''
async def all_or_nothing(*coros):
    tasks = [minloop.create_task(c) for c in coros]
    ### BEGIN SOLUTION
    cancelled = None
    try:
        if tasks:
            await minloop.wait(tasks, return_when=minloop.FIRST_EXCEPTION)
    except minloop.CancelledError as exc:
        cancelled = exc          # the caller was cancelled: stop the jobs, then go on
    for t in tasks:
        t.cancel()               # (does nothing to a Task that is done)
    while not all(t.done() for t in tasks):
        try:                     # wait for them, even if cancelled (again) meanwhile
            await minloop.wait(tasks)
        except minloop.CancelledError as exc:
            cancelled = exc
    if cancelled:
        raise cancelled
    errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
    if errors:
        raise ExceptionGroup("all_or_nothing", errors)
    return [t.result() for t in tasks]
    ### END SOLUTION
''')

code(r'''
async def ex2_job(log, name, delay, error=None, cleanup_error=None, cleanup=0.5):
    "A job: sleeps `delay` s, then fails with `error` or returns its name; logs it all."
    try:
        await minloop.sleep(delay)
    except minloop.CancelledError:
        log.append((name, "cancelled", now()))
        await minloop.sleep(cleanup)           # clean-up that takes time
        log.append((name, "cleaned up", now()))
        if cleanup_error:
            raise cleanup_error
        raise
    if error:
        raise error
    log.append((name, "finished", now()))
    return name
''')

code(r'''
async def ex2_run(*jobs):
    "all_or_nothing(*jobs): (outcome, the jobs' log)."
    log = []
    out = await outcome(all_or_nothing(*(ex2_job(log, *j) for j in jobs)))
    return out, log

async def ex2_cancelled(when, *jobs, again=None):
    """all_or_nothing(*jobs) cancelled at t=when (and at t=again): (outcome, the log then,
    the log 20 s later)."""
    log = []
    async def call():
        return await outcome(all_or_nothing(*(ex2_job(log, *j) for j in jobs))), list(log)
    t = minloop.create_task(call())
    await minloop.sleep(when)
    t.cancel()
    if again is not None:
        await minloop.sleep(again - when)
        t.cancel()
    out, log_then = await t
    await minloop.sleep(20)
    return out, log_then, log
''', id="ch10-067b")

code(r'''
def cancelled_how(exc):
    "How a CancelledError nobody asked for came out: from t.exception()/t.result(), or an await."
    names = [f.f_code.co_name for f, _ in traceback.walk_tb(exc.__traceback__)]
    first = next((n for n in names if n in ("exception", "result", "__await__", "__next__",
                                            "__step")), "")
    if first not in ("exception", "result"):             # it came through an await
        return ("awaiting a cancelled Task raises CancelledError, and so does gather() of one "
                "(without return_exceptions=True): wait for them with minloop.wait(), or "
                "gather(..., return_exceptions=True).")
    return ("t.exception() and t.result() of a cancelled Task raise CancelledError. Test "
            "t.cancelled() first.")


def ex2_judge_raised(out, errors, log=()):
    "The mistakes that make all_or_nothing raise something else than an ExceptionGroup."
    exc = out[1] if out[0] == "raised" else None
    stopped = sorted({t for name, what, t in log if what == "cancelled"})
    check(errors or not stopped or not (exc is None or isinstance(exc, minloop.CancelledError)),
          f"No job failed, but all_or_nothing cancelled jobs at "
          f"t={', '.join(stopped)} (it {kind(out)}): it stopped at the first job to *finish*. "
          "Cancel the siblings only when a job *fails* (return_when=FIRST_EXCEPTION, not "
          "FIRST_COMPLETED).")
    check(not any(exc is e for e in errors), f"all_or_nothing raised the job's {exc!r} "
          "itself: raise an ExceptionGroup of the errors, not the first exception itself.")
    check(not isinstance(exc, BaseExceptionGroup) or isinstance(exc, ExceptionGroup),
          f"all_or_nothing raised {exc!r}, whose errors include CancelledError: those are the "
          "cancelled siblings, not errors. Put only the failed jobs' exceptions in the group "
          "(skip the Tasks with t.cancelled()).")
    check(not isinstance(exc, minloop.CancelledError), "all_or_nothing raised CancelledError, "
          "though nobody cancelled it: it came from a cancelled sibling. "
          + (cancelled_how(exc) if exc is not None else ""))
    check(not isinstance(exc, minloop.InvalidStateError), f"all_or_nothing raised {exc!r}: it "
          "asked a Task that was not done yet for its exception or result, before the "
          "cancelled jobs had finished cleaning up (each takes its own time). Wait for the "
          "Tasks themselves (minloop.wait), not for a guessed time.")
    check(not (isinstance(exc, (TypeError, ValueError)) and "not an exception" in str(exc)),
          f"ExceptionGroup(...) refused its list ({exc}): pass the exceptions "
          "(t.exception() of each failed Task), not the Tasks or their results.")
    check(not (isinstance(exc, ValueError) and "empty" in str(exc)), f"all_or_nothing raised "
          f"ValueError: {exc}: every job had failed, so nothing was left to wait for, and "
          "minloop.wait() refuses an empty set. Do not call it with nothing pending.")
    if not isinstance(exc, ExceptionGroup):
        unexpected("all_or_nothing(...)", out)
''', id="ch10-067c")

check(r'''
what = "all_or_nothing(a after 2.23 s, b after 0.71 s, c after 3.47 s)"
out, log = bounded_vrun(ex2_run(("a", 2.23), ("b", 0.71), ("c", 3.47)))
ex2_judge_raised(out, [], log)
unexpected(what, out)
check(out[1] != ["b", "a", "c"], f"{what} returned {out[1]}: results in argument order, not in "
      "the order the Tasks finished.")
check_equal(out[1], ["a", "b", "c"], f"{what}: the results", "every result, in argument order.")
check(float(out[2]) <= 3.47, f"{what} returned at t={out[2]}, late: the last job finished at "
      "t=3.47. Wait on the Tasks themselves (minloop.wait, gather, done-callbacks), not by "
      "checking now and then (polling wakes late).")
check_equal(out[2], "3.47", f"the time {what} returned")

bad = ValueError("bad")
out, log = bounded_vrun(ex2_run(("slow", 5, None, None, 0.61), ("bad", 1.37, bad),
                                ("later", 3, None, None, 0.29)))
check(out[0] == "raised", f"A job raised ValueError at t=1.37, but all_or_nothing {kind(out)}: "
      "it must raise an ExceptionGroup.")
ex2_judge_raised(out, [bad])
check(("slow", "finished", "5") not in log and ("later", "finished", "3") not in log,
      "The other jobs ran on to the end after the error: cancel the siblings.")
cancels = sorted({t for name, what, t in log if what == "cancelled"})
check(cancels == ["1.37"], f"The job failed at t=1.37, but its siblings were cancelled at "
      f"t={', '.join(cancels)}: notice the failure when it happens (minloop.wait with "
      "return_when=FIRST_EXCEPTION, or a done-callback), not by checking now and then.")
check(float(out[2]) >= 1.98 and ("slow", "cleaned up", "1.98") in log, f"all_or_nothing raised "
      f"at t={out[2]} before the cancelled jobs had finished cleaning up (slow's clean-up takes "
      "0.61 s: until t=1.98; later's 0.29 s): wait for the cancelled siblings themselves "
      "(minloop.wait), not for a guessed time, before raising.")
check_equal(out[2], "1.98", "the time the group came (slow's clean-up ended at t=1.98)",
            "raise as soon as the last sibling is done: wait on the Tasks, do not poll.")
check_equal([repr(e) for e in out[1].exceptions], ["ValueError('bad')"], "the group's errors")
check_equal(out[1].message, "all_or_nothing", "the group's message")

out, log = bounded_vrun(ex2_run(("p", 0.7, KeyError("p")), ("q", 0.7, OSError("q"))))
ex2_judge_raised(out, [])
check(raised(out, ExceptionGroup) and [type(e) for e in out[1].exceptions] == [KeyError, OSError],
      f"Both jobs failed at t=0.7; the group should hold both, in argument order, but "
      f"all_or_nothing {kind(out)} {getattr(out[1], 'exceptions', '')}: raise the group of "
      "every error, not the first exception.")

out, log = bounded_vrun(ex2_run(("x", 5, None, KeyError("x's clean-up")), ("y", 1.1, OSError("y"))))
ex2_judge_raised(out, [])
check(raised(out, ExceptionGroup), f"Two jobs failed, but all_or_nothing {kind(out)}: it must raise an "
      "ExceptionGroup.")
got = [type(e).__name__ for e in out[1].exceptions]
check(got != ["OSError", "KeyError"], "y failed at t=1.1; x, cancelled, failed in its "
      "clean-up at t=1.6. The group had them in the order they happened, [OSError, KeyError]: "
      "put them in argument order, [KeyError, OSError] (go through the Tasks in order).")
check(got == ["KeyError", "OSError"], f"y failed at t=1.1; x, cancelled, failed in its clean-up "
      f"at t=1.6. The group should hold both, [KeyError, OSError], got {got}: collect every "
      "error once all the Tasks are done, not only those of the first to fail.")

A, B = ("a", 10, None, None, 0.43), ("b", 10, None, None, 0.61)
out, log_then, log = bounded_vrun(ex2_cancelled(1.1, A, B))
check(raised(out, minloop.CancelledError), f"The caller was "
      f"cancelled at t=1.1, and all_or_nothing {kind(out)}: let the CancelledError go on.")
check(("a", "cleaned up", "1.53") in log_then and ("b", "cleaned up", "1.71") in log_then,
      f"The caller was cancelled at t=1.1 and all_or_nothing let the CancelledError out at "
      f"t={out[2]}, but its jobs were not over then (their log: {log_then}; 20 s later: "
      f"{log}): no Task may outlive the call. Cancel the jobs when you are cancelled (try/"
      "finally around the wait) and wait for them, like a TaskGroup.")
check_equal(out[2], "1.71", "the time the CancelledError came out (the last clean-up ended "
            "at t=1.71)")

out, log_then, log = bounded_vrun(ex2_cancelled(1.2, ("a", 10), ("bad", 1, ValueError("bad"))))
check(raised(out, (minloop.CancelledError, ExceptionGroup)), f"Job bad failed at t=1, the caller "
      f"was cancelled at t=1.2 while a was cleaning up, and all_or_nothing {kind(out)}: let "
      "the CancelledError go on (or raise the group).")
check(log_then == log, f"Job bad failed at t=1, and while a was still "
      f"cleaning up the caller was cancelled (t=1.2): all_or_nothing let the "
      f"{type(out[1]).__name__} out at t={out[2]}, but a was not over then (the log then: "
      f"{log_then}; 20 s later: {log}): no Task may outlive the call. A cancel can come while "
      "you wait for the cancelled siblings too: catch it there, remember it, and keep waiting "
      "(a loop, as TaskGroup.__aexit__ does), then raise it.")

out, log_then, log = bounded_vrun(ex2_cancelled(1.1, A, B, again=1.3))
check(raised(out, minloop.CancelledError), f"The caller was cancelled at t=1.1 and again at "
      f"t=1.3, and all_or_nothing {kind(out)}: let the CancelledError go on.")
check(log_then == log, f"The caller was cancelled at t=1.1, and again at t=1.3 while its jobs were cleaning up: "
      f"all_or_nothing let the CancelledError out at t={out[2]}, but its jobs were not over "
      f"then (their log: {log_then}; 20 s later: {log}): no Task may outlive the call. Catch "
      "a CancelledError that comes while you wait for the jobs, remember it, and keep waiting "
      "(a loop, as TaskGroup.__aexit__ does) until every job is done; then raise it.")

out, log = bounded_vrun(ex2_run())
check(not (raised(out, ValueError) and "empty" in str(out[1])), f"all_or_nothing() with no "
      f"coroutines raised ValueError: {out[1]}: minloop.wait() refuses an empty set. With no "
      "jobs there is nothing to wait for: return [] (a TaskGroup with no Tasks works too).")
unexpected("all_or_nothing() with no coroutines", out)
check_equal(out[:2], ("returned", []), "all_or_nothing() with no coroutines")
passed("Exercise 2")
''')

md(r'''
### Exercise 3: retry, but never swallow a cancellation

Write `retry(op, attempts, delay)`: it awaits `op()` and returns its result; if `op()` raises
an ordinary exception, it sleeps `delay` seconds and tries again, at most `attempts` times in
all, then lets the last error out at once (no pause after the last attempt). After a success
it returns at once: no more calls, no pause. A cancellation must *never* be retried: if the
Task is cancelled (during an attempt or during the pause), `retry` must stop at once and let
the `CancelledError` go on, with `op()` cancelled too. The check counts the attempts, times
them and the pauses (with a delay that is not a round number), and cancels it.
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
def flaky(fail_times, log, ends, duration=0.25):
    "An op() that takes `duration` s and fails its first `fail_times` calls; logs start, end."
    async def op():
        log.append(now())
        n = len(log)
        await minloop.sleep(duration)
        ends.append(now())
        if n <= fail_times:
            raise ConnectionError(f"attempt {n}")
        return "ok"
    return op

async def ex3_run(fail_times, attempts, delay=1.37, cancel_at=None):
    """retry(flaky op, attempts, delay), maybe cancelled at t=cancel_at: (outcome, when op()
    was called, when op() calls ended, by 5 s later)."""
    log, ends = [], []
    t = minloop.create_task(retry(flaky(fail_times, log, ends), attempts, delay))
    if cancel_at is not None:
        await minloop.sleep(cancel_at)
        t.cancel()
    out = await outcome(t)
    await minloop.sleep(5)
    return out, log, ends
''')

check(r'''
what = "retry(op that fails twice, attempts=3, delay=1.37)"
out, calls, ends = bounded_vrun(ex3_run(2, 3))
forgot_await(out, what, "op()")
check(not raised(out, ConnectionError), f"{what} raised "
      f"{out[1]!r} after {len(calls)} attempt(s): op() would have succeeded on attempt 3. "
      "Make `attempts` attempts in all (range(attempts)).")
unexpected(what, out)
check_equal(out[1], "ok", what)
check(calls != ["0", "0.25", "0.5"], f"op() was called at t={calls}: virtual time did not move "
      "during the pauses. A time.sleep() blocks the loop (and the clock), and "
      "minloop.sleep(delay) without `await` makes a coroutine that never runs: await "
      "minloop.sleep(delay).")
check(calls[:1] == ["0"], f"op() was called at t={calls}: the first attempt comes at once; "
      "sleep `delay` seconds between attempts, not before the first one.")
pauses = [round(float(b) - float(a) - 0.25, 6) for a, b in zip(calls, calls[1:])]
check(set(pauses) != {1}, "retry paused 1 s between attempts, not `delay` (1.37 s): use the "
      "argument.")
check(len(set(pauses)) <= 1, f"retry paused {', '.join(f'{x:g}' for x in pauses)} s between "
      "attempts: pause the same `delay` every time (no back-off: the exercise asks for `delay`).")
check(not pauses or pauses[0] <= 1.37, f"retry paused {pauses[0]:g} s between attempts, not "
      "1.37: it woke late. Sleep `delay` in one minloop.sleep(delay), do not poll the clock in "
      "small steps.")
check_equal(calls, ["0", "1.62", "3.24"], "the times op() was called (each call takes 0.25 s)",
            "one call at once, then one after each pause of `delay`.")
check_equal(out[2], "3.49", "the time retry returned (op's third call ended at t=3.49)")

what = "retry(op that fails once, attempts=3, delay=1.37)"
out, calls, ends = bounded_vrun(ex3_run(1, 3))
unexpected(what, out)
check(len(calls) == 2, f"{what} called op() {len(calls)} times (at t={calls}): op() succeeded "
      "on attempt 2, so stop there and return its result (return inside the loop).")
check_equal(out[:2], ("returned", "ok"), what)
check(out[2] == "1.87", f"{what} returned at t={out[2]}, though op()'s second call succeeded at "
      "t=1.87: do not pause after a success, return its result at once.")

out, calls, ends = bounded_vrun(ex3_run(5, 3))
check(raised(out, ConnectionError), f"op() always fails: retry "
      f"should raise its last error, but it {kind(out)}.")
check_equal(len(calls), 3, "attempts made with attempts=3", "no more, no fewer.")
check_equal(str(out[1]), "attempt 3", "the error raised", "let the *last* error out.")
check(out[2] != "4.86", "retry raised its last error at t=4.86, 1.37 s late: it paused after "
      "the last attempt too. Once the attempts are used up, raise at once.")
check_equal(out[2], "3.49", "the time the last error came out")
out, calls, ends = bounded_vrun(ex3_run(5, 1))
check(raised(out, ConnectionError) and str(out[1]) == "attempt 1" and out[2] == "0.25" and calls == ["0"],
      f"retry(op that always fails, attempts=1) made the attempts {calls} and {kind(out)}: "
      "one attempt, then its error at once (t=0.25).")

out, calls, ends = bounded_vrun(ex3_run(5, 3, cancel_at=0.1))
check(raised(out, minloop.CancelledError), f"Cancelled during "
      f"the first attempt, retry did not let the CancelledError out: it {kind(out)}. The "
      "CancelledError was swallowed: catch `Exception`, not `BaseException` (or a bare "
      "except), and never retry a CancelledError.")
check(not (calls == ["0"] and out[2] != "0.1"), f"Cancelled at t=0.1 during the first attempt, "
      f"retry let the CancelledError out only at t={out[2]}, after a pause: the pause ran while "
      "the cancellation was going out (a sleep in a `finally:` block?). Pause only after an "
      "ordinary error.")
check(calls == ["0"] and out[2] == "0.1", f"Cancelled at t=0.1, retry made the attempts "
      f"{calls} and stopped at t={out[2]}: a cancellation must not be retried, it must stop "
      "at once.")
check(ends == [], f"Cancelled at t=0.1, retry let the CancelledError out, but op() went on and "
      f"ended at t={', '.join(ends)}, after retry was over: op() was not cancelled (a "
      "minloop.shield() or a Task of its own?). Await op() directly, so the cancellation "
      "reaches it.")
out, calls, ends = bounded_vrun(ex3_run(5, 3, cancel_at=0.6))
check(raised(out, minloop.CancelledError) and out[2] == "0.6",
      f"Cancelled during the pause between attempts (t=0.6), retry went on: it {kind(out)}. "
      "Do not catch the CancelledError of the sleep either.")
passed("Exercise 3")
''')

md(r'''
**Next:** chapter 11 runs real asyncio code on minloop, and measures minloop against asyncio
and uvloop.
''')


if __name__ == "__main__":
    nb.write()
