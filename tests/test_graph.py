"""minloop.graph: the waiting-on tree and 3.14's call-graph API, as deterministic text, on
virtual time; and its picture (minloop.viz.waiting)."""

import re

import pytest

import minloop
from minloop import graph

pytestmark = pytest.mark.timeout(20)

with open(__file__, encoding="utf-8") as _f:
    _SOURCE = _f.read().splitlines()


def line(mark):
    """The line number of the one line of this file that ends with ``# <mark>``."""
    found = [i + 1 for i, text in enumerate(_SOURCE) if text.endswith(f"# <{mark}>")]
    assert len(found) == 1, mark
    return found[0]


def stuck_loop(main):
    """Run ``main`` on a virtual clock until the loop says it would block forever; return
    the loop, still holding its Tasks (closed by the caller via finish())."""
    loop = minloop.new_event_loop(clock=minloop.VirtualClock())
    task = loop.create_task(main(), name="main")
    with pytest.raises(RuntimeError, match="would block forever"):
        loop.run_until_complete(task)
    return loop


def run_named(main):
    """Run ``main()`` to the end on a virtual clock, as a Task named 'main'."""
    loop = minloop.new_event_loop(clock=minloop.VirtualClock())
    try:
        return loop.run_until_complete(loop.create_task(main(), name="main"))
    finally:
        loop.close()


def numbered(text):
    """Default Task names count up over the whole test session: 'Task-N'."""
    return re.sub(r"Task-\d+", "Task-N", text)


def finish(loop):
    for t in minloop.all_tasks(loop):
        t.cancel()
    loop.run_until_complete(minloop.sleep(0))
    loop.close()


async def worker(mine, theirs):
    await mine                  # <worker>
    theirs.set_result(None)


def test_deadlock_tree_names_every_waiter_and_says_stuck():
    async def main():
        loop = minloop.get_running_loop()
        a, b = loop.create_future(), loop.create_future()
        async with minloop.TaskGroup() as tg:  # <tg-exit>
            tg.create_task(worker(a, b), name="left")
            tg.create_task(worker(b, a), name="right")
    loop = stuck_loop(main)
    try:
        assert graph.format_waiting_tree(loop) == "\n".join([
            "Task 'main' at test_deadlock_tree_names_every_waiter_and_says_stuck.<locals>"
            f".main():{line('tg-exit')} > TaskGroup.__aexit__()  [waiting]",
            "└── Future#1 (TaskGroup exit)",
            f"    ├── Task 'left' at worker():{line('worker')}  [waiting]",
            "    │   └── Future#2  <- nothing in the loop refers to it: only a Task can complete it",
            f"    └── Task 'right' at worker():{line('worker')}  [waiting]",
            "        └── Future#3  <- nothing in the loop refers to it: only a Task can complete it",
            "STUCK: every Task waits on a Future that nothing in the loop will complete",
        ])
    finally:
        finish(loop)


def test_tree_follows_gather_wait_for_shield_timers_and_timeouts():
    seen = []

    async def sleeper(d):
        await minloop.sleep(d)

    async def watch():
        await minloop.sleep(1)
        seen.append(graph.format_waiting_tree())

    async def main():
        minloop.create_task(watch(), name="watch")
        inner = minloop.create_task(sleeper(3), name="inner")
        shielded = minloop.create_task(sleeper(4), name="shielded")
        async with minloop.timeout(9):
            await minloop.gather(minloop.wait_for(inner, 5), minloop.shield(shielded))  # <gather>

    run_named(main)
    lines = numbered(seen[0]).splitlines()
    # Top-down: main -> gather -> (wait_for's Task -> waiter -> inner -> timer), (shield's
    # outer -> shielded -> timer); the watcher is running; numbers in order of sight.
    assert lines[0] == ("Task 'main' at test_tree_follows_gather_wait_for_shield_timers_and_"
                        f"timeouts.<locals>.main():{line('gather')}  [waiting]  <- a timeout at t=9.000 will cancel it")
    assert [l.split(" at ")[0].split("  <-")[0] for l in lines[1:]] == [
        "└── _GatheringFuture#1 (gather)",
        "    ├── Task 'Task-N'",
        "    │   └── Future#2",
        "    │       └── Task 'inner'",
        "    │           └── Future#3",
        "    └── Future#4",
        "        └── Task 'shielded'",
        "            └── Future#5",
        "Task 'watch'  [running]",
        "waiting: the loop will wake someone (a timer, a callback or IO)",
    ]
    assert "Future#3  <- a timer at t=3.000 will call _set_result_unless_cancelled" in seen[0]
    assert "Future#5  <- a timer at t=4.000" in seen[0]
    assert "Task 'Task-N' at wait_for()  [waiting]" in numbered(seen[0])


def test_a_ready_task_and_a_ready_callback_are_not_stuck():
    out = []

    async def main():
        loop = minloop.get_running_loop()
        t = minloop.create_task(minloop.sleep(0), name="fresh")
        out.append(graph.format_waiting_tree())
        await t
        fut = loop.create_future()
        loop.call_soon(lambda: out.append(graph.format_waiting_tree()))
        loop.call_soon(fut.set_result, 1)
        await fut  # <await-fut>
    run_named(main)
    assert out[0].splitlines() == ["Task 'fresh' at sleep()  [ready]",
                                   "Task 'main'  [running]",
                                   "some Task can run now"]
    assert out[1].splitlines() == [
        "Task 'main' at test_a_ready_task_and_a_ready_callback_are_not_stuck.<locals>.main()"
        f":{line('await-fut')}  [waiting]",
        "└── Future#1  <- the ready queue will call Future.set_result",
        "waiting: the loop will wake someone (a timer, a callback or IO)"]


def test_no_tasks_and_bad_arguments():
    loop = minloop.new_event_loop(clock=minloop.VirtualClock())
    try:
        assert graph.format_waiting_tree(loop) == "(no Tasks)"
        with pytest.raises(RuntimeError, match="no running event loop"):
            graph.waiting_tree()
        with pytest.raises(RuntimeError, match="outside of a running event loop"):
            graph.capture_call_graph()
        with pytest.raises(TypeError, match="does not appear to be compatible"):
            graph.capture_call_graph(object())
    finally:
        loop.close()


def test_capture_call_graph_goes_up_through_the_awaiters():
    out = {}

    async def leaf():
        out["here"] = graph.format_call_graph()  # <leaf-capture>
        await minloop.sleep(1)  # <leaf-sleep>

    async def middle():
        await leaf()  # <middle>

    async def watcher(t):
        await minloop.sleep(0.5)        # the child sleeps, main awaits it
        out["child"] = graph.format_call_graph(t)
        g = graph.capture_call_graph(t)
        out["awaited_by"] = [n.future.get_name() for n in g.awaited_by]

    async def main():
        t = minloop.create_task(middle(), name="child")
        w = minloop.create_task(watcher(t))
        await t  # <main-await>
        await w

    run_named(main)
    main_name = out["awaited_by"][0]
    assert out["awaited_by"] == ["main"]
    prefix = "test_capture_call_graph_goes_up_through_the_awaiters.<locals>."
    assert out["child"].splitlines() == [
        "* Task(name='child')",
        "  + Call stack:",
        "  |   in async sleep()",
        f"  |   in async {prefix}leaf():{line('leaf-sleep')}",
        f"  |   in async {prefix}middle():{line('middle')}",
        "  + Awaited by:",
        f"    * Task(name={main_name!r})",
        "      + Call stack:",
        f"      |   in async {prefix}main():{line('main-await')}",
    ]
    # Called from inside a Task: its own running frames, innermost first.
    assert out["here"].splitlines() == [
        "* Task(name='child')",
        "  + Call stack:",
        f"  |   in async {prefix}leaf():{line('leaf-capture')}",
        f"  |   in async {prefix}middle():{line('middle')}",
        "  + Awaited by:",
        f"    * Task(name={main_name!r})",
        "      + Call stack:",
        f"      |   in async {prefix}main():{line('main-await')}",
    ]


def test_picture_layout_and_figure():
    import matplotlib
    matplotlib.use("Agg")
    from minloop.viz.waiting import layout_waiting_tree, plot_waiting_tree

    async def main():
        loop = minloop.get_running_loop()
        a, b = loop.create_future(), loop.create_future()
        await minloop.gather(worker(a, b), worker(b, a))
    loop = stuck_loop(main)
    try:
        roots = graph.waiting_tree(loop)
    finally:
        finish(loop)
    placed = layout_waiting_tree(roots)
    # main over gather over two Tasks, each over its Future: leaves at x = 0 and 1,
    # parents centred over their children.
    assert [(numbered(n.label.split(" at ")[0]), x, d) for n, x, d, _ in placed] == [
        ("Task 'main'", 0.5, 0), ("_GatheringFuture#1 (gather)", 0.5, 1),
        ("Task 'Task-N'", 0, 2), ("Future#2", 0, 3), ("Task 'Task-N'", 1, 2), ("Future#3", 1, 3)]
    assert [n.state for n, *_ in placed if not n.children] == ["stuck", "stuck"]
    fig = plot_waiting_tree(roots)
    boxes = [t for t in fig.axes[0].texts if t.get_bbox_patch() is not None]
    assert len(boxes) == 6 and len(fig.axes[0].texts) == 6 + 5      # 5 arrows
    from matplotlib.colors import to_hex
    from minloop.viz.stepper import STATE_COLORS
    edges = [to_hex(b.get_bbox_patch().get_edgecolor()) for b in boxes]
    assert edges.count(STATE_COLORS["failed"]) == 2                  # the two stuck Futures
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_a_future_waited_through_shows_its_own_timer():
    """wait_for's waiter has a timer of its own: the tree says so on that Future, and a
    program whose only way on is that timer is not called stuck (a learner's finding)."""
    async def main():
        fut = minloop.get_running_loop().create_future()

        async def inner():
            await fut
        t = minloop.create_task(minloop.wait_for(inner(), 5), name="waiter")
        await minloop.sleep(0)
        await minloop.sleep(0)
        text = graph.format_waiting_tree()
        t.cancel()
        return text

    text = minloop.run(main(), clock=minloop.VirtualClock())
    lines = text.splitlines()
    waiter_future = [line for line in lines if "_release_waiter" in line]
    assert len(waiter_future) == 1 and "a timer at t=5.000" in waiter_future[0], text
    assert "nothing in the loop refers to it" in text, text      # the inner Future's own leaf
    assert lines[-1].startswith("waiting: the loop will wake someone"), text
