"""The waiting-on tree: what is my program waiting on? (minloop's version of CPython 3.14's
asyncio/graph.py and ``python -m asyncio pstree``.)

1. A suspended Task is not in any queue: it is a done-callback on the Future it awaits
   (``task._fut_waiter``). So "what is everyone waiting on" is a walk over Futures and
   their callbacks: a Task waits on its ``_fut_waiter``; a gather's outer Future waits on its
   children; and a Future is awaited by whoever its done-callbacks would wake (a Task's
   ``__wakeup``, wait_for's waiter, gather's or shield's outer Future, a TaskGroup's parent).
2. ``capture_call_graph()`` / ``format_call_graph()`` / ``print_call_graph()`` have 3.14's
   names and shape: from one Future *up* to everything that awaits it ("awaited by"), with
   each Task's coroutine stack. ``waiting_tree()`` / ``format_waiting_tree()`` go the other
   way, *down* from every Task no one awaits, to the Futures at the bottom, and say for
   each bottom Future what in the loop could complete it: a timer, a ready callback, a
   file descriptor, or nothing at all. "Nothing at all" on every branch is a stuck program
   (a deadlock, a forgotten ``set_result``); ``minloop.viz.waiting`` draws the same tree.
3. Deterministic text: Tasks by name, other Futures numbered in order of first sight
   (``Future#1``), coroutine frames as ``name():line`` (no line for frames inside minloop or
   asyncio, whose line numbers are not the reader's), times on the loop's clock.

What CPython 3.14 does differently: its Future keeps an explicit ``_asyncio_awaited_by`` set,
filled by Task, gather, shield and TaskGroup as they start waiting (and readable from
another process by ``python -m asyncio ps/pstree``, through the interpreter's memory).
minloop has no such set: it reads the done-callbacks, which say the same thing for the
callbacks it knows (listed in ``_awaiters``). 3.14 prints ``id=0x...`` and file names; minloop
prints neither, so notebook outputs reproduce. 3.14's ``limit`` argument is left out.
"""

import dataclasses
import functools
import os
import re
import sys
import types

from . import events, futures, tasks

__all__ = ("capture_call_graph", "format_call_graph", "print_call_graph",
           "FrameCallGraphEntry", "FutureCallGraph",
           "WaitNode", "waiting_tree", "format_waiting_tree", "print_waiting_tree")

_HERE = os.path.dirname(os.path.abspath(__file__))
_ASYNCIO = os.path.dirname(os.path.abspath(sys.modules["asyncio"].__file__))


# ---------------------------------------------------------------- 3.14's data shapes

@dataclasses.dataclass(frozen=True, slots=True)
class FrameCallGraphEntry:
    frame: types.FrameType


@dataclasses.dataclass(frozen=True, slots=True)
class FutureCallGraph:
    future: futures.Future
    call_stack: tuple          # FrameCallGraphEntry, innermost frame first (as 3.14)
    awaited_by: tuple          # FutureCallGraph of each awaiter


# ---------------------------------------------------------------- who awaits a Future

def _awaiters(fut):
    """The objects ``fut``'s done-callbacks would wake, in callback order: Tasks (their
    ``__wakeup``), and Futures that wait on ``fut`` (wait_for's waiter, gather's and
    shield's outer Future, wait()'s waiter, a TaskGroup's completion Future)."""
    found = []
    for callback, _ctx in fut._callback_list():
        for obj in _woken_by(callback):
            if obj is not None and obj is not fut and obj not in found:
                found.append(obj)
    return found


def _woken_by(callback):
    owner = getattr(callback, "__self__", None)
    func = getattr(callback, "__func__", callback)
    name = getattr(func, "__name__", "")
    if isinstance(owner, futures.Future) and name.endswith("__wakeup"):
        return [owner]                                   # a Task waiting on us
    if owner is not None and name == "_on_task_done" and hasattr(owner, "_parent_task"):
        # A TaskGroup's child: its parent awaits it, through the group's completion
        # Future while the parent sits in __aexit__ (3.14: future_add_to_awaited_by).
        done_fut = owner._on_completed_fut
        if done_fut is not None and not done_fut.done():
            return [done_fut]
        return [owner._parent_task]
    if isinstance(callback, functools.partial):
        # wait_for: partial(_release_waiter, waiter); _cancel_and_wait likewise.
        return [a for a in callback.args if futures.isfuture(a)]
    code = getattr(func, "__code__", None)
    if code is not None and func.__closure__:
        # gather's and shield's outer Future ('outer'), wait()'s 'waiter': by name, since a
        # closure may also hold Futures it does *not* wait on (shield's other callback).
        cells = dict(zip(code.co_freevars, func.__closure__))
        out = []
        for var in ("outer", "waiter"):
            cell = cells.get(var)
            try:
                value = cell.cell_contents if cell is not None else None
            except ValueError:      # an empty cell
                value = None
            if futures.isfuture(value):
                out.append(value)
        return out
    return []


def _group_of(task):
    """The TaskGroup a Task belongs to (by its done-callback), or None."""
    for callback, _ctx in task._callback_list():
        owner = getattr(callback, "__self__", None)
        if getattr(callback, "__name__", "") == "_on_task_done" and hasattr(owner, "_parent_task"):
            return owner
    return None


def _waits_on(fut):
    """What ``fut`` itself waits on, looking down: a Task's ``_fut_waiter``, the children of
    a gather's outer Future."""
    out = []
    waiter = getattr(fut, "_fut_waiter", None)
    if waiter is not None and not waiter.done():
        out.append(waiter)
    for child in getattr(fut, "_children", None) or ():
        if not child.done() and child not in out:
            out.append(child)
    return out


# ---------------------------------------------------------------- coroutine stacks

def _coro_frames(coro):
    """The frames of a suspended coroutine chain, outermost first (cr_await, as 3.14)."""
    frames = []
    while coro is not None:
        if hasattr(coro, "cr_frame"):
            frame, nxt = coro.cr_frame, coro.cr_await
        elif hasattr(coro, "ag_frame"):
            frame, nxt = coro.ag_frame, coro.ag_await
        elif hasattr(coro, "gi_frame"):
            frame, nxt = coro.gi_frame, coro.gi_yieldfrom
        else:
            break
        if frame is None:
            break
        if frame.f_code.co_name != "__await__":     # a Future's __await__: not the reader's
            frames.append(frame)
        coro = nxt
    return frames


def _frame_label(frame):
    code = frame.f_code
    name = getattr(code, "co_qualname", code.co_name)
    filename = os.path.abspath(code.co_filename)
    if filename.startswith(_HERE + os.sep) or filename.startswith(_ASYNCIO + os.sep):
        return f"{name}()"
    return f"{name}():{frame.f_lineno}"


def _current_frames(task, depth):
    """The running Task's coroutine frames, outermost first: from the caller up to the
    frame of the Task's own coroutine."""
    frames = []
    target = getattr(task.get_coro(), "cr_frame", None)
    f = sys._getframe(depth + 1)
    while f is not None:
        frames.append(f)
        if f is target:
            break
        f = f.f_back
    else:
        frames = []
    frames.reverse()
    return frames


# ---------------------------------------------------------------- 3.14's API

def _build_graph_for_future(fut, seen):
    if not futures.isfuture(fut):
        raise TypeError(f"{fut!r} object does not appear to be compatible with asyncio.Future")
    stack = []
    get_coro = getattr(fut, "get_coro", None)
    if get_coro is not None:
        stack = [FrameCallGraphEntry(f) for f in reversed(_coro_frames(get_coro()))]
    seen = seen | {id(fut)}
    awaited_by = tuple(_build_graph_for_future(a, seen) for a in _awaiters(fut)
                       if id(a) not in seen)
    return FutureCallGraph(fut, tuple(stack), awaited_by)


def capture_call_graph(future=None, /, *, depth=1):
    """The graph from ``future`` (default: the current Task) up through what awaits it.
    Returns None when no Future is given and no Task is running."""
    loop = events._get_running_loop()
    if future is not None:
        if loop is None or future is not tasks.current_task(loop):
            return _build_graph_for_future(future, frozenset())
    else:
        if loop is None:
            raise RuntimeError("capture_call_graph() is called outside of a running event "
                               "loop and no *future* to introspect was provided")
        future = tasks.current_task(loop)
    if future is None:
        return None
    stack = tuple(FrameCallGraphEntry(f) for f in reversed(_current_frames(future, depth)))
    awaited_by = tuple(_build_graph_for_future(a, frozenset({id(future)}))
                       for a in _awaiters(future))
    return FutureCallGraph(future, stack, awaited_by)


def format_call_graph(future=None, /, *, depth=1):
    """3.14's text rendering of capture_call_graph(), without ids and file names."""
    graph = capture_call_graph(future, depth=depth + 1)
    if graph is None:
        return ""
    names = _Names()
    lines = []

    def render(node, level):
        pad = "    " * level
        lines.append(f"{pad}* {names.describe(node.future)}")
        if node.call_stack:
            lines.append(f"{pad}  + Call stack:")
            for entry in node.call_stack:
                lines.append(f"{pad}  |   in async {_frame_label(entry.frame)}")
        if node.awaited_by:
            lines.append(f"{pad}  + Awaited by:")
            for parent in node.awaited_by:
                render(parent, level + 1)

    try:
        render(graph, 0)
        return "\n".join(lines)
    finally:
        del graph   # it holds frames


def print_call_graph(future=None, /, *, file=None, depth=1):
    print(format_call_graph(future, depth=depth + 1), file=file)


# ---------------------------------------------------------------- the waiting-on tree

@dataclasses.dataclass
class WaitNode:
    """One node of the waiting-on tree, made of plain strings (a snapshot: it keeps no
    reference to the loop's objects).

    kind: 'task', 'future' or 'repeat' (a node shown already, elsewhere in the tree).
    state: a Task's 'running', 'ready' or 'waiting'; for a bottom Future, 'timer', 'ready',
    'io' (something in the loop refers to it) or 'stuck' (nothing does).
    """
    kind: str
    label: str
    state: str = ""
    note: str = ""
    children: list = dataclasses.field(default_factory=list)


class _Names:
    """Tasks by name; other Futures numbered in order of first sight."""

    def __init__(self):
        self._numbers = {}

    def name(self, fut):
        if isinstance(fut, tasks.Task):
            return f"Task {fut.get_name()!r}"
        n = self._numbers.setdefault(id(fut), len(self._numbers) + 1)
        return f"{type(fut).__name__}#{n}"

    def describe(self, fut):
        if isinstance(fut, tasks.Task):
            return f"Task(name={fut.get_name()!r})"
        return self.name(fut)


def _natural(task):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", task.get_name())]


def _refers_to(callback, args, fut):
    """Does this callback (with these args) hold ``fut`` directly?"""
    if any(a is fut for a in args):
        return True
    if getattr(callback, "__self__", None) is fut:
        return True
    if isinstance(callback, functools.partial):
        return _refers_to(callback.func, callback.args, fut)
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            if cell.cell_contents is fut:
                return True
        except ValueError:
            pass
    return False


def _loop_referrers(loop, fut):
    """What in the loop could complete ``fut``: (state, note) or ('stuck', ...)."""
    for h in sorted(loop._scheduled, key=lambda h: h._when):
        if not h._cancelled and _refers_to(h._callback, h._args or (), fut):
            return "timer", f"a timer at t={h._when:.3f} will call {_callback_name(h._callback)}"
    for h in loop._ready:
        if not h._cancelled and _refers_to(h._callback, h._args or (), fut):
            return "ready", f"the ready queue will call {_callback_name(h._callback)}"
    selector = getattr(loop, "_selector", None)
    if selector is not None:
        for key in selector.get_map().values():
            for h in key.data if isinstance(key.data, tuple) else ():
                if h is not None and not h._cancelled and _refers_to(h._callback, h._args or (), fut):
                    return "io", f"fd {key.fd} is watched by {_callback_name(h._callback)}"
    return "stuck", "nothing in the loop refers to it: only a Task can complete it"


def _callback_name(callback):
    if isinstance(callback, functools.partial):
        return f"partial({_callback_name(callback.func)})"
    func = getattr(callback, "__func__", callback)
    return getattr(func, "__qualname__", type(func).__name__)


def _timeouts_of(loop, task):
    """Notes for the Timeouts (timeout()/timeout_at()) armed on ``task``."""
    notes = []
    for h in sorted(loop._scheduled, key=lambda h: h._when):
        owner = getattr(h._callback, "__self__", None)
        if not h._cancelled and getattr(owner, "_task", None) is task:
            notes.append(f"a timeout at t={h._when:.3f} will cancel it")
    return notes


def waiting_tree(loop=None):
    """The waiting-on tree of ``loop`` (default: the running loop): a list of WaitNode roots,
    one per Task that no one awaits, each down to the Futures at the bottom."""
    if loop is None:
        loop = events.get_running_loop()
    running = tasks._current_tasks.get(loop)
    pending = sorted(tasks.all_tasks(loop), key=_natural)

    # Edges "a waits on b", from both directions: down (a Task's _fut_waiter, gather's
    # children) and up (the done-callbacks of every Future met).
    down = {}        # id(awaiter) -> [awaited, ...] in order of discovery
    objs = {}        # id -> the object (ids stay valid: every object is held here)
    has_parent = set()
    todo = list(pending)
    while todo:
        fut = todo.pop(0)
        if id(fut) in objs:
            continue
        objs[id(fut)] = fut
        edges = [(fut, w) for w in _waits_on(fut)] + [(a, fut) for a in _awaiters(fut)]
        for a, b in edges:
            kids = down.setdefault(id(a), [])
            if all(k is not b for k in kids):
                kids.append(b)
            has_parent.add(id(b))
            todo.extend(x for x in (a, b) if id(x) not in objs)

    names = _Names()
    shown = set()

    def build(fut):
        if id(fut) in shown:
            return WaitNode("repeat", names.name(fut), note="shown above")
        shown.add(id(fut))
        label = names.name(fut)      # numbered before the children: top-down order
        # Children in the order the node itself names them (gather's argument order), then
        # the others (a TaskGroup's Tasks) by name.
        own = _waits_on(fut)
        found = down.get(id(fut), [])
        rest = [k for k in found if all(k is not o for o in own)]
        rest.sort(key=lambda k: (not isinstance(k, tasks.Task),
                                 _natural(k) if isinstance(k, tasks.Task) else []))
        kids = [build(k) for k in [o for o in own if any(o is k for k in found)] + rest]
        if isinstance(fut, tasks.Task):
            frames = _coro_frames(fut.get_coro())
            where = " > ".join(_frame_label(f) for f in frames)
            if fut is running:
                state = "running"
            elif fut._fut_waiter is not None and not fut._fut_waiter.done():
                state = "waiting"
            else:
                state = "ready"
            notes = _timeouts_of(loop, fut)
            label += f" at {where}" if where and state != "running" else ""
            return WaitNode("task", label, state, "; ".join(notes), kids)
        if type(fut).__name__ == "_GatheringFuture":
            label += " (gather)"
        elif any(_group_of(k) is not None and _group_of(k)._on_completed_fut is fut
                 for k in found):
            label += " (TaskGroup exit)"
        state, note = _loop_referrers(loop, fut)
        if kids:
            # A Future others wait through (wait_for's waiter) may have its own timer.
            if state != "timer":
                state, note = "", ""
            return WaitNode("future", label, state, note, kids)
        return WaitNode("future", label, state, note, [])

    roots = [fut for fut in objs.values() if id(fut) not in has_parent]
    roots.sort(key=lambda f: (not isinstance(f, tasks.Task),
                              _natural(f) if isinstance(f, tasks.Task) else []))
    return [build(r) for r in roots]


def format_waiting_tree(loop=None, roots=None):
    """The waiting-on tree as text: one line per node, a summary line at the end."""
    if roots is None:
        roots = waiting_tree(loop)
    lines = []

    def line_of(node):
        text = node.label
        if node.kind == "task":
            text += f"  [{node.state}]"
        if node.note:
            text += f"  <- {node.note}"
        return text

    def walk(node, prefix, last):
        lines.append(prefix + ("└── " if last else "├── ") + line_of(node))
        child_prefix = prefix + ("    " if last else "│   ")
        for i, kid in enumerate(node.children):
            walk(kid, child_prefix, i == len(node.children) - 1)

    for root in roots:
        lines.append(line_of(root))
        for i, kid in enumerate(root.children):
            walk(kid, "", i == len(root.children) - 1)
    lines.append(_summary(roots))
    return "\n".join(lines)


def _leaves(node):
    if not node.children:
        yield node
    for kid in node.children:
        yield from _leaves(kid)


def _summary(roots):
    leaves = [leaf for root in roots for leaf in _leaves(root)]
    if not roots:
        return "(no Tasks)"
    if any(leaf.kind == "task" and leaf.state == "ready" for leaf in leaves):
        return "some Task can run now"
    timed = [node for root in roots for node in _walk_all(root)
             if node.kind != "task" and node.state in ("timer", "ready", "io")]
    timeouts = [n for root in roots for n in _walk_all(root) if "timeout" in n.note]
    if timed or timeouts:
        return "waiting: the loop will wake someone (a timer, a callback or IO)"
    return "STUCK: every Task waits on a Future that nothing in the loop will complete"


def _walk_all(node):
    yield node
    for kid in node.children:
        yield from _walk_all(kid)


def print_waiting_tree(loop=None, *, file=None):
    print(format_waiting_tree(loop), file=file)
