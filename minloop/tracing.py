"""A record of what the loop does at each phase of ``_run_once`` (minloop only).

CPython has no such hook (its debug mode logs slow callbacks, nothing more). minloop's loop
calls ``loop._tracer(phase, loop, **info)`` after each phase when a tracer is attached, and
never otherwise: with no tracer the cost is one ``is not None`` test per phase and per handle.

1. A Tracer turns each call into a *snapshot*: plain strings, numbers and lists, JSON-ready,
   holding no reference to the loop's objects. The stepper widget, the text trace and the
   timeline plot are all views of ``tracer.steps``, so none of them can drift from the loop.
2. Phases, in order: purge, timeout, select, process_events, timers, then one ``run`` per
   Handle run (snapshotted *before* it runs: the Handle has left ``_ready``), then ``end``.
3. Names: a Task's step is shown as ``Task-1.__step``, its wake-up as ``Task-1.__wakeup``,
   other callbacks by their qualified name.
4. ``phase_marks()`` finds the ``# (1)`` ... ``# (6)`` comments that mark the phases in the
   source of ``_run_once``: the one parser of that interface, used by the stepper (which
   highlights the phase's lines) and by images/make_images.py (which draws the phases).
"""

import contextlib
import functools
import inspect
import io
import itertools
import re
import selectors
import weakref

from . import events, tasks
from .clock import VirtualClock

__all__ = ("Tracer", "trace_run", "callback_name", "PHASES", "phase_marks")

PHASES = ("purge", "timeout", "select", "process_events", "timers", "run", "end")


# ---------------------------------------------------------------- the phase comments

# `_run_once` marks the first line of each phase with a comment "# (k) <what it does>",
# k = 1..N_RUN_ONCE_PHASES, in order; PHASES[k - 1] is the name its trace call uses.
PHASE_COMMENT = re.compile(r"^\s*#\s*\((\d+)\)\s*(.*)$")
N_RUN_ONCE_PHASES = 6


def run_once_source():
    """The source of BaseEventLoop._run_once, as one string."""
    from .base_events import BaseEventLoop
    return inspect.getsource(BaseEventLoop._run_once)


def phase_marks(source=None):
    """``[(line_index, k, text)]``: the 0-based index in ``source`` (default: _run_once's
    source; a string or a list of lines) of each phase comment ``# (k) text``, in order.
    Raises ValueError unless ``# (1)`` ... ``# (6)`` each appear exactly once, in order."""
    if source is None:
        source = run_once_source()
    lines = source.splitlines() if isinstance(source, str) else list(source)
    marks = []
    for i, line in enumerate(lines):
        m = PHASE_COMMENT.match(line)
        if m:
            marks.append((i, int(m.group(1)), m.group(2).strip()))
    found = [k for _, k, _ in marks]
    expected = list(range(1, N_RUN_ONCE_PHASES + 1))
    if found != expected:
        missing = sorted(set(expected) - set(found))
        raise ValueError(
            "BaseEventLoop._run_once must mark its phases with the comments '# (1)' ... "
            f"'# ({N_RUN_ONCE_PHASES})', once each and in order; found {found or 'none'}"
            + (f", missing {', '.join(f'({k})' for k in missing)}" if missing else "")
            + ". The stepper (minloop/viz/stepper.py) and images/make_images.py read them.")
    return marks


def callback_name(callback):
    """A short, stable name for a callback: 'Task-1.__step', 'on_read', 'Future.set_result',
    'partial(_release_waiter)'."""
    if isinstance(callback, functools.partial):
        return f"partial({callback_name(callback.func)})"
    owner = getattr(callback, "__self__", None)
    func = getattr(callback, "__func__", callback)
    name = getattr(func, "__name__", None) or type(func).__name__
    if isinstance(owner, tasks.Task):
        return f"{owner.get_name()}.{name}"
    return getattr(func, "__qualname__", name)


_SIMPLE = (str, int, float, bool, type(None))


def handle_name(handle):
    """The callback's name, with its arguments when they are short plain values:
    'say('P')', 'Task-1.__step', 'Future.set_result'."""
    if handle is None:
        return None
    if handle._callback is None:
        return "<cancelled>"
    name = callback_name(handle._callback)
    args = handle._args or ()
    if args and all(isinstance(a, _SIMPLE) and len(repr(a)) <= 12 for a in args):
        name += "(" + ", ".join(map(repr, args)) + ")"
    return name


def future_name(fut, numbers=None):
    """'Task-2' for a Task; else the Future's class name, numbered in order of first sight
    when a ``numbers`` map is given ('Future#1', '_GatheringFuture#2'), so two Futures
    in one trace can be told apart. ``numbers`` maps Future -> number, and its entry
    ``numbers.counter`` counts up: a number is never given twice, even after a Future dies."""
    if fut is None:
        return None
    if isinstance(fut, tasks.Task):
        return fut.get_name()
    if numbers is None:
        return type(fut).__name__
    if fut not in numbers:
        numbers[fut] = next(numbers.counter)
    return f"{type(fut).__name__}#{numbers[fut]}"


class _Numbers(weakref.WeakKeyDictionary):
    """Future -> number, from a counter that never goes back (len() would, as Futures die)."""

    def __init__(self):
        super().__init__()
        self.counter = itertools.count(1)


def _task_of(handle):
    """The Task whose __step/__wakeup this Handle will call, if any."""
    if handle is None or handle._callback is None:
        return None
    owner = getattr(handle._callback, "__self__", None)
    return owner if isinstance(owner, tasks.Task) else None


class Tracer:
    """Attach with ``Tracer().attach(loop)``; read ``tracer.steps`` afterwards.

    ``output``: a StringIO the program prints into (trace_run sets this up); each snapshot
    records how much of it existed at that moment (``output_len``)."""

    def __init__(self, output=None):
        self.steps = []
        self.output = output
        self.iteration = 0
        # Every Task seen, in order of first sight, as [task, final_info]. Once a Task is
        # done its row cannot change: we keep the row and drop the Task, so tracing does
        # not keep finished Tasks (and their unretrieved exceptions) alive.
        self._tasks = []
        self._seen = weakref.WeakSet()
        self._future_numbers = _Numbers()                    # Future -> its number
        self._timer_names = weakref.WeakKeyDictionary()      # TimerHandle -> name while live

    def attach(self, loop):
        loop._tracer = self
        return self

    # ------------------------------------------------------------ the hook

    def __call__(self, phase, loop, *, handle=None, timeout=None, events=None):
        # (`events` is the name _run_once passes: the (key, mask) list select() returned.)
        if phase == "purge":
            self.iteration += 1
        for h in loop._ready:                 # new Tasks first appear as a __step in _ready
            self._see(_task_of(h))
        self._see(_task_of(handle))
        running = _task_of(handle) if phase == "run" else None
        snap = {
            "step": len(self.steps),
            "iteration": self.iteration,
            "phase": phase,
            "time": loop.time(),
            "ready": [handle_name(h) for h in loop._ready],
            "scheduled": [{"when": h._when, "callback": self._timer_name(h),
                           "cancelled": h._cancelled} for h in loop._scheduled],
            "selector": self._selector_map(loop),
            "handle": handle_name(handle) if phase == "run" else None,
            "tasks": [self._task_row(entry, running, self._future_numbers)
                      for entry in self._tasks],
            "output_len": len(self.output.getvalue()) if self.output is not None else 0,
        }
        if phase == "timeout":
            snap["timeout"] = timeout
        if phase == "select":
            snap["events"] = [{"fd": key.fd, "mask": _mask_name(mask)} for key, mask in events]
        self.steps.append(snap)

    # ------------------------------------------------------------ pieces of a snapshot

    def _see(self, task):
        if task is not None and task not in self._seen:
            self._seen.add(task)
            self._tasks.append([task, None])

    def _timer_name(self, handle):
        # Cancelling a Handle drops its callback; remember the name it had while live.
        if not handle._cancelled:
            self._timer_names[handle] = handle_name(handle)
        return self._timer_names.get(handle, "<cancelled>")

    def _task_row(self, entry, running, numbers):
        task, final = entry
        if final is not None:
            return final
        row = self._task_info(task, running, numbers)
        if row["state"] in ("done", "cancelled", "failed"):
            entry[:] = [None, row]
        return row

    @staticmethod
    def _selector_map(loop):
        if loop._selector is None:
            return []
        internal = loop._ssock.fileno() if loop._ssock is not None else None
        rows = []
        for key in loop._selector.get_map().values():
            reader, writer = key.data
            rows.append({"fd": key.fd, "events": _mask_name(key.events),
                         "reader": handle_name(reader), "writer": handle_name(writer),
                         "internal": key.fd == internal})
        return sorted(rows, key=lambda r: r["fd"])

    @staticmethod
    def _task_info(task, running, numbers=None):
        if task is running:
            state = "running"
        elif task.cancelled():
            state = "cancelled"
        elif task.done():
            state = "failed" if task._exception is not None else "done"
        elif task._fut_waiter is not None and not task._fut_waiter.done():
            state = "waiting"   # (once the Future is done, its __wakeup is queued: ready)
        else:
            state = "ready"
        return {"name": task.get_name(), "state": state,
                "waiting_on": (future_name(task._fut_waiter, numbers)
                               if state == "waiting" else None),
                "coro": getattr(task._coro, "__qualname__", "?")}

    # ------------------------------------------------------------ views

    def output_at(self, step):
        """What the program had printed when snapshot ``step`` was taken."""
        if self.output is None:
            return ""
        return self.output.getvalue()[:self.steps[step]["output_len"]]

    def text(self, phases=("run",)):
        """A readable trace: one line per snapshot of the given phases."""
        return "\n".join(format_step(s) for s in self.steps if s["phase"] in phases)


def _mask_name(mask):
    return ("r" if mask & selectors.EVENT_READ else "") + ("w" if mask & selectors.EVENT_WRITE else "")


def format_step(s):
    """One line per snapshot, fixed prefixes so traces can be read and diffed."""
    head = f"[{s['iteration']:>3}] t={s['time']:<7.3f} {s['phase']:<14}"
    if s["phase"] == "run":
        return f"{head} {s['handle']}"
    if s["phase"] == "timeout":
        return f"{head} timeout={s['timeout']}"
    if s["phase"] == "select":
        return f"{head} events={[(e['fd'], e['mask']) for e in s['events']]}"
    return f"{head} ready={s['ready']} timers={len(s['scheduled'])}"


def trace_run(main, *, clock=None, name=None):
    """Run coroutine ``main`` like minloop.run(), on a VirtualClock by default, with a Tracer
    attached and print() captured. Returns ``(result, tracer)``; the printed text is in
    ``tracer.output.getvalue()``. ``name`` names the main Task (default: 'Task-N')."""
    if not tasks.iscoroutine(main):
        raise ValueError(f"a coroutine was expected, got {main!r}")
    buf = io.StringIO()
    tracer = Tracer(output=buf)
    loop = events.new_event_loop(clock=VirtualClock() if clock is None else clock)
    tracer.attach(loop)
    with contextlib.redirect_stdout(buf):
        result = _run_on(loop, main, name)
    return result, tracer


def _run_on(loop, main, name=None):
    # Like run(), on a loop we made ourselves so the tracer is attached from the very first
    # phase; the record ends with the program: run()'s clean-up is not traced.
    from .runners import _clean_up
    try:
        return loop.run_until_complete(loop.create_task(main, name=name))
    finally:
        loop._tracer = None
        try:
            _clean_up(loop)
        finally:
            loop.close()

