"""Bad input gets asyncio's error: the same exception type and the message a user reads.

Every scenario runs on asyncio and on minloop in the same test and must agree."""

import asyncio
import gc
import re
import sys

import pytest

import minloop


def outcome(fn, mod):
    """Run fn(mod); return ('ok', value) or (exception type name, message)."""
    try:
        return ("ok", fn(mod))
    except BaseException as exc:  # noqa: BLE001 - we compare whatever is raised
        return (type(exc).__name__, str(exc))


def normalize(text):
    """What may differ: object addresses, the Task-N counter (both run in this one process,
    so their counters have advanced differently), and the loop's own source file and line
    (asyncio/base_events.py:180 vs minloop/base_events.py:51)."""
    text = re.sub(r" at 0x[0-9a-f]+", " at 0x…", text)
    text = re.sub(r"Task-\d+", "Task-N", text)
    return re.sub(r"at \S*/(asyncio|minloop)/(\w+)\.py:\d+", r"at <loop>/\2.py", text)


def same_on_both(fn):
    a = outcome(fn, asyncio)
    m = outcome(fn, minloop)
    assert (a[0], normalize(str(a[1]))) == (m[0], normalize(str(m[1]))), \
        f"asyncio: {a}\nminloop: {m}"
    return a


# ---------------------------------------------------------------- run()

def run_inside_running_loop(mod):
    async def inner():
        return 1

    async def main():
        coro = inner()
        try:
            mod.run(coro)
        finally:
            coro.close()

    mod.run(main())


def run_non_coroutine(mod):
    mod.run(1)


def run_coroutine_function_not_called(mod):
    async def main():
        pass
    mod.run(main)


def test_run_inside_running_loop():
    kind, msg = same_on_both(run_inside_running_loop)
    assert kind == "RuntimeError" and "cannot be called from a running event loop" in msg


def test_run_non_coroutine():
    kind, msg = same_on_both(run_non_coroutine)
    assert (kind, msg) == ("ValueError", "a coroutine was expected, got 1")


def test_run_coroutine_function_not_called():
    kind, msg = same_on_both(run_coroutine_function_not_called)
    assert kind == "ValueError" and msg.startswith("a coroutine was expected, got <function")


# ---------------------------------------------------------------- the loop

def run_until_complete_on_closed_loop(mod):
    loop = mod.new_event_loop()
    loop.close()
    coro = mod.sleep(0)
    try:
        loop.run_until_complete(coro)
    finally:
        coro.close()


def run_until_complete_while_running(mod):
    loop = mod.new_event_loop()

    async def main():
        coro = mod.sleep(0)
        try:
            loop.run_until_complete(coro)
        finally:
            coro.close()

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()


def run_forever_twice_nested(mod):
    loop = mod.new_event_loop()

    def cb():
        try:
            loop.run_forever()
        finally:
            loop.stop()

    def handler(loop, context):
        raise context["exception"]

    loop.set_exception_handler(lambda lp, ctx: errors.append(ctx["exception"]))
    errors = []
    loop.call_soon(cb)
    loop.run_forever()
    loop.close()
    raise errors[0]


def close_running_loop(mod):
    loop = mod.new_event_loop()
    errors = []
    loop.set_exception_handler(lambda lp, ctx: errors.append(ctx["exception"]))
    loop.call_soon(loop.close)
    loop.call_soon(loop.stop)
    loop.run_forever()
    loop.close()
    raise errors[0]


def call_soon_on_closed_loop(mod):
    loop = mod.new_event_loop()
    loop.close()
    loop.call_soon(print)


def call_later_none_delay(mod):
    loop = mod.new_event_loop()
    try:
        loop.call_later(None, print)
    finally:
        loop.close()


def stop_before_future_done(mod):
    loop = mod.new_event_loop()
    fut = loop.create_future()
    loop.call_soon(loop.stop)
    try:
        loop.run_until_complete(fut)
    finally:
        loop.close()


def get_running_loop_outside(mod):
    mod.get_running_loop()


@pytest.mark.parametrize("scenario, kind, text", [
    (run_until_complete_on_closed_loop, "RuntimeError", "Event loop is closed"),
    (run_until_complete_while_running, "RuntimeError", "This event loop is already running"),
    (run_forever_twice_nested, "RuntimeError", "This event loop is already running"),
    (close_running_loop, "RuntimeError", "Cannot close a running event loop"),
    (call_soon_on_closed_loop, "RuntimeError", "Event loop is closed"),
    (call_later_none_delay, "TypeError", "delay must not be None"),
    (stop_before_future_done, "RuntimeError", "Event loop stopped before Future completed."),
    (get_running_loop_outside, "RuntimeError", "no running event loop"),
])
def test_loop_misuse(scenario, kind, text):
    assert same_on_both(scenario) == (kind, text)


# ---------------------------------------------------------------- Futures

def result_of_pending_future(mod):
    loop = mod.new_event_loop()
    try:
        loop.create_future().result()
    finally:
        loop.close()


def exception_of_pending_future(mod):
    loop = mod.new_event_loop()
    try:
        loop.create_future().exception()
    finally:
        loop.close()


def set_result_twice(mod):
    loop = mod.new_event_loop()
    try:
        fut = loop.create_future()
        fut.set_result(1)
        fut.set_result(2)
    finally:
        loop.close()


def set_exception_after_cancel(mod):
    loop = mod.new_event_loop()
    try:
        fut = loop.create_future()
        fut.cancel()
        fut.set_exception(ValueError())
    finally:
        loop.close()


def set_stop_iteration(mod):
    loop = mod.new_event_loop()
    try:
        loop.create_future().set_exception(StopIteration())
    finally:
        loop.close()


def result_of_cancelled_future_with_message(mod):
    loop = mod.new_event_loop()
    try:
        fut = loop.create_future()
        fut.cancel("stop it")
        fut.result()
    finally:
        loop.close()


def task_set_result(mod):
    async def main():
        mod.current_task().set_result(1)
    mod.run(main())


@pytest.mark.parametrize("scenario, kind, text", [
    (result_of_pending_future, "InvalidStateError", "Result is not set."),
    (exception_of_pending_future, "InvalidStateError", "Exception is not set."),
    (set_result_twice, "InvalidStateError", "invalid state"),
    (set_exception_after_cancel, "InvalidStateError", "invalid state"),
    (set_stop_iteration, "TypeError",
     "StopIteration interacts badly with generators and cannot be raised into a Future"),
    (result_of_cancelled_future_with_message, "CancelledError", "stop it"),
    (task_set_result, "RuntimeError", "Task does not support set_result operation"),
])
def test_future_misuse(scenario, kind, text):
    if scenario is set_stop_iteration and sys.version_info >= (3, 13):
        # gh-112182: asyncio 3.13 stores a RuntimeError instead of raising; minloop mirrors 3.11.
        assert outcome(scenario, minloop) == (kind, text)
        return
    assert same_on_both(scenario) == (kind, text)


# ---------------------------------------------------------------- Tasks awaiting the wrong thing

def future_from_another_loop(mod):
    other = mod.new_event_loop()
    try:
        async def main():
            await other.create_future()
        mod.run(main())
    finally:
        other.close()


def task_awaits_itself(mod):
    async def main():
        await mod.current_task()
    mod.run(main())


def bad_yield(mod):
    import types

    @types.coroutine
    def gen():
        yield 42

    async def main():
        await gen()
    mod.run(main())


def create_task_of_non_coroutine(mod):
    async def main():
        mod.create_task(42)
    mod.run(main())


def test_future_from_another_loop():
    kind, msg = same_on_both(future_from_another_loop)
    assert kind == "RuntimeError" and msg.endswith("attached to a different loop")


def test_task_awaits_itself():
    kind, msg = same_on_both(task_awaits_itself)
    assert kind == "RuntimeError" and msg.startswith("Task cannot await on itself: <Task pending")


def test_bad_yield():
    assert same_on_both(bad_yield) == ("RuntimeError", "Task got bad yield: 42")


def test_create_task_of_non_coroutine():
    assert same_on_both(create_task_of_non_coroutine) == (
        "TypeError", "a coroutine was expected, got 42")


def test_wait_with_no_futures():
    def scenario(mod):
        async def main():
            await mod.wait([])
        mod.run(main())
    assert same_on_both(scenario) == ("ValueError", "Set of Tasks/Futures is empty.")


# ---------------------------------------------------------------- errors with no caller

def test_exception_in_callback_goes_to_handler_and_loop_keeps_running():
    def scenario(mod):
        loop = mod.new_event_loop()
        seen = []
        loop.set_exception_handler(lambda lp, ctx: seen.append(
            (ctx["message"].split(" at ")[0], type(ctx["exception"]).__name__, "handle" in ctx)))

        def boom():
            raise ZeroDivisionError

        loop.call_soon(boom)
        loop.call_soon(seen.append, "still running")
        loop.call_soon(loop.stop)
        loop.run_forever()
        loop.close()
        return seen

    kind, seen = same_on_both(scenario)
    assert seen == [("Exception in callback test_exception_in_callback_goes_to_handler_and_"
                     "loop_keeps_running.<locals>.scenario.<locals>.boom()",
                     "ZeroDivisionError", True), "still running"]


def test_default_handler_logs_to_asyncio_logger(caplog):
    def scenario(mod):
        loop = mod.new_event_loop()
        loop.call_soon(lambda: 1 / 0)
        loop.call_soon(loop.stop)
        caplog.clear()
        loop.run_forever()
        loop.close()
        (rec,) = caplog.records
        return rec.name, rec.levelname, rec.getMessage().split(" at ")[0], rec.exc_info[0].__name__

    kind, value = same_on_both(scenario)
    assert value == ("asyncio", "ERROR",
                     "Exception in callback test_default_handler_logs_to_asyncio_logger."
                     "<locals>.scenario.<locals>.<lambda>()", "ZeroDivisionError")


def test_unretrieved_exception_reported_when_collected():
    def scenario(mod):
        loop = mod.new_event_loop()
        seen = []
        loop.set_exception_handler(lambda lp, ctx: seen.append(
            (ctx["message"], type(ctx["exception"]).__name__)))
        fut = loop.create_future()
        fut.set_exception(KeyError("lost"))
        del fut
        gc.collect()
        loop.close()
        return seen

    assert same_on_both(scenario) == ("ok", [("Future exception was never retrieved", "KeyError")])


def test_task_exception_never_retrieved():
    def scenario(mod):
        seen = []

        async def fails():
            raise ValueError("nobody looked")

        async def main():
            mod.get_running_loop().set_exception_handler(lambda lp, ctx: seen.append(
                (ctx["message"], repr(ctx["exception"]))))
            mod.create_task(fails())
            await mod.sleep(0)
            await mod.sleep(0)
            gc.collect()

        mod.run(main())
        return seen

    assert same_on_both(scenario) == (
        "ok", [("Task exception was never retrieved", "ValueError('nobody looked')")])
