"""Bad input to the loop's methods gets asyncio's exception type and message:
set_default_executor(5), comparing a TimerHandle with 5, a task factory that returns an
object without set_name (a DeprecationWarning, then no name), set_task_factory(5),
set_exception_handler(5), call_at(None), Handle ordering.
"""
import concurrent.futures
import warnings


def attempt(label, fn):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn()
    except Exception as exc:
        print(f"{label}: {type(exc).__name__}: {exc}")
    else:
        print(f"{label}: ok {value!r}", [(w.category.__name__, str(w.message)) for w in caught])


loop = asyncio.new_event_loop()
attempt("set_default_executor(5)", lambda: loop.set_default_executor(5))
attempt("set_default_executor(process pool)", lambda: loop.set_default_executor(
    concurrent.futures.ProcessPoolExecutor()))
early = loop.call_later(1, print)
late = loop.call_later(2, print)
for op in ("<", "<=", ">", ">="):
    attempt(f"TimerHandle {op} 5", lambda: eval(f"early {op} 5"))
    attempt(f"5 {op} TimerHandle", lambda: eval(f"5 {op} early"))
    attempt(f"TimerHandle {op} TimerHandle", lambda: eval(f"early {op} late"))
attempt("TimerHandle == 5", lambda: early == 5)
attempt("TimerHandle != 5", lambda: early != 5)
attempt("sorted timers", lambda: [h is early for h in sorted([late, early])])
attempt("Handle < Handle", lambda: loop.call_soon(print) < loop.call_soon(print))
attempt("call_at(None)", lambda: loop.call_at(None, print))
attempt("set_task_factory(5)", lambda: loop.set_task_factory(5))
attempt("set_exception_handler(5)", lambda: loop.set_exception_handler(5))


def factory(lp, coro):
    coro.close()
    return lp.create_future()    # no set_name


async def main():
    pass

loop.set_task_factory(factory)
attempt("create_task(name=...) with a factory lacking set_name",
        lambda: type(loop.create_task(main(), name="named")).__name__)
attempt("create_task() with that factory, no name",
        lambda: type(loop.create_task(main())).__name__)
loop.set_task_factory(None)
for handle in (early, late):
    handle.cancel()
loop.close()
