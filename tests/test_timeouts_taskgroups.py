"""timeouts.py and taskgroups.py on virtual time: deadlines fire at their exact loop time,
cancel requests are counted and taken back, TaskGroups collect and cancel. (The behaviour
asyncio also shows is pinned by conformance programs 600-617; these tests add what only
virtual time can show exactly, and minloop's own wiring.)"""

import asyncio

import pytest

import minloop
from minloop import taskgroups, timeouts

pytestmark = pytest.mark.timeout(10)


def run(coro):
    return minloop.run(coro, clock=minloop.VirtualClock())


def test_same_names_and_classes_as_asyncio():
    for name in ("timeout", "timeout_at", "Timeout", "TaskGroup"):
        assert name in minloop.__all__ and hasattr(asyncio, name)
    assert minloop.timeout is timeouts.timeout and minloop.TaskGroup is taskgroups.TaskGroup
    # The exception classes are asyncio's own, so `except asyncio.X` catches minloop's.
    for name in ("CancelledError", "InvalidStateError", "IncompleteReadError",
                 "LimitOverrunError", "BrokenBarrierError", "SendfileNotAvailableError"):
        assert getattr(minloop, name) is getattr(asyncio, name)
    assert minloop.TimeoutError is TimeoutError
    assert not issubclass(minloop.CancelledError, Exception)


def test_timeout_fires_at_its_deadline_and_chains_the_cancellation():
    async def main():
        loop = minloop.get_running_loop()
        me = minloop.current_task()
        with pytest.raises(TimeoutError) as info:
            async with minloop.timeout(1.5) as cm:
                assert cm.when() == 1.5 and repr(cm) == "<Timeout [active] when=1.5>"
                await minloop.sleep(10)
        assert isinstance(info.value.__cause__, minloop.CancelledError)
        return loop.time(), cm.expired(), repr(cm), me.cancelling()
    assert run(main()) == (1.5, True, "<Timeout [expired]>", 0)


def test_reschedule_moves_the_deadline_and_none_disarms_it():
    async def main():
        loop = minloop.get_running_loop()
        with pytest.raises(TimeoutError):
            async with minloop.timeout(1) as cm:
                cm.reschedule(None)
                await minloop.sleep(2)          # survives the old deadline
                cm.reschedule(loop.time() + 1)  # t = 3
                await minloop.sleep(10)
        return loop.time()
    assert run(main()) == 3


def test_timeout_at_a_past_deadline_fires_on_the_next_iteration():
    async def main():
        loop = minloop.get_running_loop()
        log = []
        with pytest.raises(TimeoutError):
            async with minloop.timeout_at(loop.time() - 1):
                log.append("body runs up to its first await")
                await minloop.sleep(0)
                log.append("not reached")
        return log
    assert run(main()) == ["body runs up to its first await"]


def test_outside_cancel_is_not_turned_into_timeout_error():
    async def guarded():
        async with minloop.timeout(5) as cm:
            try:
                await minloop.sleep(10)
            finally:
                assert not cm.expired()

    async def main():
        t = minloop.create_task(guarded())
        await minloop.sleep(1)
        t.cancel("outside")
        with pytest.raises(minloop.CancelledError, match="outside"):
            await t
        return t.cancelled(), t.cancelling()
    assert run(main()) == (True, 1)


def test_timeout_expiring_while_an_outside_cancel_is_pending_stays_cancelled():
    async def guarded():
        async with minloop.timeout(0):          # its _on_timeout is a call_soon
            await minloop.sleep(10)

    async def main():
        t = minloop.create_task(guarded())
        await minloop.sleep(0)
        t.cancel()                              # before the timeout's callback runs
        with pytest.raises(minloop.CancelledError):
            await t
        return t.cancelling()
    assert run(main()) == 2 - 1                 # the Timeout uncancelled only its own


def test_nested_timeouts_each_raise_their_own():
    async def main():
        loop = minloop.get_running_loop()
        with pytest.raises(TimeoutError):
            async with minloop.timeout(5) as outer:
                with pytest.raises(TimeoutError):
                    async with minloop.timeout(1) as inner:
                        await minloop.sleep(10)
                assert loop.time() == 1 and inner.expired() and not outer.expired()
                await minloop.sleep(10)
        return loop.time(), outer.expired()
    assert run(main()) == (5, True)


def test_timeout_misuse_messages():
    async def main():
        cm = minloop.timeout(1)
        with pytest.raises(RuntimeError, match="Timeout has not been entered"):
            cm.reschedule(2)
        async with cm:
            pass
        with pytest.raises(RuntimeError, match="Cannot change state of finished Timeout"):
            cm.reschedule(2)
        with pytest.raises(RuntimeError, match="Timeout has already been entered"):
            async with cm:
                pass
    run(main())


def test_taskgroup_waits_for_every_child_and_keeps_results():
    async def child(d):
        await minloop.sleep(d)
        return d

    async def main():
        async with minloop.TaskGroup() as tg:
            ts = [tg.create_task(child(d)) for d in (3, 1, 2)]
        return minloop.get_running_loop().time(), [t.result() for t in ts]
    assert run(main()) == (3, [3, 1, 2])


def test_taskgroup_first_error_cancels_siblings_and_parent_then_groups_errors():
    log = []

    async def fail(d, exc):
        await minloop.sleep(d)
        raise exc

    async def sibling():
        try:
            await minloop.sleep(10)
        finally:
            await minloop.sleep(0.5)            # clean-up that takes time: awaited
            log.append(("sibling cleaned up", minloop.get_running_loop().time()))

    async def main():
        me = minloop.current_task()
        with pytest.raises(ExceptionGroup) as info:
            async with minloop.TaskGroup() as tg:
                tg.create_task(fail(2, KeyError("b")))
                tg.create_task(fail(1, ValueError("a")))
                tg.create_task(fail(1, TypeError("a2")))
                tg.create_task(sibling())
                try:
                    await minloop.sleep(10)
                except minloop.CancelledError:
                    log.append(("body cancelled", me.cancelling()))
                    raise
        eg = info.value
        return (str(eg), [type(e).__name__ for e in eg.exceptions], me.cancelling(),
                minloop.get_running_loop().time())
    assert run(main()) == ("unhandled errors in a TaskGroup (2 sub-exceptions)",
                           ["ValueError", "TypeError"], 0, 1.5)
    assert log == [("body cancelled", 1), ("sibling cleaned up", 1.5)]


def test_taskgroup_parent_cancelled_from_outside_propagates_cancelled_error():
    async def parent():
        async with minloop.TaskGroup() as tg:
            child = tg.create_task(minloop.sleep(10))
            await minloop.sleep(10)

    async def main():
        t = minloop.create_task(parent())
        await minloop.sleep(1)
        t.cancel("stop")
        with pytest.raises(minloop.CancelledError, match="stop"):
            await t
        return t.cancelling()
    assert run(main()) == 1


def test_taskgroup_misuse_and_base_errors():
    async def nothing():
        pass

    async def main():
        tg = minloop.TaskGroup()
        coro = nothing()
        with pytest.raises(RuntimeError, match="has not been entered"):
            tg.create_task(coro)
        coro.close()
        async with tg:
            pass
        coro = nothing()
        with pytest.raises(RuntimeError, match="is finished"):
            tg.create_task(coro)
        coro.close()
        with pytest.raises(KeyboardInterrupt):      # not wrapped in a group
            async with minloop.TaskGroup() as tg2:
                t = tg2.create_task(minloop.sleep(10))
                raise KeyboardInterrupt
        return t.cancelled()
    assert run(main()) is True


def test_uncancel_counts_never_go_below_zero():
    async def main():
        me = minloop.current_task()
        assert me.uncancel() == 0
        async with minloop.timeout(1):
            try:
                await minloop.sleep(2)
            except minloop.CancelledError:
                assert me.cancelling() == 1
                raise
    with pytest.raises(TimeoutError):
        run(main())
