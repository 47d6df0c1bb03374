"""Unit tests of the loop's machinery, each side by side with asyncio where asyncio has it."""

import asyncio
import heapq
import threading
import time

import pytest

import minloop
from minloop import base_events


def both(fn):
    """Run fn(module, loop) on a fresh asyncio loop and a fresh minloop loop; return results."""
    out = []
    for mod in (asyncio, minloop):
        loop = mod.new_event_loop()
        try:
            out.append(fn(mod, loop))
        finally:
            loop.close()
    return out


# ---------------------------------------------------------------- _run_once

def test_callback_scheduled_during_a_tick_runs_next_tick():
    def prog(mod, loop):
        log = []

        def a():
            log.append(("a", iteration[0]))
            loop.call_soon(c)

        def b():
            log.append(("b", iteration[0]))

        def c():
            log.append(("c", iteration[0]))
            loop.stop()

        iteration = [0]
        loop.call_soon(a)
        loop.call_soon(b)
        # Count iterations by wrapping _run_once (both loops have one, by name).
        orig = loop._run_once

        def counted():
            iteration[0] += 1
            orig()

        loop._run_once = counted
        loop.run_forever()
        return log

    asy, mini = both(prog)
    assert asy == mini == [("a", 1), ("b", 1), ("c", 2)]


def test_run_once_phases_in_cpython_order():
    loop = minloop.new_event_loop(clock=minloop.VirtualClock())
    phases = []
    loop._tracer = lambda phase, lp, **kw: phases.append(phase)
    loop.call_soon(lambda: None)
    loop._run_once()
    loop.close()
    assert phases == ["purge", "timeout", "select", "process_events", "timers", "run", "end"]


@pytest.mark.parametrize("n_timers, n_cancel", [(50, 40), (150, 60), (150, 100), (300, 151)])
def test_cancelled_timer_purge_rule_matches_asyncio(n_timers, n_cancel):
    """More than 100 timers and more than half cancelled: the heap is rebuilt. Otherwise
    only cancelled timers at the top of the heap are popped."""
    def prog(mod, loop):
        handles = [loop.call_later(10 + i, lambda: None) for i in range(n_timers)]
        # cancel the *latest* ones, so they are not at the top of the heap
        for h in handles[-n_cancel:]:
            h.cancel()
        # and one at the top, which is always popped
        handles[0].cancel()
        loop._run_once()   # nothing is due: select returns at once only with a timeout...
        return len(loop._scheduled), loop._timer_cancelled_count

    # _run_once would block until the first timer: make the first live timer due now.
    def prog_due(mod, loop):
        loop.call_soon(lambda: None)   # something ready => select timeout 0
        return prog(mod, loop)

    asy, mini = both(prog_due)
    assert asy == mini


def test_timers_fire_in_deadline_order_equal_deadlines_as_asyncio():
    def prog(mod, loop):
        log = []
        now = loop.time()
        for name, delay in [("c", 0.02), ("a", 0.0), ("b", 0.01), ("a2", 0.0), ("d", 0.02)]:
            loop.call_at(now + delay, log.append, name)
        loop.call_at(now + 0.03, loop.stop)
        loop.run_forever()
        return log

    asy, mini = both(prog)
    assert asy == mini
    assert asy[:2] in (["a", "a2"], ["a2", "a"])


def test_stop_lets_ready_handles_finish_then_run_forever_resumes():
    def prog(mod, loop):
        log = []
        loop.call_soon(log.append, 1)
        loop.call_soon(loop.stop)
        loop.call_soon(log.append, 2)
        loop.run_forever()
        log.append("stopped")
        loop.call_soon(loop.stop)
        loop.run_forever()
        return log

    asy, mini = both(prog)
    assert asy == mini == [1, 2, "stopped"]


def test_call_soon_threadsafe_wakes_a_loop_blocked_in_select():
    loop = minloop.new_event_loop()
    fut = loop.create_future()
    # No timers, nothing ready: the loop blocks in select(None) until the self-pipe fires.
    t = threading.Timer(0.05, loop.call_soon_threadsafe, args=(fut.set_result, "woken"))
    t0 = time.monotonic()
    t.start()
    try:
        assert loop.run_until_complete(fut) == "woken"
    finally:
        t.join()
        loop.close()
    assert time.monotonic() - t0 < 5


def test_run_in_executor_and_default_executor_shutdown():
    async def main():
        loop = minloop.get_running_loop()
        name = await loop.run_in_executor(None, lambda: threading.current_thread().name)
        return name

    assert minloop.run(main()).startswith("asyncio")


def test_add_reader_add_writer_on_a_socketpair():
    import socket
    loop = minloop.new_event_loop()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    got = loop.create_future()
    try:
        loop.add_writer(a.fileno(), lambda: (a.send(b"ping"), loop.remove_writer(a.fileno())))
        loop.add_reader(b.fileno(), lambda: got.set_result(b.recv(100)))
        assert loop.run_until_complete(got) == b"ping"
        assert loop.remove_reader(b.fileno()) is True
        assert loop.remove_reader(b.fileno()) is False
        assert loop.remove_writer(a.fileno()) is False
    finally:
        a.close()
        b.close()
        loop.close()


# ---------------------------------------------------------------- virtual time

def test_virtual_clock_jumps_instead_of_sleeping():
    async def main():
        loop = minloop.get_running_loop()
        t0 = loop.time()
        await minloop.gather(*(minloop.sleep(3600) for _ in range(10)))
        return loop.time() - t0

    start = time.monotonic()
    assert minloop.run(main(), clock=minloop.VirtualClock()) == 3600
    assert time.monotonic() - start < 2


def test_virtual_clock_does_not_jump_past_a_running_thread():
    """A thread's work is outside the loop: the clock must not race past it."""
    async def main():
        loop = minloop.get_running_loop()
        job = loop.run_in_executor(None, time.sleep, 0.05)
        await minloop.wait_for(job, timeout=1)
        return loop.time()

    assert minloop.run(main(), clock=minloop.VirtualClock()) < 1


def test_virtual_clock_refuses_to_hang_forever():
    async def main():
        await minloop.get_running_loop().create_future()   # nobody will ever complete it

    with pytest.raises(RuntimeError, match="would block forever"):
        minloop.run(main(), clock=minloop.VirtualClock())


def test_virtual_clock_ordering_is_deterministic():
    async def worker(name, delays, log):
        for d in delays:
            await minloop.sleep(d)
            log.append((name, minloop.get_running_loop().time()))

    async def main():
        log = []
        await minloop.gather(worker("a", [0.3, 0.3], log), worker("b", [0.5, 0.1], log))
        return log

    runs = {tuple(minloop.run(main(), clock=minloop.VirtualClock())) for _ in range(3)}
    assert len(runs) == 1
    (log,) = runs
    assert [(n, round(t, 6)) for n, t in log] == [("a", 0.3), ("b", 0.5), ("a", 0.6), ("b", 0.6)]


# ---------------------------------------------------------------- tracing costs nothing when off

def test_no_tracer_means_no_trace_calls():
    loop = minloop.new_event_loop()
    assert loop._tracer is None
    loop.close()


def test_module_constants_match_cpython():
    from asyncio import base_events as cpy
    assert base_events._MIN_SCHEDULED_TIMER_HANDLES == cpy._MIN_SCHEDULED_TIMER_HANDLES
    assert (base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION ==
            cpy._MIN_CANCELLED_TIMER_HANDLES_FRACTION)
    assert base_events.MAXIMUM_SELECT_TIMEOUT == cpy.MAXIMUM_SELECT_TIMEOUT


def test_heap_holds_timer_handles_ordered_by_when():
    loop = minloop.new_event_loop()
    for d in [5, 1, 3, 2, 4]:
        loop.call_later(d, lambda: None)
    whens = [h.when() for h in loop._scheduled]
    assert whens[0] == min(whens)
    assert [h.when() for h in heapq.nsmallest(5, loop._scheduled)] == sorted(whens)
    loop.close()


# ---------------------------------------------------------------- regressions from review

def test_no_stale_handled_exception_after_awaiting_a_failed_task():
    """__wakeup must step the coroutine outside its except block (C Task behaviour)."""
    def prog(mod, loop):
        import sys

        async def fails():
            raise ValueError("first")

        async def main():
            try:
                await mod.create_task(fails())
            except ValueError:
                pass
            return repr(sys.exc_info()[1])

        return loop.run_until_complete(main())

    asy, mini = both(prog)
    assert asy == mini == "None"


def test_virtual_clock_with_a_large_start_does_not_spin():
    async def main():
        await minloop.sleep(0.1)
        return minloop.get_running_loop().time()

    start = 1.7e9   # like time.time(): 1e-9 is below float resolution at this magnitude
    assert minloop.run(main(), clock=minloop.VirtualClock(start)) == pytest.approx(start + 0.1)


def test_as_completed_passes_a_wake_up_on_when_its_waiter_is_cancelled():
    def prog(mod, loop):
        async def main():
            loop_ = mod.get_running_loop()
            f = loop_.create_future()
            it = mod.as_completed([f])
            first = mod.ensure_future(next(it))
            await mod.sleep(0)
            f.set_result("value")
            first.cancel()           # woken (f is done) but cancelled before it ran
            await mod.sleep(0)
            return first.cancelled()

        return loop.run_until_complete(main())

    asy, mini = both(prog)
    assert asy == mini


def test_tracer_does_not_keep_finished_tasks_alive():
    import gc
    import weakref

    from minloop.tracing import trace_run
    refs = []

    async def child():
        return 1

    async def main():
        t = minloop.create_task(child())
        refs.append(weakref.ref(t))
        await t

    _, tracer = trace_run(main())
    gc.collect()
    assert refs[0]() is None
    assert tracer.steps[-1]["tasks"][-1]["state"] == "done"


def test_iterating_a_pending_future_by_hand_raises_like_asyncio():
    def prog(mod, loop):
        fut = loop.create_future()
        try:
            list(fut)
        except RuntimeError as exc:
            return str(exc)

    asy, mini = both(prog)
    assert asy == mini == "await wasn't used with future"


def test_add_reader_returns_none_like_asyncio():
    import socket
    a, b = socket.socketpair()
    try:
        asy, mini = both(lambda mod, loop: (loop.add_reader(a.fileno(), print),
                                            loop.remove_reader(a.fileno()))[0])
        assert asy is mini is None
    finally:
        a.close()
        b.close()
