"""Build notebooks/09_subprocesses_threads.ipynb from the cells below (outputs empty: execute
it afterwards).

    .venv/bin/python tools/build_09.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/09_subprocesses_threads.ipynb
    .venv/bin/python tools/clean_outputs.py notebooks/09_subprocesses_threads.ipynb

Cell ids: see tools/nbbuild.py.
"""

from nbbuild import Notebook

nb = Notebook("09_subprocesses_threads", "ch09")
md, code, check = nb.md, nb.code, nb.check


# ============================================================================ the cells

md(r'''
# 09 · Subprocesses, pools and threads

Everything so far waited on sockets and timers. A program also waits on things that are not
sockets: another program (a child process), a blocking library call, a CPU-heavy function,
a signal from the operating system. The loop has only one way to wait: `select()` on file
descriptors, with a timeout. This chapter shows how each of those becomes a file descriptor
the loop can watch, or is pushed to a thread or a process that reports back through one.

**What you will learn**

- why `subprocess.run()` or `time.sleep()` in a coroutine freezes every other Task, and how
  `create_subprocess_exec` runs a child without blocking: its pipes are file descriptors in
  the selector, wrapped in transports and chapter 07's streams;
- how the loop learns that a child exited without a thread: a *pidfd*, then `waitpid`;
- `run_in_executor` and `to_thread`: a thread or a process pool, and a Future that comes back
  through the **self-pipe**; `call_soon_threadsafe` and signal handlers use the same pipe;
- the GIL: why a thread pool does not run Python code in parallel and a process pool does;
- minloop's `unix_events`, `base_subprocess`, `subprocess` and `threads` modules, beside
  CPython's.
''')

code(r'''
import asyncio
import concurrent.futures
import contextlib
import contextvars
import functools
import gc
import inspect
import linecache
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import matplotlib.pyplot as plt
import minloop
from minloop.tracing import Tracer, handle_name
from minloop.viz.checks import (CheckFailed, check, check_equal, expect_error,
                                learner_code, passed)
from minloop.viz.source import show_source

import ch09_work          # worker functions for the process pool (a module beside this notebook)

PY = sys.executable       # the Python running this kernel: our child processes run it too
PIPE = minloop.subprocess.PIPE
''')

md(r'''
Children and threads run in *real* time: a virtual clock cannot make another program finish
sooner. So this chapter runs its programs with `minloop.run(main())` on the real clock, and
keeps every wait to a fraction of a second. Outputs print comparisons and orders, never
seconds, so they are the same on every run.

## 1. The problem: a blocking call freezes the loop

A ticker Task prints a dot every 10 ms. Beside it, a coroutine runs a child process that
takes 0.2 s, first with `subprocess.run()`, the ordinary blocking call:
''')

code(r'''
CHILD_SLEEPS = [PY, "-c", "import time; time.sleep(0.2); print('child done')"]


async def count_ticks(job):
    "Run job() beside a Task that ticks every 10 ms; return how often it ticked."
    ticks = []
    async def ticker():
        while True:
            ticks.append(1)
            await minloop.sleep(0.01)
    t = minloop.ensure_future(ticker())
    await minloop.sleep(0)              # let it tick once
    await job()
    t.cancel()
    return len(ticks)
''')

code(r'''
async def blocking_child():
    subprocess.run(CHILD_SLEEPS, capture_output=True)     # blocks the whole thread


ticks = minloop.run(count_ticks(blocking_child))
print("ticks while subprocess.run waited 0.2 s:", ticks)
''')

md(r'''
One tick, the one before the call: for 0.2 s the loop did nothing, because
`subprocess.run` does not return to the loop while it waits. Every Task of the program (a
server's connections, say) would freeze the same way. The asyncio way:
''')

code(r'''
async def async_child():
    proc = await minloop.create_subprocess_exec(*CHILD_SLEEPS, stdout=PIPE)
    out, _ = await proc.communicate()


ticks = minloop.run(count_ticks(async_child))
print("ticks while the child ran:", "more than 5" if ticks > 5 else ticks)
''')

md(r'''
The ticker kept ticking while the child ran. The same holds for `time.sleep()` (use
`await minloop.sleep()`; in asyncio, `await asyncio.sleep()`), for a blocking library call
(use a thread: section 5), and for a long computation (use a process: section 6).

## 2. The seed's example: a shell command and `communicate()`

`create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE)` starts `/bin/sh -c cmd`; `PIPE` asks
for a pipe to read the child's output from. `communicate()` reads both to the end, waits for
the child to exit, and returns `(stdout, stderr)` as bytes. `proc.returncode` is the exit
status (negative: killed by that signal).
''')

code(r'''
async def test_subprocess(cmd):
    proc = await minloop.create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE)
    stdout, stderr = await proc.communicate()
    print(f"[exit {proc.returncode}]")
    if stdout:
        print(f"[stdout]\n{stdout.decode()}")
    if stderr:
        print(f"[stderr]\n{stderr.decode()}")


minloop.run(test_subprocess("printf 'line 1\\nline 2\\n'; printf 'oops\\n' >&2; exit 3"))
''')

md(r'''
`proc.stdout` and `proc.stderr` are chapter 07's `StreamReader`s, `proc.stdin` a
`StreamWriter`: you can also `await proc.stdout.readline()` line by line, or write to the
child and `await proc.stdin.drain()`. How does a *pipe* become a StreamReader? The same way a
socket did. Build it by hand first.

## 3. A quick version: a child's pipe and its exit, as two readers

A pipe is a file descriptor like a socket: `select()` says when it is readable, `os.read()`
returns bytes, and `b""` means the writer closed it (EOF). The loop's `add_reader` works on
it unchanged.

The child's *exit* needs a file descriptor too. Linux (5.3 and later) gives one:
`os.pidfd_open(pid)` returns a *pidfd*, which becomes readable when the child exits. Then
`os.waitpid(pid, 0)` collects its exit status at once. Until someone calls `waitpid`, an
exited child stays in the process table as a *zombie*.
''')

code(r'''
def toy_run(argv):
    "Run a child on a bare minloop loop, with add_reader only: return (stdout, returncode)."
    loop = minloop.new_event_loop()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE)
    out_fd, pidfd = proc.stdout.fileno(), os.pidfd_open(proc.pid)
    os.set_blocking(out_fd, False)
    chunks, state = [], {"eof": False, "code": None}
    done = loop.create_future()
    loop.add_reader(out_fd, toy_on_stdout, loop, out_fd, chunks, state, done)
    loop.add_reader(pidfd, toy_on_exit, loop, pidfd, proc, state, done)
    try:
        loop.run_until_complete(done)
    finally:
        proc.stdout.close()
        loop.close()
    return b"".join(chunks), state["code"]
''')

code(r'''
def toy_on_stdout(loop, fd, chunks, state, done):
    data = os.read(fd, 65536)          # readable: some bytes, or b"" at EOF
    if data:
        chunks.append(data)
        return
    loop.remove_reader(fd)
    state["eof"] = True
    toy_finish(state, done)


def toy_on_exit(loop, pidfd, proc, state, done):
    loop.remove_reader(pidfd)          # the pidfd is readable: the child has exited
    os.close(pidfd)
    _, status = os.waitpid(proc.pid, 0)            # reap it: no zombie left
    state["code"] = proc.returncode = os.waitstatus_to_exitcode(status)
    toy_finish(state, done)


def toy_finish(state, done):
    if state["eof"] and state["code"] is not None:  # both, in whichever order they came
        done.set_result(None)
''')

code(r'''
CHILD = [PY, "-c", "import sys; print('hello from the child'); sys.exit(3)"]
print("toy:", toy_run(CHILD))
''')

md(r'''
The exit and the EOF come in either order: a child may close its stdout and go on running,
or exit while its output still sits in the pipe. So the toy waits for both. Now minloop and
asyncio (asyncio in a helper thread: this kernel's own asyncio loop is running here):
''')

code(r'''
async def with_streams(aio):
    proc = await aio.create_subprocess_exec(*CHILD, stdout=aio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return out, proc.returncode


def on_asyncio(coro_fn):
    "asyncio.run(coro_fn(asyncio)) in a helper thread; return its result."
    box = {}
    th = threading.Thread(target=lambda: box.update(r=asyncio.run(coro_fn(asyncio))))
    th.start()
    th.join(10)
    return box["r"]


print("minloop:", minloop.run(with_streams(minloop)))
print("asyncio:", on_asyncio(with_streams))
print("all three alike:", toy_run(CHILD) == minloop.run(with_streams(minloop))
      == on_asyncio(with_streams))
''')

md(r'''
## 4. The minloop version: what the selector holds while a child runs

Start a child with three pipes and look at the loop's selector while it runs. Each row is a
file descriptor the loop watches and the callback it runs when `select()` reports it:
''')

code(r'''
def selector_rows(loop):
    "The loop's selector: one line per fd, with its role and its reader/writer callbacks."
    pidfds = {pidfd for pidfd, _ in loop._child_pidfds.values()}
    rows = []
    for key in loop._selector.get_map().values():
        role = ("self-pipe" if key.fd == loop._ssock.fileno() else
                "pidfd" if key.fd in pidfds else "pipe")
        reader, writer = (handle_name(h).split("(")[0] if h else "-" for h in key.data)
        rows.append(f"  {role:<10} reader: {reader:<38} writer: {writer}")
    return sorted(rows)
''')

code(r'''
async def look_inside():
    loop = minloop.get_running_loop()
    proc = await minloop.create_subprocess_exec(
        PY, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())",
        stdin=PIPE, stdout=PIPE, stderr=PIPE)
    print("\n".join(selector_rows(loop)))
    out, err = await proc.communicate(b"shout")
    print("after communicate():", out, proc.returncode)
    print("\n".join(selector_rows(loop)))


minloop.run(look_inside())
''')

md(r'''
Five registrations while the child runs:

- the **self-pipe**, always there (chapter 03): how other threads and signals wake the loop;
- the **pidfd**: `_do_waitpid` reaps the child when it exits;
- the child's **stdout** and **stderr**: `_UnixReadPipeTransport._read_ready` reads bytes and
  hands them to the protocol, exactly like chapter 07's socket transport;
- the child's **stdin**: a *write* pipe transport watched for *reading*. A pipe's write end
  becomes readable when the reader closes its end: that is how the transport learns that the
  child will read no more.

After `communicate()` only the self-pipe is left. The layers, from the bottom up, are the
ones of chapter 07 with a pipe instead of a socket:

| layer | a TCP connection (ch. 07) | a child process (this chapter) |
| --- | --- | --- |
| fd in the selector | socket | pipe (×3) and pidfd |
| transport | `_SelectorSocketTransport` | `_UnixReadPipeTransport`, `_UnixWritePipeTransport`, all three under one `_UnixSubprocessTransport` |
| protocol | `StreamReaderProtocol` | `SubprocessStreamProtocol` |
| what you use | `StreamReader`/`StreamWriter` | `Process`: `stdin`, `stdout`, `stderr`, `wait()`, `communicate()` |

minloop's pidfd callback, beside the toy's `toy_on_exit`:
''')

code(r'''
show_source(minloop.unix_events._UnixSelectorEventLoop._do_waitpid)
''')

md(r'''
It does not tell the transport at once. It hands the exit to `_child_watcher_callback`
(CPython's name), which makes two hops:
''')

code(r'''
show_source(minloop.unix_events._UnixSelectorEventLoop._child_watcher_callback)
''', id="ch09-020b")

md(r'''
`call_soon_threadsafe(self.call_soon, transp._process_exited, returncode)` queues a Handle
whose job is to call `call_soon`, and that call queues `_process_exited`. If `_do_waitpid`
runs in iteration *k*, the first Handle runs in iteration *k*+1 and `_process_exited` in
*k*+2. Hop one, `call_soon_threadsafe`, is there because in CPython 3.11 this callback comes
from a watcher *thread* (section 8), which must reach the loop's thread. Hop two, `call_soon`,
skips one more iteration (CPython's comment: "Skip one iteration for callbacks to be
executed"): the transport hands pipe data and pipe losses to the protocol with `call_soon`
too, so callbacks already queued for the protocol run before it hears of the exit.

The transport then tells the protocol. Its rule for the end is the toy's: the child must have
exited *and* every pipe must be closed, in either order:
''', id="ch09-020c")

code(r'''
show_source(minloop.base_subprocess.BaseSubprocessTransport._try_finish)
''')

md(r'''
A `SubprocessProtocol` sees it all. `connection_made` comes first, `connection_lost` last;
in between, the pipes' data and losses and the exit, in the order they happen:
''')

code(r'''
class Recorder(minloop.SubprocessProtocol):
    def __init__(self, done):
        self.done, self.events = done, []
    def connection_made(self, transport):
        self.events.append("connection_made")
    def pipe_data_received(self, fd, data):
        self.events.append(f"pipe_data_received({fd}, {data!r})")
    def pipe_connection_lost(self, fd, exc):
        self.events.append(f"pipe_connection_lost({fd})")
    def process_exited(self):
        self.events.append("process_exited()")
    def connection_lost(self, exc):
        self.events.append(f"connection_lost({exc})")
        self.done.set_result(None)
''')

code(r'''
async def record(cmd):
    loop = minloop.get_running_loop()
    done = loop.create_future()
    transport, proto = await loop.subprocess_shell(lambda: Recorder(done), cmd, stdin=None,
                                                   stderr=None)
    await done
    transport.close()
    return proto.events


events = minloop.run(record("printf hello; exec 1>&-; sleep 0.1"))   # close stdout, then exit
print("\n".join(events))
''')

md(r'''
Here the child closed its stdout 0.1 s before it exited, so `pipe_connection_lost(1)` came
first. What about `Process.wait()`? It awaits the transport's `_wait()`:
''')

code(r'''
show_source(minloop.base_subprocess.BaseSubprocessTransport._wait)
''', id="ch09-025b")

md(r'''
Two cases, the same in asyncio 3.11. If the exit is already known (`_process_exited` has set
`_returncode`), `wait()` returns at once, even while a pipe is still open. If not, it waits
for a Future that `_call_connection_lost` sets right after `connection_lost`: once the child
has exited *and* every pipe is closed. So `wait()` does not always mean "the pipes are closed".

The streams are `SubprocessStreamProtocol`'s work: bytes on fd 1 go to the stdout
`StreamReader`, exactly as `StreamReaderProtocol.data_received` fed one in chapter 07:
''', id="ch09-025c")

code(r'''
show_source(minloop.subprocess.SubprocessStreamProtocol.pipe_data_received)
''')

md(r'''
### A deadlock `communicate()` avoids

A pipe holds 64 KiB. A child that echoes its input writes to its stdout while it reads its
stdin; if nobody reads that stdout, the pipe fills, the child blocks in `write()`, stops
reading, and our own writes then block too. Writing everything before reading anything
deadlocks with a big input. Bounded here by `wait_for`:
''')

code(r'''
ECHO = [PY, "-c", "import sys\nwhile c := sys.stdin.buffer.read1(65536): sys.stdout.buffer.write(c)"]
BIG = b"x" * 2_000_000


async def write_then_read():
    proc = await minloop.create_subprocess_exec(*ECHO, stdin=PIPE, stdout=PIPE)
    proc.stdin.write(BIG)
    try:
        await minloop.wait_for(proc.stdin.drain(), 0.3)   # never returns: both sides are full
        print("drained")
    except minloop.TimeoutError:
        print("stuck: the child waits for us to read, we wait for it to read")
    proc.kill()
    await proc.communicate()   # not wait(): it would hang too, stdout still holds unread data
    print("killed:", proc.returncode)


minloop.run(write_then_read())
''')

code(r'''
async def both_at_once():
    proc = await minloop.create_subprocess_exec(*ECHO, stdin=PIPE, stdout=PIPE)
    out, _ = await proc.communicate(BIG)   # writes stdin, reads stdout: gathered, concurrently
    print("communicate:", len(out) == len(BIG), "exit", proc.returncode)


minloop.run(both_at_once())
''')

md(r'''
`communicate()` gathers three coroutines: one writes stdin (then closes it), two read stdout
and stderr to EOF. Whichever pipe is ready makes progress:
''')

code(r'''
show_source(minloop.subprocess.Process.communicate)
''')

md(r'''
## 5. Threads: `run_in_executor`, `to_thread`, and the self-pipe

Some calls have no asynchronous version: a blocking library, a file read, a DNS lookup.
`loop.run_in_executor(executor, func, *args)` runs `func(*args)` in a pool (a thread pool by
default) and returns a Future for its result. `asyncio.to_thread(func, *args, **kwargs)` is
the same with keyword arguments and the caller's **context variables**:
''')

code(r'''
request_id = contextvars.ContextVar("request_id", default="unset")


def handler_in_thread(tag):
    return f"{tag}: request_id={request_id.get()}, main thread: " \
           f"{threading.current_thread() is threading.main_thread()}"


async def threads_and_context():
    request_id.set("req-7")
    loop = minloop.get_running_loop()
    print(await loop.run_in_executor(None, handler_in_thread, "run_in_executor"))
    print(await minloop.to_thread(handler_in_thread, "to_thread"))


minloop.run(threads_and_context())
''')

md(r'''
A worker thread runs in its own context, where `request_id` is unset. `to_thread` copies the
caller's context and runs the function inside the copy:
''')

code(r'''
show_source(minloop.to_thread)
''')

md(r'''
How does the result get back? The worker thread cannot touch the loop's `_ready` deque safely
while the loop runs, and the loop may be asleep in `select()` with no timer. So the executor's
Future is wrapped (`wrap_future`), and when the worker finishes, the result is handed over with
`loop.call_soon_threadsafe(...)`: append the callback to `_ready` *and write one byte to the
self-pipe*. The self-pipe is in the selector, so `select()` returns. Here is that wake-up,
traced: `run_in_executor` runs a function that sleeps 50 ms in the default thread pool, while
the loop has nothing else to do.
''')

code(r'''
def traced(main, **roles):
    "Run main() on a real-clock minloop loop with a Tracer; return (result, tracer, loop)."
    loop = minloop.new_event_loop()
    tracer = Tracer().attach(loop)
    try:
        return loop.run_until_complete(main()), tracer, loop
    finally:
        loop._tracer = None
        loop.close()


def print_wakeup(tracer, self_pipe_fd):
    "From the first select() that blocked: what select returned and what ran."
    steps = tracer.steps
    start = next(i for i, s in enumerate(steps) if s["phase"] == "timeout" and s["timeout"] is None)
    for s in steps[start:]:
        if s["phase"] == "timeout":
            print(f"[{s['iteration']}] select(timeout={s['timeout']})")
        elif s["phase"] == "select":
            print(f"    returned: {['self-pipe' if e['fd'] == self_pipe_fd else e['fd'] for e in s['events']]}")
        elif s["phase"] == "run":
            print("    run", re.sub(r"Task-\d+", "Task", s["handle"]))
''')

code(r'''
def in_a_thread():
    time.sleep(0.05)
    return "from the thread"


async def woken_by_a_thread():
    loop = minloop.get_running_loop()
    return await loop.run_in_executor(None, in_a_thread), loop._ssock.fileno()


(result, self_pipe), tracer, _ = traced(woken_by_a_thread)
print(result)
print_wakeup(tracer, self_pipe)
''')

md(r'''
Read it in order. Iteration 2 blocks: `select(timeout=None)`, nothing ready, no timer. In
the worker thread, the pool finishes its `concurrent.futures.Future`, whose done-callback
(`_call_set_state`, set up by `wrap_future` in `futures._chain_future`) calls
`loop.call_soon_threadsafe(_set_state, ...)`: it appends `_set_state` to `_ready`, then writes
a byte to the self-pipe. `select()` returns the self-pipe; the run phase runs `_set_state`
(queued first), which copies the result into the loop's Future, and `_read_from_self`, which
empties the pipe. In iteration 3 the loop Future's callbacks run: `_call_check_cancel` (the
link that would cancel the pool's job if we cancelled), `_executor_job_done` (minloop's own
count of jobs in flight, for the virtual clock) and `Task.__wakeup`, which resumes us.

Plain `call_soon` from a thread would append to `_ready` without the byte: the loop would
sleep on until something else woke it (a timer, IO), maybe forever. That is why asyncio has
two methods. minloop's, beside each other:
''')

code(r'''
show_source(minloop.BaseEventLoop.call_soon_threadsafe)
''')

code(r'''
show_source(minloop.BaseEventLoop._write_to_self)
''', id="ch09-040b")

md(r'''
### Signals use the same pipe

A Unix signal (`SIGTERM`, `SIGUSR1`, Ctrl-C's `SIGINT`) interrupts the program wherever it is.
Running a callback *there* would be running it in the middle of another one. So
`loop.add_signal_handler(sig, callback)` installs a Python handler that does nothing and
points `signal.set_wakeup_fd` at the self-pipe: when the signal arrives, the interpreter
writes the signal's *number* into the pipe. `_read_from_self` reads it, and the loop's
`_process_self_data` queues the callback. A thread sends `SIGUSR1` (number 10) while the loop
sleeps:
''')

code(r'''
async def woken_by_a_signal():
    loop = minloop.get_running_loop()
    fut = loop.create_future()
    seen = []
    original = loop._process_self_data
    loop._process_self_data = lambda data: (seen.append(bytes(data)), original(data))
    loop.add_signal_handler(signal.SIGUSR1, fut.set_result, "SIGUSR1 handled in the loop")
    threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGUSR1)).start()
    try:
        return await fut, seen, loop._ssock.fileno()
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)


(result, seen, self_pipe), tracer, _ = traced(woken_by_a_signal)
print(result, "| bytes read from the self-pipe:", seen)
print_wakeup(tracer, self_pipe)
''')

md(r'''
The byte `b'\n'` is 10, `SIGUSR1`. `_read_from_self` hands it to `_process_self_data`, which
queues the handler's Handle and also writes a `b'\x00'` to the pipe
(`_add_callback_signalsafe`: a signal may come while the loop is *not* in `select()`, and the
byte makes sure the next `select()` does not sleep). Here `_read_from_self` is still reading,
and eats that byte at once. The handler runs in the next iteration: it was queued during this
iteration's run phase, after `ntodo` was counted. minloop's signal side, as CPython's, in
the order they call each other: `_process_self_data`, `_handle_signal` for each signal number
it read, `_add_callback_signalsafe`:
''')

code(r'''
show_source(minloop.unix_events._UnixSelectorEventLoop._process_self_data)
''')

code(r'''
show_source(minloop.unix_events._UnixSelectorEventLoop._handle_signal)
''', id="ch09-044b")

code(r'''
show_source(minloop.BaseEventLoop._add_callback_signalsafe)
''', id="ch09-044c")

md(r'''
`add_signal_handler` refuses what asyncio refuses: a coroutine function (`TypeError`), a
number that is not a signal (`ValueError`), a signal that cannot be caught (`RuntimeError`):
''')

code(r'''
loop = minloop.new_event_loop()
with expect_error(TypeError):
    loop.add_signal_handler(signal.SIGUSR1, threads_and_context)
with expect_error(ValueError):
    loop.add_signal_handler(0, print)
with expect_error(RuntimeError):
    loop.add_signal_handler(signal.SIGKILL, print)
loop.close()
''')

md(r'''
## 6. Pools and the GIL

The seed's example puts a CPU-bound function in a **process pool** and shows that a coroutine
finishes first: the loop stays free while another process computes. Two details matter in a
notebook. A process pool sends the function to a worker *by name*, so it must be importable:
`cpu_bound` lives in `ch09_work.py` beside this notebook, not in a cell. And Python 3.12 warns
when a multi-threaded process (a Jupyter kernel is one) forks, so the pool starts its workers
from a clean *forkserver* process instead.
''')

code(r'''
show_source(ch09_work.cpu_bound)
''')

code(r'''
START, CORO, JOB = ("loop starts the job in the pool", "before_cpu_bound() ran and finished",
                    "cpu_bound() finished in the worker")


async def before_cpu_bound(log):
    log.append(CORO)


async def seed_main(pool):
    loop = minloop.get_running_loop()
    log = [START]
    job = loop.run_in_executor(pool, ch09_work.cpu_bound, 2_000_000)
    job.add_done_callback(lambda f: log.append(JOB))
    await minloop.gather(job, before_cpu_bound(log))
    return log, job.result()


FORKSERVER = multiprocessing.get_context("forkserver")
with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=FORKSERVER) as pool:
    log, value = minloop.run(seed_main(pool))
print("\n".join(log), "\nresult:", value)
''')

md(r'''
The same log as a diagram. It is drawn from the log's *order* only: the x axis is the position
of each entry in the log, not seconds, and the lengths of the bars mean nothing. What the
picture says is the order: the loop started the job, ran the coroutine to its end and then
sat idle in `select()` while the worker process still computed.
''')

code(r'''
pos = {entry: log.index(entry) + 1 for entry in (START, CORO, JOB)}     # 1st, 2nd, 3rd
fig, ax = plt.subplots(figsize=(7.5, 2.2))
for lane, a, b, color, what in [(1, START, JOB, "#e8a33d", "computing cpu_bound()"),
                                (0, CORO, JOB, "#cccccc", "idle in select()")]:
    ax.plot([pos[a], pos[b]], [lane, lane], color=color, lw=9, solid_capstyle="butt")
    ax.text((pos[a] + pos[b]) / 2, lane, what, ha="center", va="center", fontsize=7)
for entry, lane, label in [(START, 0, "job handed to the pool"), (CORO, 0, "coroutine done"),
                           (JOB, 1, "cpu_bound() done")]:
    ax.plot(pos[entry], lane, "o", color="#333", zorder=3)
    ax.annotate(label, (pos[entry], lane), xytext=(0, -16 if lane == 0 else 9),
                textcoords="offset points", ha="center", fontsize=8)
ax.set_yticks([0, 1], ["event loop", "worker process"]); ax.set_ylim(-0.7, 1.5)
ax.set_xticks([1, 2, 3], ["1st", "2nd", "3rd"]); ax.set_xlim(0.4, 3.6)
ax.set_xlabel("position in the log (a diagram of the order, not a measurement of time)")
ax.set_title("run_in_executor: the loop is free while the process pool computes", fontsize=9)
plt.tight_layout(); plt.show()
''')

md(r'''
Why a *process* pool? Because of the **GIL**, CPython's global interpreter lock: only one
thread of a process runs Python bytecode at a time. Threads help with *waiting* (a blocking
call releases the GIL while it waits), not with *computing*. Measure it: the same two jobs,
one after the other, on two threads, and in two processes. What we print is stable on a busy machine too: CPU
time against wall time (two threads computing in parallel would burn up to twice the wall
time in CPU), and which process burned the CPU time.
''')

code(r'''
N = 1_500_000


def timed(run_jobs):
    "Wall time of run_jobs(), and the CPU time this (the loop's) process spent on it."
    wall, cpu = time.perf_counter(), time.process_time()
    run_jobs()
    return time.perf_counter() - wall, time.process_time() - cpu


in_a_row = timed(lambda: [ch09_work.cpu_bound(N) for _ in range(2)])
with concurrent.futures.ThreadPoolExecutor(2) as tp:
    threads = timed(lambda: list(tp.map(ch09_work.cpu_bound, [N, N])))
with concurrent.futures.ProcessPoolExecutor(2, mp_context=FORKSERVER) as pp:
    list(pp.map(ch09_work.whoami, range(2)))          # start the workers before timing
    processes = timed(lambda: list(pp.map(ch09_work.cpu_bound, [N, N])))
''')

code(r'''
print("threads: never more than one core busy (CPU time <= 1.2 x wall time):",
      threads[1] <= 1.2 * threads[0])
print("threads: the loop's process did the computing:", threads[1] > 0.5 * in_a_row[1])
print("processes: the loop's process did the computing:", processes[1] > 0.5 * in_a_row[1])
''')

md(r'''
The two threads never kept two cores busy: they took turns holding the GIL, so their CPU
time is no more than the wall time, and it was all the loop's process's own. The process
pool's workers did the computing in their own processes (the loop's process did not: the
last line), each with its own interpreter and its own GIL: nothing stops the operating system
from running them on two cores at once. Whether the pair then finishes sooner depends on the
machine having two idle cores, so we print no timing here: on a busy machine the speed-up may
not show. (Python 3.13 has an experimental free-threaded build without the GIL; the
standard build still has it.) So: a thread pool for *blocking calls*, a process pool for
*CPU-bound Python code*, the loop for everything that waits on file descriptors.

## 7. The whole picture: what wakes a loop asleep in `select()`

| who | how it reaches the loop | fd in the selector |
| --- | --- | --- |
| socket, pipe | becomes readable/writable | itself |
| child process exit | pidfd becomes readable; `waitpid` | the pidfd |
| another thread (executor job, `call_soon_threadsafe`) | append to `_ready`, write `b"\0"` | self-pipe |
| a Unix signal | the interpreter writes the signal number | self-pipe (`set_wakeup_fd`) |
| a timer | `select()`'s timeout runs out | — |

## 8. What CPython does more

- **Child watchers.** CPython 3.11 learns that a child exited from a *child watcher*; the
  default one, `ThreadedChildWatcher`, starts one thread per child that blocks in
  `os.waitpid` and reports with `call_soon_threadsafe`. `PidfdChildWatcher` (the pidfd way,
  minloop's) exists in 3.9+ and is the default from 3.12 where the kernel supports it; the
  watcher classes are deprecated in 3.12 and gone in 3.14, where the loop watches its own
  children as minloop does. minloop leaves the watcher classes out.
- **Windows.** There, subprocess pipes go through the proactor loop (IOCP), not a selector.
- **Debug mode** logs every child ("execute program ... stdout=<pipe>", "exited with return
  code 0"); minloop logs the same lines.

CPython's pidfd watcher, for comparison with minloop's `_do_waitpid` above:
''')

code(r'''
show_source(asyncio.unix_events.PidfdChildWatcher._do_wait)
''')

md(r'''
## Summary

- A coroutine must never block: `subprocess.run`, `time.sleep` or a long computation stop
  every Task. Use `create_subprocess_exec`/`_shell`, `asyncio.sleep`, `to_thread`, a pool.
- A child's pipes are file descriptors in the selector, wrapped in pipe transports, a
  `SubprocessStreamProtocol`, and chapter 07's streams. Its exit is a pidfd, then `waitpid`.
- `communicate()` writes and reads at once; writing a big input before reading deadlocks.
- Threads reach the loop through `call_soon_threadsafe`: `_ready` plus a byte on the
  self-pipe. Signals use the same pipe through `signal.set_wakeup_fd`. Plain `call_soon` from a
  thread leaves the loop asleep.
- The GIL: thread pools for blocking calls, process pools (importable functions) for CPU work.
''', id="ch09-057")


md(r'''
## Exercises

Each exercise is an answer cell followed by its check cell. The checks need some machinery
first: **run the next cells, down to Exercise 1, but you need not read them.**
''', id="ch09-057b")


md(r'''
For the curious: the checks of this chapter watch the loop with a `LoopWatch`, a tracing hook
(chapter 03's phases of `_run_once`). Per iteration it notes *why* `select()` returned: IO (a
socket, a pipe, a pidfd, the self-pipe), a timer, or nothing at all because something was
already ready (many of those in a row: polling), and what woke the loop the last time it
could sleep. It measures
the longest time between `select()` returning and the next iteration (a callback that blocks
the loop), follows the children the loop watches, notes a `call_soon` made from another thread
(not thread-safe), and keeps the loop's error reports instead of printing them.
''', id="ch09-059")


code(r'''
class LoopWatch:
    "What a loop does, seen through its tracing hook: wake-ups, long callbacks, children."

    def __init__(self, loop, learner_file):
        self.spins = self.timer_wakeups = self.learner_tasks = self.most = 0
        self.longest_run, self.woken_by, self.last_wake, self.errors = 0.0, None, None, []
        self.children, self.child_events = {}, []     # pid -> argv; (time, "start"/"end")
        self.transports = []                          # the subprocess transports it saw
        self.learner_file, self._timeout, self._selected = learner_file, None, None
        self.call_soon_from_thread = False
        loop._tracer = self
        loop.set_exception_handler(lambda loop, context: self.errors.append(context))
        call_soon = loop.call_soon
        def noted(callback, *args, context=None):     # call_soon from another thread?
            if threading.current_thread() is not threading.main_thread():
                self.call_soon_from_thread = True
            return call_soon(callback, *args, context=context)
        loop.call_soon = noted

    def __call__(self, phase, loop, **info):
        now = time.monotonic()
        if phase == "purge":                         # a new iteration: the last one is over
            if self._selected is not None:
                self.longest_run = max(self.longest_run, now - self._selected)
            self.learner_tasks = max(self.learner_tasks, sum(
                getattr(t.get_coro(), "cr_code", None) is not None and
                t.get_coro().cr_code.co_filename == self.learner_file
                for t in minloop.all_tasks(loop)))
        elif phase == "timeout":
            self._timeout = info["timeout"]
        elif phase == "select":                      # why did select() return?
            self._selected = now
            self.woken_by = ("io" if info["events"] else
                             "nothing" if self._timeout == 0 else "timer")
            self.spins += self.woken_by == "nothing"
            self.timer_wakeups += self.woken_by == "timer"
            if self._timeout != 0:                   # it could sleep: what woke it up?
                self.last_wake = self.woken_by
        pids = getattr(loop, "_child_pidfds", {})
        for pid in pids.keys() - self.children.keys():
            self.children[pid] = list(getattr(pids[pid][1]._proc, "args", ()))
            self.transports.append(pids[pid][1])
            self.child_events.append((now, "start"))
        for pid in self.children.keys() - pids.keys():
            del self.children[pid]
            self.child_events.append((now, "end"))
        self.most = max(self.most, len(self.children))
''', id="ch09-060")


md(r'''
`run_watched` runs an answer on a fresh loop under a `LoopWatch` and a real-time limit: a
coroutine that blocks the loop (a `time.sleep` loop waiting for a Future only the loop can
complete) never gives `wait_for` a chance to time out, so a `SIGALRM` timer in the kernel's
main thread stops it instead, as chapter 07's checks do. Afterwards it cancels what the answer
left running and kills the children it left behind.
''', id="ch09-060b")


code(r'''
class Stuck(BaseException):
    "Raised by real_time_limit (a BaseException: no `except Exception` eats it)."


@contextlib.contextmanager
def real_time_limit(seconds, fn, watch=None):
    "Stop code still running after `seconds` of real time; say where it was (see stuck_message)."
    if threading.current_thread() is not threading.main_thread():
        yield                                   # signals reach the main thread only
        return
    where = []
    def on_alarm(signum, frame):
        asleep = frame is not None and frame.f_code.co_filename.endswith("selectors.py")
        while frame is not None and frame.f_code.co_filename != fn.__code__.co_filename:
            frame = frame.f_back
        where.append((asleep, frame and (frame.f_lineno, linecache.getline(
            frame.f_code.co_filename, frame.f_lineno).strip())))
        signal.setitimer(signal.ITIMER_REAL, 0.5)          # again, should it be swallowed
        raise Stuck()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Stuck:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if where:
        raise CheckFailed(stuck_message(fn.__name__, seconds, *where[0], watch))
''', id="ch09-060c")


code(r'''
def stuck_message(name, seconds, asleep, line, watch):
    "Why the answer `name` did not finish in `seconds`: blocked, or asleep and never woken."
    if asleep:
        return (f"`{name}` did not finish in {seconds} s, and the loop was not blocked: it was "
                "asleep in select() and nothing woke it. " + ("loop.call_soon was called from "
                "another thread (by fut.set_result, say, or a minloop.Queue's put_nowait): it "
                "queues the callback but writes nothing to the self-pipe. " if watch and
                watch.call_soon_from_thread else "A Future set from another thread? ") +
                "Hand things to the loop from a thread with loop.call_soon_threadsafe("
                "fut.set_result, result): it wakes the loop.")
    where = f" at line {line[0]} of its cell, `{line[1]}`" if line else ""
    return (f"`{name}` never gave control back to the loop for {seconds} s: it was stuck"
            f"{where}. It blocks the loop while it waits (time.sleep in a loop, a blocking "
            ".result()), so nothing the loop would do, such as completing the Future of "
            "run_in_executor (the pool's thread hands the result over with "
            "call_soon_threadsafe), can happen. Await what you wait for instead.")


async def clean_up(loop, watch):
    "Cancel the Tasks an answer left running, close its children, stop the thread pool."
    tasks = minloop.all_tasks() - {minloop.current_task()}
    for task in tasks:
        task.cancel()
    if tasks:
        await minloop.wait(tasks, timeout=1)
    for task in tasks:                       # retrieved: no "exception was never retrieved"
        if task.done() and not task.cancelled():
            task.exception()
    for transport in watch.transports + [t for _, t in loop._child_pidfds.values()]:
        transport.close()                    # kills a child still running, closes its pipes
    for _ in range(100):
        if not loop._child_pidfds:
            break
        await minloop.sleep(0.01)
    await minloop.sleep(0)
    await loop.shutdown_default_executor()
''', id="ch09-060d")


code(r'''
def run_watched(main, seconds, fn):
    "main(loop, watch) as a Task on a fresh loop, watched, stopped after `seconds`; its result."
    loop = minloop.new_event_loop()
    watch = LoopWatch(loop, fn.__code__.co_filename)
    task = loop.create_task(main(loop, watch))
    gc_was_on = gc.isenabled()
    gc.disable()                             # a collection of the kernel's objects is no block
    try:
        with real_time_limit(seconds, fn, watch):
            return loop.run_until_complete(task)
    finally:
        if gc_was_on:
            gc.enable()
        loop._tracer = None
        if task.done() and not task.cancelled():
            task.exception()
        loop.run_until_complete(clean_up(loop, watch))
        loop.close()
''', id="ch09-060e")


md(r'''
Exercise 1's commands: shell one-liners that print, close their stdout (`exec >&-`), sleep
and exit. Their exit codes and outputs are in no sorted order; child 4 writes 400 kB, more
than a pipe and a StreamReader's buffer hold together. `longest_free_slot` reads the children's start and end times: how long
a slot stayed free while commands still waited.
''', id="ch09-060f")


code(r'''
EX1_SLEEPS, EX1_CODES, EX1_BIG = [0.18, 0.06, 0.03, 0.12, 0.045, 0.09], [3, 0, 4, 1, 5, 2], 4
EX1_OUTPUTS = [b"x" * 400_000 if i == EX1_BIG else f"child {i}\n".encode() for i in range(6)]
EX1_COMMANDS = [["/bin/sh", "-c", ("head -c 400000 /dev/zero | tr '\\0' x" if i == EX1_BIG
                                   else f"echo child {i}") +
                 f"; exec >&-; sleep {EX1_SLEEPS[i]}; exit {EX1_CODES[i]}"] for i in range(6)]
EX1_EXPECTED = list(zip(EX1_CODES, EX1_OUTPUTS))
NO_SUCH_PROGRAM, OK_COMMAND = ["/nonexistent/ch09/no-such-program"], ["/bin/sh", "-c", "echo ok"]


def longest_free_slot(events, n, limit):
    "The longest time a slot stayed free while commands still waited to start."
    running = started = 0
    since, longest = None, 0.0
    for t, kind in events:
        running += 1 if kind == "start" else -1
        started += kind == "start"
        idle = running < limit and started < n
        if idle and since is None:
            since = t
        elif not idle and since is not None:
            longest, since = max(longest, t - since), None
    return longest
''', id="ch09-060g")


code(r'''
@contextlib.contextmanager
def caught_stdout_and_semaphores(obs):
    "Point fd 1 at a file (a child given no pipe must not flood the cell); count Semaphores."
    sys.stdout.flush()
    saved, inits = os.dup(1), [(c, c.__init__) for c in (minloop.Semaphore, asyncio.Semaphore)]
    obs["semaphores"] = 0
    def counting(init):
        def __init__(self, *args, **kwargs):
            obs["semaphores"] += 1
            init(self, *args, **kwargs)
        return __init__
    with tempfile.TemporaryFile() as file:
        os.dup2(file.fileno(), 1)
        for cls, init in inits:
            cls.__init__ = counting(init)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            for cls, init in inits:
                cls.__init__ = init
            obs["stdout_bytes"] = file.seek(0, os.SEEK_END)


def run_ex1(commands, limit, bound=1.2):
    "run_all(commands, limit), watched: what happened, as a dict ('failed': its CheckFailed)."
    obs = {"timed_out": False, "bound": bound}
    async def main(loop, watch):
        obs["watch"] = watch
        try:
            obs["results"] = await minloop.wait_for(run_all(commands, limit), bound)
        except minloop.TimeoutError:
            obs["timed_out"] = True
        except OSError:                      # did the other command still get its slot?
            await minloop.sleep(0.15)
            obs["started_after_error"] = len(watch.child_events) > 0
            raise
        obs["unreaped"] = len(loop._child_pidfds)
    try:
        with caught_stdout_and_semaphores(obs), learner_code(
                f"run_all(<{len(commands)} commands>, limit={limit})"):
            run_watched(main, bound + 1, run_all)
    except CheckFailed as failed:
        obs["failed"] = failed
    return obs


def short(results):
    "results for a message: long outputs as their length."
    return [(r[0], f"<{len(r[1])} {type(r[1]).__name__}>") if isinstance(r, tuple) and
            len(r) == 2 and isinstance(r[1], (bytes, str)) and len(r[1]) > 40 else r
            for r in results]


def ex1_timing_ok(obs, n, limit):
    "Did each waiting command start at once when a slot was freed (with `limit` at once)?"
    w = obs.get("watch")
    return ("failed" in obs or w is None or w.most != limit
            or longest_free_slot(w.child_events, n, limit) < 0.1)


def ex1_entry_hint(results):
    "Why an entry is an exception, not a (returncode, stdout) pair: the likely mistake."
    for i, r in enumerate(results):
        if isinstance(r, ValueError) and "limit" in str(r):
            return (f" Entry {i} is {r!r}: child {i} writes 400 kB with no newline, more than a "
                    "StreamReader holds for one line (64 KiB), so readline() or `async for line "
                    "in proc.stdout` cannot return it. Read it all: `await proc.communicate()`.")
        if isinstance(r, TimeoutError):
            return (f" Entry {i} is TimeoutError(): a wait_for whose timeout is shorter than "
                    f"child {i} runs? Nothing asks for a timeout: await proc.communicate() itself.")
        if isinstance(r, RuntimeError) and "different event loop" in str(r):
            return (" A Semaphore made outside run_all (a global, made in an earlier run) is "
                    "bound to the loop of that run: make the Semaphore inside run_all.")
    return ""
''', id="ch09-060h")


code(r'''
def ex1_failing_command():
    "Check run_all with a program that does not exist, then a command that works, limit=1."
    obs = run_ex1([NO_SUCH_PROGRAM, OK_COMMAND], 1, bound=0.6)
    failed = obs.get("failed")
    check(not failed or "FileNotFoundError" not in str(failed), "run_all raised the "
          "FileNotFoundError of a command that could not start, and lost the other results" + (
          "; and the next command never started: the failed one kept its Semaphore slot (use "
          "`async with sem:`, or release in `finally`)" if not obs.get("started_after_error")
          else "") + ". Put the exception in the list: minloop.gather(..., return_exceptions=True).")
    if failed:
        raise failed
    check(not obs["timed_out"], "After a command that could not start, the next one never "
          "started (limit=1): the failed command kept its Semaphore slot. Release it however "
          "the command ends: `async with sem:`, or `try: ... finally: sem.release()`.")
    results = list(obs["results"])
    check(len(results) == 2 and isinstance(results[0], FileNotFoundError), "For a command "
          "that cannot start, the list must hold the exception create_subprocess_exec raised "
          f"(FileNotFoundError), got {results!r}: gather(..., return_exceptions=True) puts it there.")
    check_equal(results[1], (0, b"ok\n"), "the result of the command after it")
''', id="ch09-060i")


code(r'''
ex2_var = contextvars.ContextVar("ex2_var", default="unset")
EX2_HINTS = [                      # (words in the error, hint)
    ("is already entered", "one Context was entered by two calls at once (a Context runs in one "
     "thread at a time): copy the context at each call, ctx = contextvars.copy_context() "
     "inside my_to_thread, not once for all calls."),
    ("not callable", "run_in_executor was given func's *result*: func was called (in the "
     "loop's thread) instead of passed. Pass functools.partial(ctx.run, func, *args, **kwargs)."),
    ("unexpected keyword", "run_in_executor takes no keyword arguments: wrap the call in "
     "functools.partial(ctx.run, func, *args, **kwargs)."),
    ("keyword-only", "func did not get its keyword arguments: pass them on with "
     "functools.partial(ctx.run, func, *args, **kwargs)."),
    ("positional argument", "func did not get its arguments as they were given: unpack them, "
     "functools.partial(ctx.run, func, *args, **kwargs), not (func, args, kwargs)."),
]


def ex2_run(make_coro):
    "Await make_coro() in a Task that set ex2_var, watched: (result, watch)."
    async def main(loop, watch):
        ex2_var.set("set by the caller")
        return await minloop.wait_for(make_coro(), 5), watch
    try:
        with learner_code("my_to_thread(...)"):
            return run_watched(main, 1, my_to_thread)
    except CheckFailed as failed:
        hint = next((h for key, h in EX2_HINTS if key in str(failed)), None)
        raise (CheckFailed(f"{failed} Hint: {hint}") if hint else failed) from None
''', id="ch09-063b")


code(r'''
@contextlib.contextmanager
def library_to_thread_spied():
    "Note whether the answer calls minloop's or asyncio's to_thread (and still run it)."
    used, modules = [], [(minloop, "minloop"), (minloop.threads, "minloop"),
                         (asyncio, "asyncio"), (asyncio.threads, "asyncio")]
    originals = [module.to_thread for module, _ in modules]
    def spy(original, name):
        async def to_thread(func, /, *args, **kwargs):
            used.append(name)
            return await original(func, *args, **kwargs)
        return to_thread
    for (module, name), original in zip(modules, originals):
        module.to_thread = spy(original, name)
    try:
        yield used
    finally:
        for (module, _), original in zip(modules, originals):
            module.to_thread = original
''', id="ch09-063c")


code(r'''
IN_LOOP = ("func ran in the loop's own thread: that blocks the loop. Pass it to "
           "loop.run_in_executor(None, ...) without calling it: `func(...)` or "
           "`ctx.run(func, ...)` written in my_to_thread runs it right there.")


def ex2_first_call():
    "my_to_thread(probe): in which thread, blocking or spinning the loop, returning what?"
    ran_in = []
    def probe():
        ran_in.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.15)                                   # a blocking call
        return "probe done"
    with library_to_thread_spied() as used:
        try:
            got, watch = ex2_run(lambda: my_to_thread(probe))
            if watch.longest_run >= 0.1 and True not in ran_in:    # a busy machine? again
                got, watch = ex2_run(lambda: my_to_thread(probe))
        except CheckFailed:
            check(True not in ran_in, IN_LOOP)
            raise
    check(not used, f"my_to_thread calls {used and used[0]}.to_thread: that is the function "
          "this exercise asks you to write. Use loop.run_in_executor(None, ...) yourself.")
    check(True not in ran_in, IN_LOOP)
    return got, watch
''', id="ch09-063d")


code(r'''
current_job = threading.local()             # .n: which executor job runs in this thread


def count_jobs(loop, obs):
    "Count the loop's run_in_executor jobs, and let each step know which job runs it."
    run_in_executor = loop.run_in_executor
    def counted(executor, func, *args):
        obs["jobs"] += 1
        def in_job(n=obs["jobs"]):
            current_job.n = n
            try:
                return func(*args)
            finally:
                current_job.n = None
        return run_in_executor(executor, in_job)
    loop.run_in_executor = counted


def ex3_steps(n, obs, reported, wait):
    "n steps; with wait, each takes 30 ms and first waits (<= 0.3 s) for the report before it."
    def make_step(i):
        def step():
            obs["step_threads"].append(threading.get_ident())
            obs["step_jobs"].append(getattr(current_job, "n", None))
            if wait and i and obs["late"] is None and not reported[i - 1].wait(0.3):
                obs["late"] = i - 1
            if wait:
                time.sleep(0.03)
            else:
                sum(range(1000))          # a little work: the worker runs ahead of the loop
            obs["last_step_done"] = time.monotonic()
            return i * 11
        return step
    return [make_step(i) for i in range(n)]
''', id="ch09-066b")


code(r'''
def run_ex3(n, wait=True):
    "Run run_with_progress with n checking steps, watched; return what the check saw."
    reported = [threading.Event() for _ in range(n)]
    obs = {"reports": [], "late": None, "step_threads": [], "step_jobs": [], "jobs": 0,
           "returned_at": None, "last_step_done": 0.0}
    def on_progress(i, result):           # records, never raises into the loop
        obs["reports"].append((i, result, threading.current_thread() is threading.main_thread(),
                               obs["watch"].last_wake, time.monotonic()))
        if isinstance(i, int) and 0 <= i < n:
            reported[i].set()
    async def main(loop, watch):
        obs["watch"] = watch
        count_jobs(loop, obs)
        results = await minloop.wait_for(
            run_with_progress(ex3_steps(n, obs, reported, wait), on_progress), 0.8)
        obs["returned_at"] = len(obs["reports"])
        return results
    with learner_code("run_with_progress(steps, on_progress)", hints={RuntimeError: "a worker "
                      "thread has no running loop: get the loop in the coroutine (loop = "
                      "minloop.get_running_loop()) and use it in the worker."}):
        try:
            obs["results"] = run_watched(main, 1.2, run_with_progress)
        finally:                          # a step in the loop's thread explains any error
            check(threading.get_ident() not in obs["step_threads"], STEP_IN_LOOP)
    return obs


STEP_IN_LOOP = ("A step ran in the loop's thread: that blocks the loop. Run the steps in a "
                "worker thread: loop.run_in_executor(None, work), passing `work` uncalled.")
''', id="ch09-067")


code(r'''
def ex3_late_message(obs):
    "Why the report of step obs['late'] did not reach the loop while the worker went on."
    late = f"The report of step {obs['late']} did not reach the loop while the worker went on"
    if all(t >= obs["last_step_done"] for *_, t in obs["reports"]):
        return (f"{late}: every report came after the last step had ended. You report once "
                "the worker has returned; send each report from the worker thread, right after "
                "its step, with loop.call_soon_threadsafe.")
    return (f"{late}: what hands it over did not wake the loop asleep in select(). "
            "loop.call_soon_threadsafe does: it writes a byte to the self-pipe.")


def ex3_reports_hint(reports, n):
    "A hint for reports that are not [(0, 0), (1, 11), ...]."
    indices = [i for i, *_ in reports]
    if not indices:
        return "on_progress was never called."
    if len(set(indices)) < len(indices):
        return ("The same step number came more than once: a lambda (or inner function) reads "
                "i and result when the loop calls it, not when you made it, and by then the "
                "worker has moved on. Pass them as arguments: "
                "loop.call_soon_threadsafe(on_progress, i, result).")
    if indices == list(range(1, n + 1)):
        return "Steps are numbered from 0, as enumerate(steps) numbers them."
    if indices == list(range(len(indices))) and len(indices) < n:
        return (f"The last report(s) were lost ({len(indices)} of {n} arrived): you returned, or "
                "cancelled the Task delivering them, before the loop delivered them. Reports "
                "sent from the worker with call_soon_threadsafe run before the executor's "
                "Future wakes you: no Task to cancel.")
    if indices == sorted(indices) and len(indices) < n:
        return (f"Only {len(indices)} of {n} reports arrived: reports were merged. Keeping only "
                "the latest state and waking the loop (an Event) loses the reports that come "
                "while the loop is busy: send each report itself with "
                "loop.call_soon_threadsafe(on_progress, i, result).")
    if indices == list(range(n)):
        return ("Each step number came once, but some results belong to another step: the report "
                "read its result when the loop ran it (a lambda or inner function reading a "
                "variable, a shared list or the latest state), not when the step ended. Pass the "
                "values as arguments: loop.call_soon_threadsafe(on_progress, i, result).")
    return ""
''', id="ch09-067b")


code(r'''
def ex3_verify(obs, n):
    "The checks of one round of Exercise 3 (obs from run_ex3(n, ...))."
    w, reports = obs["watch"], obs["reports"]
    jobs = max(len(set(obs["step_threads"])), len(set(obs["step_jobs"])))
    check(jobs <= 1, f"The steps ran as {jobs} executor jobs (one run_in_executor per step, "
          "reports sent from the coroutine?). Run one function of your own in one worker "
          "thread that loops over the steps and reports from there.")
    check(obs["jobs"] <= 1, f"The steps ran in one job, but you started {obs['jobs']} executor "
          "jobs: the others wait for the reports in pool threads (a blocking queue.get in "
          "run_in_executor?). One run_in_executor call: the worker sends each report with "
          "loop.call_soon_threadsafe(on_progress, i, result).")
    check(all(main for _, _, main, *_ in reports), "on_progress was called in the worker thread: "
          "it must run in the loop's thread. Hand it to the loop.")
    check(not w.errors, "The loop reported an error in a callback: "
          f"{w.errors and w.errors[0].get('exception')!r} ({w.errors and w.errors[0]['message']}).")
    check(not minloop.isfuture(obs["results"]) and not inspect.isawaitable(obs["results"]),
          f"run_with_progress returned {obs['results']!r}, not the results: the Future of "
          "run_in_executor, not awaited. Write `return await loop.run_in_executor(...)`.")
    check(not w.call_soon_from_thread, "loop.call_soon was called from the worker thread "
          "(directly, or by setting a Future or putting into a minloop.Queue there): it is not "
          "thread-safe and does not wake the loop asleep in select(); only a timer or other IO "
          "would. Use loop.call_soon_threadsafe, which writes to the self-pipe.")
    check(w.longest_run < 0.2, f"run_with_progress blocked the loop for {w.longest_run:.2f} s "
          "while the worker ran: it waits for the worker without giving control back "
          "(`.result()`, a `with ThreadPoolExecutor()` block, time.sleep), so the reports "
          "could not run. Await the Future of loop.run_in_executor: the loop stays free.")
    check(w.spins < 200, f"run_with_progress kept the loop spinning: {w.spins} times select() "
          "returned at once with nothing to do. Polling is not allowed (a loop around "
          "`await minloop.sleep(0)` checking a queue?): hand each report to the loop with "
          "loop.call_soon_threadsafe and await the executor's Future.")
    timer = [i for i, _, _, last_wake, _ in reports if last_wake == "timer"]
    check(not timer, f"The report of step {timer and timer[0]} ran because a timer woke the "
          "loop (a Task that sleeps in a loop: polling, or keeping the loop awake). Don't poll: "
          "a report sent with loop.call_soon_threadsafe wakes the loop by itself.")
    check(w.timer_wakeups < 3, f"A timer woke the loop {w.timer_wakeups} times while the worker "
          "ran: a Task that sleeps in a loop (polling, or keeping the loop awake) is not needed "
          "and not allowed here: call_soon_threadsafe wakes the loop when there is something to do.")
    got, want = [(i, r) for i, r, *_ in reports], [(i, i * 11) for i in range(n)]
    k = next((k for k, (g, e) in enumerate(zip(got, want)) if g != e), min(len(got), n))
    check(got == want, f"The (i, result) reports of {n} steps, in order: the first wrong one "
          f"is number {k}, expected {want[k] if k < n else 'no more'}, got "
          f"{got[k] if k < len(got) else 'none'} ({len(got)} reports in all, the first "
          f"{min(len(got), 6)}: {got[:6]}). " + ex3_reports_hint(reports, n))
    check(obs["late"] is None, ex3_late_message(obs))
    check_equal(obs["returned_at"], n, "reports received when run_with_progress returned")
    check_equal(obs["results"], [i * 11 for i in range(n)], "the returned results")
''', id="ch09-067c")


md(r'''
### Exercise 1: run commands concurrently, at most `limit` at a time

Write `run_all(commands, limit)`: run every command (a list of arguments, for
`minloop.create_subprocess_exec`) with its stdout piped, at most `limit` children at the same
time, and return a list with one entry per command, in the order of `commands` (not the order
they finish): `(returncode, stdout_bytes)`, or, for a command that cannot even start
(`create_subprocess_exec` raises, say `FileNotFoundError` for a program that does not exist),
that exception itself. Use a `minloop.Semaphore(limit)` and
`minloop.gather(..., return_exceptions=True)`.

- A slot must be freed however its command ends, failure included.
- Wait for each child (a returncode of `None` means you did not), and read its output while
  you wait: a child can write more than a pipe holds (section 4's deadlock).
- No polling: the loop must be able to sleep in `select()` until something happens.

A note on names: `asyncio.gather`, `asyncio.Semaphore` or `asyncio.get_running_loop()` would
also work in these answers, because a running minloop loop registers itself with asyncio too
(as uvloop does), and asyncio's functions then find it as the running loop. Write minloop's
names anyway: the exercises are about the loop you built, and mixing hides which one you use.

The check runs 6 children that take different times and exit with codes and outputs in no
sorted order (one writes 400 kB), with limits 2 and 3, then a program that does not exist.
Through the loop's tracing hook it watches how many children run at once (never more than
`limit`, and really `limit`), whether a freed slot is taken at once by a waiting command,
whether a callback held the loop for long, and how often `select()` returned with nothing to
do (polling).
''', id="ch09-057c")


code(r'''
async def run_all(commands, limit):
    ### BEGIN SOLUTION
    sem = minloop.Semaphore(limit)

    async def one(argv):
        async with sem:                 # released however the block ends
            proc = await minloop.create_subprocess_exec(*argv, stdout=PIPE)
            out, _ = await proc.communicate()
            return proc.returncode, out

    return await minloop.gather(*(one(argv) for argv in commands), return_exceptions=True)
    ### END SOLUTION
''', id="ch09-058")


check(r'''
check(inspect.iscoroutinefunction(run_all), "run_all must be an `async def` function.")
n = len(EX1_COMMANDS)
for limit in (2, 3):
    obs = run_ex1(EX1_COMMANDS, limit)
    if not ex1_timing_ok(obs, n, limit):      # a busy machine stalls a loop once, a mistake
        obs = run_ex1(EX1_COMMANDS, limit)    # every time: measure again
    if "failed" in obs:
        raise obs["failed"]
    w = obs["watch"]
    check(w.spins < 1000, f"run_all kept the loop spinning: {w.spins} times select() returned at "
          "once with nothing to do. That is busy polling (a loop around `await minloop.sleep(0)` "
          "that checks proc.returncode?). Await what you wait for: proc.communicate().")
    check(w.most > 0 or w.longest_run < 0.2, "No child was watched by the loop, and a callback "
          f"held it for {w.longest_run:.2f} s: subprocess.run (or os.system) blocks the loop "
          "while the child runs. Use minloop.create_subprocess_exec.")
    check(w.longest_run < 0.2, f"A callback held the loop for {w.longest_run:.2f} s: the loop "
          "was blocked. Don't call time.sleep or subprocess.run in a coroutine.")
    check(not obs["timed_out"] or EX1_COMMANDS[EX1_BIG] not in w.children.values(),
          f"run_all did not finish in {obs['bound']} s: child {EX1_BIG}, which writes 400 kB, "
          "never exited. Its output filled the pipe and it blocks in write() until someone reads "
          "it all; nobody did: you wait for it to exit first (`await proc.wait()` before reading "
          "stdout?), or read only part of it (read(n) returns at most n bytes). Read while you "
          "wait, to the end: `await proc.communicate()` (section 4's deadlock).")
    check(not obs["timed_out"], f"run_all(<{n} commands>, limit={limit}) did not finish in "
          f"{obs['bound']} s: does it wait for something that never comes?")
    timed_out = [r for r in obs["results"] if isinstance(r, TimeoutError)] if isinstance(
        obs["results"], (list, tuple)) else []
    check(not timed_out, "run_all returned a TimeoutError for a child." +    # before the timer
          ex1_entry_hint(list(obs["results"])))                               # count: its cause
    check(w.timer_wakeups < 3, f"A timer woke the loop {w.timer_wakeups} times while the "
          f"children ran (limit={limit}): polling (a loop around `await minloop.sleep(...)` that "
          "checks proc.returncode or a counter, or around a wait_for with a short timeout), or "
          "a sleep you don't need. Nothing here needs a timer: await proc.communicate(), and "
          "let a Semaphore make the other commands wait.")
    check(w.most > 0, "No child was ever watched by the loop: the commands ran outside it "
          "(subprocess.run in run_in_executor or a thread: the loop never sees the child's pipes "
          "or its exit), or were not run at all (hard-coded results?). Use "
          "minloop.create_subprocess_exec.")
    results = obs["results"]
    check(not minloop.isfuture(results) and not inspect.isawaitable(results), "run_all "
          f"returned {type(results).__name__}, not the list: await the gather "
          "(`return await minloop.gather(...)`).")
    check(isinstance(results, (list, tuple)) and len(results) == n,
          f"run_all must return a list of {n} (returncode, stdout) pairs, got "
          f"{short(results) if isinstance(results, (list, tuple)) else results!r}.")
    results = list(results)
    check(all(isinstance(r, tuple) and len(r) == 2 for r in results), "Each entry must be a "
          f"(returncode, stdout) pair, got {short(results)!r}." + ex1_entry_hint(results))
    check(all(r[1] is not None for r in results), "The outputs are None: stdout was not piped, "
          f"so the children wrote to the kernel's own stdout ({obs['stdout_bytes']} bytes, "
          "caught by the check) and there was nothing to read. Pass stdout=PIPE "
          "(minloop.subprocess.PIPE) to create_subprocess_exec.")
    check(all(r[0] is not None for r in results), "A returncode is None: the child was not "
          "waited for. Await proc.communicate() or proc.wait() before reading returncode.")
    same = sorted(map(repr, results)) == sorted(map(repr, EX1_EXPECTED))
    check(not same or results == EX1_EXPECTED or results != sorted(EX1_EXPECTED), "The results "
          "are sorted, by returncode: not in the order of `commands`. gather keeps that order.")
    check(not same or results == EX1_EXPECTED, "The results are in the order the children "
          "finished (or another order), not in the order of `commands`: gather keeps it.")
    check_equal(short(results), short(EX1_EXPECTED), f"results with limit={limit}")
    check(w.most <= limit or obs["semaphores"] <= 1, f"With limit={limit}, the loop watched "
          f"{w.most} children at once: you made {obs['semaphores']} Semaphores, a new Semaphore "
          "for each command (`async with minloop.Semaphore(limit):` inside one()?), each with "
          "`limit` free slots of its own. Make one in run_all and share it among the commands.")
    check(w.most <= limit, f"With limit={limit}, the loop watched {w.most} children at once: "
          "more than the limit. Hold the Semaphore while the child runs (until it is waited).")
    check(w.most == limit or w.learner_tasks > 1, f"With limit={limit}, the children ran one "
          "at a time: each was awaited before the next started (an `await` in a for loop?). "
          "Start them all together (gather) and let the Semaphore limit them.")
    check(w.most == limit, f"With limit={limit}, at most {w.most} child(ren) ran at once, fewer "
          "than the limit, though all were started together: is your Semaphore made with "
          "`limit` (not a fixed number, not limit - 1)?")
    idle = longest_free_slot(w.child_events, n, limit)
    check(idle < 0.1, f"With limit={limit}, a slot stayed free for {idle:.2f} s while commands "
          "waited: when a child ended, the next command did not start at once. Fixed batches "
          "of `limit` that must all end first? Or a wait (a sleep) after the child's end? "
          "A Semaphore released once the child is waited for starts the next one at once.")
    check(obs["unreaped"] == 0, "Some children were never reaped (zombies).")
ex1_failing_command()
passed("Exercise 1")
''', id="ch09-061")


md(r'''
### Exercise 2: your own `to_thread`

Write `my_to_thread(func, *args, **kwargs)` with `loop.run_in_executor` (the default executor:
`None`), not with `to_thread` itself: run `func(*args, **kwargs)` in a worker thread and return
its *result* (or raise its exception). It must carry the caller's context variables into the
thread, as `asyncio.to_thread` does (`contextvars.copy_context()`, then run the function with
the context's `run` method), and must not block the loop while `func` runs: it awaits, it does
not poll, and two calls awaited together run at the same time. `functools.partial` helps:
`run_in_executor` takes positional arguments only.

The check calls it with a function that takes 0.15 s and notes its thread, watching the loop
meanwhile (was it blocked? did it spin?), then with positional and keyword arguments, with a
context variable to read in the thread, with a function that raises, and twice at once with
two calls that must meet at a barrier.
''', id="ch09-062")


code(r'''
async def my_to_thread(func, /, *args, **kwargs):
    ### BEGIN SOLUTION
    loop = minloop.get_running_loop()
    ctx = contextvars.copy_context()
    return await loop.run_in_executor(None, functools.partial(ctx.run, func, *args, **kwargs))
    ### END SOLUTION
''', id="ch09-063")


check(r'''
check(inspect.iscoroutinefunction(my_to_thread), "my_to_thread must be an `async def` function.")
got, watch = ex2_first_call()
check(watch.longest_run < 0.1, f"my_to_thread blocked the loop for {watch.longest_run:.2f} s "
      "while func ran in a worker thread: it waits for the result without giving control back "
      "(`.result()`, a `with ThreadPoolExecutor()` block, which waits for its jobs as it "
      "ends, time.sleep). Await the Future run_in_executor returns: the loop stays free.")
check(watch.spins < 30, f"The loop kept waking up while func ran ({watch.spins} times with "
      "nothing to do): busy polling (a loop around `await minloop.sleep(0)` that checks a "
      "thread or a Future). Await the Future of run_in_executor: its result wakes the loop "
      "through the self-pipe.")
check(watch.timer_wakeups == 0, f"A timer woke the loop {watch.timer_wakeups} time(s) while "
      "func ran: polling (a loop around `await minloop.sleep(...)`, or around wait_for or wait "
      "with a timeout, that checks a thread or a Future), however slowly. Nothing here needs a "
      "timer: await the Future of run_in_executor; its result wakes the loop through the "
      "self-pipe.")
check(not minloop.isfuture(got) and not inspect.isawaitable(got), "my_to_thread returned "
      f"{got!r}, not the function's result: await the Future run_in_executor returns.")
check_equal(got, "probe done", "my_to_thread(probe)")
got, _ = ex2_run(lambda: my_to_thread(lambda a, b, *, sep: f"{a}{sep}{b}", 1, 2, sep="+"))
check_equal(got, "1+2", "my_to_thread(fmt, 1, 2, sep='+')", "pass args and kwargs on")
seen, _ = ex2_run(lambda: my_to_thread(ex2_var.get))
check(seen != "unset", "The thread did not see the caller's context variables (it read "
      "'unset'): copy_context() in the caller and run func with ctx.run in the thread.")
check_equal(seen, "set by the caller", "the context variable read in the thread")
def boom():
    raise KeyError("from the thread")
async def catch():
    try:
        return await my_to_thread(boom)
    except KeyError:
        return "KeyError raised"
got, _ = ex2_run(catch)
check(got == "KeyError raised", f"my_to_thread(boom) returned {got!r} instead of raising the "
      "exception raised by func (KeyError): " + ("you returned the exception; " if isinstance(
      got, BaseException) else "you swallowed it (an `except` that prints, passes or returns "
      "something); ") + "let the exception of the Future propagate: `return await ...`.")
barrier = threading.Barrier(2, timeout=0.5)
try:
    ex2_run(lambda: minloop.gather(my_to_thread(barrier.wait), my_to_thread(barrier.wait)))
except CheckFailed as failed:
    check("BrokenBarrierError" not in str(failed), "Two calls awaited together did not run "
          "at the same time, although the loop stayed free: the second func waited for the "
          "first to end. A pool with a single worker? Use the default executor: "
          "loop.run_in_executor(None, ...).")
    raise
passed("Exercise 2")
''', id="ch09-064")


md(r'''
### Exercise 3: a worker thread that reports progress

Write `run_with_progress(steps, on_progress)`: run the blocking functions `steps` one after
another in *one* worker thread (a single `run_in_executor` call, with a function of your own
that loops over them), and after each step `i`, get `on_progress(i, result)` called **in the
loop's thread**, while the worker goes on. Return the list of results.

The loop may be asleep in `select()` when a report comes: use the method that wakes it.
Polling is not allowed: no loop around `await minloop.sleep(...)` that checks a queue, and no
Task that keeps the loop awake with a timer. The loop must sleep until a report wakes it.

The check runs two rounds. In the first, 4 steps take 30 ms each and wait, each for the report
of the step before it, at most 0.3 s: a report that does not wake the loop arrives too late.
In the second, 50 quick steps do not wait: the worker runs ahead of the loop, so a report that
reads its values late, or merges with the next one, shows. It also checks the threads the
steps and `on_progress` run in, whether the loop was blocked, what woke it when a report ran
(a timer means polling), and that every report arrives, in order, before
`run_with_progress` returns.
''', id="ch09-065")


code(r'''
async def run_with_progress(steps, on_progress):
    ### BEGIN SOLUTION
    loop = minloop.get_running_loop()

    def work():
        results = []
        for i, step in enumerate(steps):
            result = step()
            results.append(result)
            loop.call_soon_threadsafe(on_progress, i, result)
        return results

    return await loop.run_in_executor(None, work)
    ### END SOLUTION
''', id="ch09-066")


check(r'''
check(inspect.iscoroutinefunction(run_with_progress), "run_with_progress must be `async def`.")
obs = run_ex3(4)                            # 30 ms steps, each waits for the report before it
if obs["watch"].longest_run >= 0.2:         # a busy machine stalls a loop once: measure again
    obs = run_ex3(4)
ex3_verify(obs, 4)
ex3_verify(run_ex3(50, wait=False), 50)     # quick steps: the worker runs ahead of the loop
passed("Exercise 3")
''', id="ch09-068")


md(r'''
**Next:** chapter 10 is about what goes wrong: cancellation, timeouts and TaskGroups,
exceptions nobody retrieved, the exception handler and debug mode.
''', id="ch09-069")


if __name__ == "__main__":
    nb.write()
