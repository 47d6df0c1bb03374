"""asyncio 3.11's public names that chapters 00-06 build are there and behave alike:
run_coroutine_threadsafe, iscoroutinefunction, Task.get_stack/print_stack, AbstractEventLoop,
Runner, _enter_task/_leave_task/_register_task/_unregister_task; and nothing 3.11 lacks
(Handle.get_context arrived in 3.12). The Task repr's cb=[...] is stripped (it names the
Task's wake-up method: task_wakeup in C).

conformance: traceback-ok (print_stack prints a "Traceback for <Task ...>" on purpose)
"""
import functools
import io
import re
import threading
import types
import unittest.mock

names = ["run_coroutine_threadsafe", "iscoroutinefunction", "iscoroutine", "AbstractEventLoop",
         "Runner", "run", "_enter_task", "_leave_task", "_register_task", "_unregister_task",
         "_get_running_loop", "_set_running_loop", "BaseEventLoop"]
print("names present:", [n for n in names if hasattr(asyncio, n)])
print("Handle.get_context:", hasattr(asyncio.Handle, "get_context"))


async def coro_fn():
    await asyncio.sleep(0)


@types.coroutine
def gen_coro():
    yield


def plain():
    pass


a_coroutine = coro_fn()
print("iscoroutinefunction:", [asyncio.iscoroutinefunction(f) for f in
                               (coro_fn, functools.partial(coro_fn), gen_coro, plain,
                                lambda: None, a_coroutine, unittest.mock.AsyncMock(),
                                unittest.mock.Mock())])
a_coroutine.close()


async def answer(x):
    await asyncio.sleep(0.01)
    if x is None:
        raise KeyError("none")
    return x * 2


def from_thread(loop, results):
    fut = asyncio.run_coroutine_threadsafe(answer(21), loop)
    results.append(("result", fut.result(timeout=5)))
    fut = asyncio.run_coroutine_threadsafe(answer(None), loop)
    try:
        fut.result(timeout=5)
    except KeyError as exc:
        results.append(("exception", repr(exc)))
    fut = asyncio.run_coroutine_threadsafe(asyncio.sleep(3600), loop)
    fut.cancel()
    results.append(("cancelled", fut.cancelled()))
    try:
        asyncio.run_coroutine_threadsafe(42, loop)
    except TypeError as exc:
        results.append(("TypeError", str(exc)))


async def outer_waiting(evt):
    await inner_waiting(evt)


async def inner_waiting(evt):
    await evt


async def fails():
    raise ValueError("from fails")


async def main():
    loop = asyncio.get_running_loop()
    print("loop is an AbstractEventLoop:", isinstance(loop, asyncio.AbstractEventLoop))
    results = []
    thread = threading.Thread(target=from_thread, args=(loop, results))
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.01)
    thread.join()
    print("run_coroutine_threadsafe:", results)

    fut = loop.create_future()
    t = asyncio.create_task(outer_waiting(fut), name="waiting")
    await asyncio.sleep(0)
    stack = t.get_stack()
    print("suspended:", [f.f_code.co_name for f in stack], len(t.get_stack(limit=0)))
    out = io.StringIO()
    t.print_stack(file=out)
    # (cb=[...] names the Task's wake-up method, which differs: stripped)
    print(re.sub(r" cb=\[.*?\]", "", out.getvalue().replace(__file__, "PROG")), end="")
    fut.set_result(None)
    await t
    out = io.StringIO()
    t.print_stack(file=out)
    print("done:", out.getvalue(), end="")
    print("done get_stack:", t.get_stack())

    t = asyncio.create_task(fails(), name="failing")
    await asyncio.sleep(0)
    print("failed:", [f.f_code.co_name for f in t.get_stack()])
    out = io.StringIO()
    t.print_stack(file=out, limit=1)
    print(out.getvalue().replace(__file__, "PROG"), end="")
    t.exception()

    task = asyncio.current_task()
    try:
        asyncio._enter_task(loop, task)
    except RuntimeError as exc:
        print("_enter_task:", str(exc).split(" while ")[0].split(" <")[0])
    try:
        asyncio._leave_task(loop, None)
    except RuntimeError as exc:
        print("_leave_task:", str(exc).split(" does not")[0])
    asyncio._unregister_task(task)
    print("unregistered, in all_tasks:", task in asyncio.all_tasks())
    asyncio._register_task(task)
    print("registered, in all_tasks:", task in asyncio.all_tasks())


asyncio.run(main())
