"""Queues and locks (chapter 08), on asyncio and on minloop.

Most tests are parametrized over both backends: the same program must pass on asyncio (which
shows the test is right about asyncio) and on minloop. The randomized tests at the end run
one seeded program of puts, gets, acquires, releases and cancellations on both backends and
require the same trace, line for line. Every test has a timeout.
"""

import asyncio
import random
import re

import pytest

import minloop

BACKENDS = ["asyncio", "minloop"]
MODULES = {"asyncio": asyncio, "minloop": minloop}

pytestmark = pytest.mark.timeout(20)


@pytest.fixture(params=BACKENDS)
def aio(request):
    """The backend's module: ``aio.run(main())`` runs on a fresh loop of that backend."""
    return MODULES[request.param]


def short(obj):
    """repr without module and address: '<Lock [locked, waiters:1]>'."""
    return re.sub(r"<\S+\.(\w+) object at 0x[0-9a-f]+", r"<\1", repr(obj))


async def turns(aio, n=3):
    for _ in range(n):
        await aio.sleep(0)


# ---------------------------------------------------------------- Queue


def test_cancelled_wait_for_get_loses_no_item(aio):
    """Consumers use wait_for(q.get(), t) with timeouts racing the producer's puts; whatever
    wins each race, every item put is either received or still in the queue."""
    rng = random.Random(8)

    async def main():
        q = aio.Queue()
        got = []

        async def consumer():
            while True:
                try:
                    got.append(await aio.wait_for(q.get(), rng.choice([0.0005, 0.001, 0.002])))
                except aio.TimeoutError:
                    pass

        consumers = [aio.create_task(consumer()) for _ in range(3)]
        for i in range(60):
            q.put_nowait(i)
            await aio.sleep(rng.choice([0, 0.0005, 0.001, 0.0015]))
        await aio.sleep(0.01)
        for c in consumers:
            c.cancel()
        await aio.gather(*consumers, return_exceptions=True)
        rest = [q.get_nowait() for _ in range(q.qsize())]
        return got, rest

    got, rest = aio.run(main())
    assert sorted(got + rest) == list(range(60))
    assert rest == [], "with consumers still waiting, nothing should be left over"


@pytest.mark.parametrize("producer_first", [True, False])
def test_wait_for_get_timeout_in_the_same_tick_as_the_put(producer_first):
    """On virtual time the put and wait_for's timeout fall due in the same iteration, in
    either order: the item is returned, or stays in the queue for the next get()."""
    async def main():
        q = minloop.Queue()

        async def produce():
            await minloop.sleep(1.0)
            q.put_nowait("item")

        async def consume():
            try:
                return await minloop.wait_for(q.get(), 1.0)
            except minloop.TimeoutError:
                return "timeout"

        if producer_first:
            p = minloop.create_task(produce())
            c = minloop.create_task(consume())
        else:
            c = minloop.create_task(consume())
            p = minloop.create_task(produce())
        await p
        result = await c
        return result, [q.get_nowait() for _ in range(q.qsize())]

    result, rest = minloop.run(main(), clock=minloop.VirtualClock())
    assert (result, rest) in (("item", []), ("timeout", ["item"]))


def test_woken_getter_cancelled_passes_the_item_on(aio):
    async def main():
        q = aio.Queue()
        first = aio.create_task(q.get())
        second = aio.create_task(q.get())
        await turns(aio)
        q.put_nowait("x")       # wakes `first`
        first.cancel()          # before it runs
        return await aio.wait_for(second, 1), first.cancelled(), str(q)

    assert aio.run(main()) == ("x", True, "<Queue maxsize=0 tasks=1>")


def test_woken_putter_cancelled_passes_the_room_on(aio):
    async def main():
        q = aio.Queue(1)
        q.put_nowait("seed")
        p1 = aio.create_task(q.put("p1"))
        p2 = aio.create_task(q.put("p2"))
        await turns(aio)
        q.get_nowait()          # wakes p1
        p1.cancel()
        await aio.wait_for(aio.gather(p1, p2, return_exceptions=True), 1)
        return [q.get_nowait() for _ in range(q.qsize())], p1.cancelled()

    assert aio.run(main()) == (["p2"], True)


def test_getters_and_putters_wake_in_fifo_order(aio):
    async def main():
        q = aio.Queue(1)
        log = []

        async def put(name):
            await q.put(name)
            log.append(f"put {name}")

        async def get(name):
            log.append(f"{name} got {await q.get()}")

        putters = [aio.create_task(put(f"p{i}")) for i in range(4)]
        await turns(aio)
        getters = [aio.create_task(get(f"g{i}")) for i in range(4)]
        await aio.gather(*putters, *getters)
        return log

    log = aio.run(main())
    assert [x for x in log if " got " in x] == ["g0 got p0", "g1 got p1", "g2 got p2",
                                                 "g3 got p3"]
    assert [x for x in log if x.startswith("put")] == ["put p0", "put p1", "put p2", "put p3"]


def test_producer_consumer_join_waits_for_every_task_done(aio):
    async def main():
        q = aio.Queue(maxsize=3)
        done = []

        async def worker():
            while True:
                item = await q.get()
                await aio.sleep(0.001 * (item % 3))
                done.append(item)
                q.task_done()

        workers = [aio.create_task(worker()) for _ in range(4)]
        for i in range(20):
            await q.put(i)
        await q.join()
        at_join = sorted(done)
        for w in workers:
            w.cancel()
        await aio.gather(*workers, return_exceptions=True)
        return at_join, q._unfinished_tasks

    at_join, unfinished = aio.run(main())
    assert at_join == list(range(20)) and unfinished == 0


def test_join_hangs_without_task_done(aio):
    """A consumer that forgets task_done(): join() does not return (bounded here)."""
    async def main():
        q = aio.Queue()

        async def forgetful():
            while True:
                await q.get()

        w = aio.create_task(forgetful())
        for i in range(3):
            q.put_nowait(i)
        try:
            await aio.wait_for(q.join(), 0.01)
            result = "joined"
        except aio.TimeoutError:
            result = "timed out"
        w.cancel()
        return result, str(q)

    assert aio.run(main()) == ("timed out", "<Queue maxsize=0 _getters[1] tasks=3>")


def test_task_done_too_many_times(aio):
    q = aio.Queue()
    with pytest.raises(ValueError, match=r"^task_done\(\) called too many times$"):
        q.task_done()
    q.put_nowait(1)
    q.get_nowait()
    q.task_done()
    with pytest.raises(ValueError, match="too many"):
        q.task_done()


def test_full_and_empty_with_maxsize(aio):
    async def main():
        q = aio.Queue(maxsize=2)
        assert q.empty() and not q.full() and q.maxsize == 2
        with pytest.raises(aio.QueueEmpty):
            q.get_nowait()
        q.put_nowait(1)
        q.put_nowait(2)
        assert q.full() and q.qsize() == 2
        with pytest.raises(aio.QueueFull):
            q.put_nowait(3)
        putter = aio.create_task(q.put(3))
        await turns(aio, 5)
        assert not putter.done(), "put() on a full queue must wait"
        assert q.get_nowait() == 1
        await putter
        assert [q.get_nowait(), q.get_nowait()] == [2, 3]
        for size in (0, -1):
            u = aio.Queue(size)
            for i in range(50):
                u.put_nowait(i)
            assert not u.full()
        return True

    assert aio.run(main())


def test_priority_queue_orders_ties_by_the_next_field_and_lifo(aio):
    pq = aio.PriorityQueue()
    items = [(2, "b"), (1, "z"), (3, "a"), (1, "a"), (2, "a"), (1, "m")]
    for it in items:
        pq.put_nowait(it)
    assert [pq.get_nowait() for _ in items] == sorted(items)
    lq = aio.LifoQueue()
    for i in range(4):
        lq.put_nowait(i)
    assert [lq.get_nowait() for _ in range(4)] == [3, 2, 1, 0]


def test_queue_reprs(aio):
    async def main():
        q = aio.Queue(2)
        q.put_nowait("a")
        q.put_nowait("b")
        aio.create_task(q.put("c"))
        await turns(aio)
        shown = [str(q), re.sub(r" at 0x[0-9a-f]+", "", repr(q))]
        q.get_nowait(), q.get_nowait()
        await turns(aio)        # the woken putter puts "c"
        assert q.get_nowait() == "c"
        aio.create_task(q.get())
        await turns(aio)
        shown.append(str(q))
        return shown

    assert aio.run(main()) == [
        "<Queue maxsize=2 _queue=['a', 'b'] _putters[1] tasks=2>",
        "<Queue maxsize=2 _queue=['a', 'b'] _putters[1] tasks=2>",
        "<Queue maxsize=2 _getters[1] tasks=3>",
    ]


def test_minloop_raises_asyncios_own_classes():
    assert minloop.QueueEmpty is asyncio.QueueEmpty
    assert minloop.QueueFull is asyncio.QueueFull
    assert minloop.BrokenBarrierError is asyncio.BrokenBarrierError
    # minloop mirrors asyncio 3.11: names a later asyncio added are not expected.
    added_after_311 = {"QueueShutDown"}          # 3.13: Queue.shutdown()
    for name in asyncio.queues.__all__ + asyncio.locks.__all__:
        if name not in added_after_311:
            assert name in minloop.__all__, name


# ---------------------------------------------------------------- Lock


def test_lock_goes_to_the_first_waiter_not_to_a_newcomer(aio):
    async def main():
        lock = aio.Lock()
        order = []

        async def user(name):
            async with lock:
                order.append(name)
                await aio.sleep(0)

        await lock.acquire()
        waiters = [aio.create_task(user(f"w{i}")) for i in range(3)]
        await turns(aio)
        lock.release()
        newcomer = aio.create_task(user("new"))
        await aio.gather(*waiters, newcomer)
        return order

    assert aio.run(main()) == ["w0", "w1", "w2", "new"]


@pytest.mark.parametrize("kind", ["Lock", "Semaphore"])
def test_woken_waiter_cancelled_passes_the_lock_on(aio, kind):
    async def main():
        lock = getattr(aio, kind)()
        got = []

        async def waiter(name):
            await lock.acquire()
            got.append(name)

        await lock.acquire()
        a = aio.create_task(waiter("a"))
        b = aio.create_task(waiter("b"))
        await turns(aio)
        lock.release()          # wakes a
        a.cancel()              # before it runs
        await aio.wait_for(aio.gather(a, b, return_exceptions=True), 1)
        return got, a.cancelled(), short(lock)

    assert aio.run(main()) == (["b"], True, f"<{kind} [locked]>")


def test_lock_waiter_cancelled_before_wakeup_just_leaves(aio):
    async def main():
        lock = aio.Lock()
        await lock.acquire()
        a = aio.create_task(lock.acquire())
        b = aio.create_task(lock.acquire())
        await turns(aio)
        a.cancel()
        await turns(aio)
        mid = short(lock)
        lock.release()
        await b
        return mid, short(lock)

    assert aio.run(main()) == ("<Lock [locked, waiters:1]>", "<Lock [locked]>")


def test_lock_errors_and_async_with(aio):
    async def main():
        lock = aio.Lock()
        with pytest.raises(RuntimeError, match=r"^Lock is not acquired\.$"):
            lock.release()
        async with lock as x:
            assert x is None and lock.locked()
        with pytest.raises(KeyError):
            async with lock:
                raise KeyError
        assert not lock.locked()
        return short(lock)

    assert aio.run(main()) == "<Lock [unlocked]>"


def test_primitive_bound_to_another_loop(aio):
    lock = aio.Lock()

    async def contend():
        await lock.acquire()
        t = aio.create_task(lock.acquire())
        await aio.sleep(0)
        lock.release()
        await t
        lock.release()

    aio.run(contend())

    async def again():
        await lock.acquire()
        with pytest.raises(RuntimeError, match="is bound to a different event loop"):
            await lock.acquire()

    aio.run(again())


# ---------------------------------------------------------------- Semaphore


def test_semaphore_bounds_concurrency_and_is_fifo(aio):
    async def main():
        sem = aio.Semaphore(3)
        inside, peak, order = 0, 0, []

        async def download(i):
            nonlocal inside, peak
            async with sem:
                order.append(i)
                inside += 1
                peak = max(peak, inside)
                await aio.sleep(0.001 * (i % 4))
                inside -= 1

        await aio.gather(*(download(i) for i in range(12)))
        return peak, order[:3], sorted(order), short(sem)

    peak, first, everyone, final = aio.run(main())
    assert peak == 3 and first == [0, 1, 2] and everyone == list(range(12))
    assert final == "<Semaphore [unlocked, value:3]>"


def test_bounded_semaphore_and_bad_values(aio):
    with pytest.raises(ValueError, match=r"^Semaphore initial value must be >= 0$"):
        aio.Semaphore(-1)
    bs = aio.BoundedSemaphore(2)
    with pytest.raises(ValueError, match=r"^BoundedSemaphore released too many times$"):
        bs.release()
    assert short(bs) == "<BoundedSemaphore [unlocked, value:2]>"
    s = aio.Semaphore(1)
    s.release()
    assert short(s) == "<Semaphore [unlocked, value:2]>"


# ---------------------------------------------------------------- Event and Condition


def test_event_wakes_all_waiters_in_order(aio):
    async def main():
        ev = aio.Event()
        log = []

        async def w(i):
            log.append((i, await ev.wait()))

        tasks = [aio.create_task(w(i)) for i in range(4)]
        await turns(aio)
        shown = short(ev)
        ev.set()
        ev.clear()              # cleared before they run: they were woken anyway
        await aio.gather(*tasks)
        with pytest.raises(aio.TimeoutError):
            await aio.wait_for(ev.wait(), 0.001)
        return log, shown, short(ev)

    assert aio.run(main()) == ([(i, True) for i in range(4)], "<Event [unset, waiters:4]>",
                               "<Event [unset]>")


def test_condition_wait_for_with_a_predicate(aio):
    async def main():
        cond = aio.Condition()
        stock = []
        calls = 0

        def available():
            nonlocal calls
            calls += 1
            return len(stock) >= 2 and list(stock)

        async def consumer():
            async with cond:
                return await cond.wait_for(available)

        c = aio.create_task(consumer())
        for item in "ab":
            await turns(aio)
            async with cond:
                stock.append(item)
                cond.notify()
        return await c, calls

    assert aio.run(main()) == (["a", "b"], 3)


def test_condition_wait_for_given_a_bool_raises_typeerror(aio):
    """The seed's mistake, wait_for(is_available()): a bool is not callable, so asyncio
    raises TypeError at once (False or True alike) and the caller keeps the lock."""
    async def main():
        cond = aio.Condition()
        async with cond:
            for value in (False, True):
                with pytest.raises(TypeError, match="'bool' object is not callable"):
                    await cond.wait_for(value)
            return cond.locked()

    assert aio.run(main()) is True


def test_condition_notify_n_and_notify_all(aio):
    async def main():
        cond = aio.Condition()
        woke = []

        async def w(i):
            async with cond:
                await cond.wait()
                woke.append(i)

        tasks = [aio.create_task(w(i)) for i in range(6)]
        await turns(aio)
        async with cond:
            cond.notify(2)
        await turns(aio, 5)
        first = list(woke)
        async with cond:
            cond.notify_all()
        await aio.gather(*tasks)
        with pytest.raises(RuntimeError, match="^cannot notify on un-acquired lock$"):
            cond.notify()
        with pytest.raises(RuntimeError, match="^cannot wait on un-acquired lock$"):
            await cond.wait()
        return first, woke

    assert aio.run(main()) == ([0, 1], [0, 1, 2, 3, 4, 5])


def test_condition_with_a_foreign_lock(aio):
    async def main():
        lock = aio.Lock()
        cond = aio.Condition(lock)
        seen = []

        async def w():
            async with cond:
                await cond.wait()
                seen.append(lock.locked())

        t = aio.create_task(w())
        await turns(aio)
        assert not lock.locked()       # wait() released the shared lock
        async with lock:               # holding the lock is holding the condition
            assert cond.locked()
            cond.notify()
        await t
        return seen, lock.locked()

    assert aio.run(main()) == ([True], False)


# ---------------------------------------------------------------- Barrier


def test_barrier_rounds_abort_and_reset(aio):
    async def main():
        b = aio.Barrier(3)
        results = []

        async def party(name, rounds):
            for r in range(rounds):
                results.append((r, await b.wait()))
                await aio.sleep(0)

        await aio.gather(*(party(i, 3) for i in range(3)))
        assert sorted(results) == [(r, i) for r in range(3) for i in range(3)]
        assert short(b) == "<Barrier [filling, waiters:0/3]>"

        async def broken(name):
            try:
                await b.wait()
            except aio.BrokenBarrierError as e:
                return str(e)

        waiting = [aio.create_task(broken(i)) for i in range(2)]
        await turns(aio)
        assert b.n_waiting == 2
        await b.reset()
        assert await aio.gather(*waiting) == ["Abort or reset of barrier"] * 2
        assert short(b) == "<Barrier [filling, waiters:0/3]>"
        await aio.gather(*(party(i, 1) for i in range(3)))      # usable after reset
        waiting = [aio.create_task(broken(i)) for i in range(2)]
        await turns(aio)
        await b.abort()
        assert await aio.gather(*waiting) == ["Abort or reset of barrier"] * 2
        assert await broken("late") == "Barrier aborted"
        assert b.broken and short(b) == "<Barrier [broken]>"
        with pytest.raises(ValueError, match="parties must be > 0"):
            aio.Barrier(0)
        return True

    assert aio.run(main())


# ---------------------------------------------------------------- the same trace on both


async def random_program(aio, seed):
    """Tasks doing random queue/lock/semaphore/condition/event operations, some cancelled
    at random moments, paced only by sleep(0). Returns the trace of what happened."""
    rng = random.Random(seed)
    q, lock, sem = aio.Queue(rng.choice([0, 1, 2])), aio.Lock(), aio.Semaphore(2)
    cond, ev = aio.Condition(), aio.Event()
    trace = []
    holders = set()

    async def actor(name):
        try:
            for step in range(rng.randint(2, 6)):
                op = rng.choice(["put", "get", "lock", "sem", "cond", "notify", "ev"])
                if op == "put":
                    await q.put(f"{name}.{step}")
                elif op == "get":
                    trace.append(f"{name} got {await q.get()}")
                elif op == "lock":
                    async with lock:
                        assert not holders, "two holders of one Lock"
                        holders.add(name)
                        trace.append(f"{name} holds lock")
                        await aio.sleep(0)
                        holders.discard(name)
                elif op == "sem":
                    async with sem:
                        trace.append(f"{name} in sem {short(sem)}")
                        await aio.sleep(0)
                elif op == "cond":
                    async with cond:
                        await cond.wait()
                        trace.append(f"{name} notified")
                elif op == "notify":
                    async with cond:
                        cond.notify(rng.randint(1, 2))
                else:
                    if rng.random() < 0.5:
                        ev.set()
                    await ev.wait()
                    ev.clear()
                    trace.append(f"{name} saw event")
        except aio.CancelledError:
            trace.append(f"{name} cancelled")
            raise

    tasks = [aio.create_task(actor(f"t{i}")) for i in range(8)]
    for tick in range(40):
        await aio.sleep(0)
        if rng.random() < 0.15:
            victim = rng.randrange(len(tasks))
            trace.append(f"tick {tick}: cancel t{victim}")
            tasks[victim].cancel()
        if rng.random() < 0.3 and not q.full():
            q.put_nowait(f"main.{tick}")
        if rng.random() < 0.2:
            async with cond:
                cond.notify_all()
        if rng.random() < 0.1:
            ev.set()
    for t in tasks:
        t.cancel()
    await aio.gather(*tasks, return_exceptions=True)
    trace.append(f"end {short(lock)} {short(sem)} {short(cond)} {short(ev)} "
                 f"qsize={q.qsize()}")
    return trace


@pytest.mark.parametrize("seed", range(12))
def test_random_programs_trace_the_same_on_both(seed):
    traces = {name: MODULES[name].run(random_program(MODULES[name], seed)) for name in BACKENDS}
    assert traces["minloop"] == traces["asyncio"]
    assert traces["asyncio"][-1].startswith("end <Lock [unlocked]> <Semaphore [unlocked, "
                                            "value:2]> <Condition [unlocked]>")
