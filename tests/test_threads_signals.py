"""Threads, executors and signals (chapter 09) on asyncio and on minloop.

Each behaviour test runs on both backends: asyncio shows the test is right, minloop that it
behaves the same. What wakes a loop asleep in select() is the lesson: call_soon_threadsafe
and a signal do (a byte on the self-pipe); call_soon from a thread does not.
"""

import asyncio
import concurrent.futures
import contextvars
import math
import multiprocessing
import os
import signal
import threading
import time

import pytest

import minloop

BACKENDS = ["asyncio", "minloop"]
MODULES = {"asyncio": asyncio, "minloop": minloop}


def run(backend, main, **kwargs):
    aio = MODULES[backend]
    return aio.run(main(aio), **kwargs)


def later(delay, fn, *args):
    th = threading.Thread(target=lambda: (time.sleep(delay), fn(*args)))
    th.start()
    return th


# ---------------------------------------------------------------- waking the loop


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_call_soon_threadsafe_wakes_a_loop_asleep_in_select(backend):
    # The loop's only timer is 30 s away: only the self-pipe can wake it sooner.
    async def main(aio):
        loop = aio.get_running_loop()
        fut = loop.create_future()
        timer = loop.call_later(30, fut.set_result, "timer")
        th = later(0.05, loop.call_soon_threadsafe, fut.set_result, "thread")
        t0 = time.monotonic()
        result = await fut
        timer.cancel()
        th.join()
        return result, time.monotonic() - t0

    result, elapsed = run(backend, main)
    assert result == "thread" and elapsed < 5


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_call_soon_from_a_thread_does_not_wake_the_loop(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        ran_at = []
        deadline = loop.time() + 0.4
        timer = loop.create_future()
        loop.call_at(deadline, timer.set_result, None)
        th = later(0.02, loop.call_soon, lambda: ran_at.append(loop.time()))
        await timer
        th.join()
        await aio.sleep(0)
        return ran_at, deadline

    ran_at, deadline = run(backend, main)
    assert len(ran_at) == 1
    assert ran_at[0] >= deadline - 0.05, "the loop woke up for a plain call_soon"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_signal_handler_fires_while_the_loop_sleeps_in_select(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        fut = loop.create_future()
        seen = []

        def handler(tag):
            seen.append((tag, threading.current_thread() is threading.main_thread(),
                         loop.is_running()))
            fut.set_result(None)

        loop.add_signal_handler(signal.SIGUSR1, handler, "usr1")
        th = later(0.05, os.kill, os.getpid(), signal.SIGUSR1)
        await fut
        th.join()
        removed = loop.remove_signal_handler(signal.SIGUSR1)
        return seen, removed

    seen, removed = run(backend, main)
    assert seen == [("usr1", True, True)] and removed is True
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL
    assert signal.set_wakeup_fd(-1) == -1, "the wakeup fd was left pointing at a closed loop"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_each_signal_runs_the_handler_and_close_removes_handlers(backend):
    aio = MODULES[backend]
    loop = aio.new_event_loop()
    calls = []
    try:
        loop.add_signal_handler(signal.SIGUSR2, calls.append, "x")
        for _ in range(3):
            os.kill(os.getpid(), signal.SIGUSR2)
            loop.run_until_complete(aio.sleep(0.01))
    finally:
        loop.close()
    assert calls == ["x", "x", "x"]
    assert signal.getsignal(signal.SIGUSR2) == signal.SIG_DFL
    assert signal.set_wakeup_fd(-1) == -1


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cancelled_signal_handle_is_removed_when_the_signal_comes(backend):
    aio = MODULES[backend]
    loop = aio.new_event_loop()
    calls = []
    try:
        loop.add_signal_handler(signal.SIGUSR1, calls.append, 1)
        loop._signal_handlers[signal.SIGUSR1].cancel()
        os.kill(os.getpid(), signal.SIGUSR1)
        loop.run_until_complete(aio.sleep(0.01))
        assert calls == []
        assert signal.SIGUSR1 not in loop._signal_handlers
        assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL
    finally:
        loop.close()


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_signal_handler_errors(backend):
    aio = MODULES[backend]
    loop = aio.new_event_loop()

    async def coro_fn():
        pass

    def err(fn, *args):
        with pytest.raises(Exception) as info:
            fn(*args)
        return type(info.value).__name__, str(info.value)

    try:
        got = [err(loop.add_signal_handler, signal.SIGUSR1, coro_fn),
               err(loop.add_signal_handler, 1.5, print),
               err(loop.add_signal_handler, 0, print),
               err(loop.add_signal_handler, signal.SIGKILL, print)]
        errors_in_thread = []

        def other_thread():
            other = aio.new_event_loop()
            try:
                other.add_signal_handler(signal.SIGUSR1, print)
            except RuntimeError as exc:
                errors_in_thread.append(type(exc).__name__)
            finally:
                other.close()

        th = threading.Thread(target=other_thread)
        th.start()
        th.join()
    finally:
        loop.close()
    assert got == [("TypeError", "coroutines cannot be used with add_signal_handler()"),
                   ("TypeError", "sig must be an int, not 1.5"),
                   ("ValueError", "invalid signal number 0"),
                   ("RuntimeError", "sig 9 cannot be caught")]
    assert errors_in_thread == ["RuntimeError"]
    assert signal.getsignal(signal.SIGKILL) == signal.SIG_DFL


# ---------------------------------------------------------------- threads and executors

var = contextvars.ContextVar("var", default="unset")


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_to_thread_copies_the_context_and_run_in_executor_does_not(backend):
    def read_and_set():
        seen = var.get()
        var.set("thread")
        return seen, threading.current_thread() is threading.main_thread()

    async def main(aio):
        var.set("task")
        a = await aio.to_thread(read_and_set)
        b = await aio.get_running_loop().run_in_executor(None, read_and_set)
        return a, b, var.get()

    assert run(backend, main) == (("task", False), ("unset", False), "task")


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_cancelling_to_thread_does_not_stop_the_thread(backend):
    release = threading.Event()
    finished = []

    def blocking():
        release.wait(5)
        finished.append(True)
        return "done"

    async def main(aio):
        task = aio.ensure_future(aio.to_thread(blocking))
        await aio.sleep(0.05)
        task.cancel()
        try:
            await task
        except aio.CancelledError:
            cancelled = True
        release.set()
        return cancelled

    assert run(backend, main) is True       # asyncio.run waits for the default executor
    assert finished == [True]


def _square(x):
    return x * x


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_run_in_executor_with_a_process_pool(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        ctx = multiprocessing.get_context("forkserver")
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as pool:
            results = await aio.gather(*(loop.run_in_executor(pool, _square, i)
                                         for i in range(8)))
            pid = await loop.run_in_executor(pool, os.getpid)
            try:
                await loop.run_in_executor(pool, math.sqrt, -1)
            except ValueError as exc:
                error = str(exc)
        return results, pid != os.getpid(), error

    assert run(backend, main) == ([i * i for i in range(8)], True, "math domain error")


@pytest.mark.timeout(10)
@pytest.mark.parametrize("backend", BACKENDS)
def test_default_executor_is_reused_and_shut_down(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        names = await aio.gather(*(loop.run_in_executor(None, lambda: threading.current_thread().name)
                                   for _ in range(4)))
        executor = loop._default_executor
        await loop.shutdown_default_executor()
        with pytest.raises(RuntimeError, match="Executor shutdown has been called"):
            loop.run_in_executor(None, print)
        return names, executor._shutdown

    names, shut = run(backend, main)
    assert all(n.startswith("asyncio_") for n in names) and shut


@pytest.mark.timeout(10)
def test_minloop_to_thread_on_a_virtual_clock():
    # A thread at work stops the virtual clock from jumping past it.
    def slow():
        time.sleep(0.1)
        return "slow done"

    async def main():
        loop = minloop.get_running_loop()
        order = []

        async def sleeper():
            await minloop.sleep(1000)
            order.append("sleep 1000 done")

        task = minloop.ensure_future(sleeper())
        order.append(await minloop.to_thread(slow))
        await task
        return order, loop.time()

    order, now = minloop.run(main(), clock=minloop.VirtualClock())
    assert order == ["slow done", "sleep 1000 done"]


@pytest.mark.timeout(10)
def test_minloop_signal_wakeup_is_read_by_process_self_data():
    # The bytes on the self-pipe: b"\0" from a thread, the signal number from the C handler.
    loop = minloop.new_event_loop()
    seen = []
    original = loop._process_self_data
    loop._process_self_data = lambda data: (seen.append(bytes(data)), original(data))
    try:
        loop.add_signal_handler(signal.SIGUSR1, lambda: None)
        os.kill(os.getpid(), signal.SIGUSR1)
        loop.run_until_complete(minloop.sleep(0.01))
        loop.call_soon_threadsafe(lambda: None)
        loop.run_until_complete(minloop.sleep(0.01))
    finally:
        loop.close()
    assert bytes([signal.SIGUSR1]) in seen and b"\0" in seen
