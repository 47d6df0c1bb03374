"""Failed and cancelled Futures and Tasks are freed by reference counting alone (gc disabled).

asyncio's Task and Future are C code: an exception that passes through them leaves no frame in
its traceback that points back at the Future, so a dropped failed Task is freed at once and
"Task exception was never retrieved" is reported while the program still runs. minloop's are
Python code and must drop what their frames hold (CPython's pure-Python Task does `self = None`).
"""
import gc
import weakref

gc.disable()


async def fails(after_sleep=False):
    if after_sleep:
        await asyncio.sleep(0)
    raise ValueError("boom")


async def waits(fut):
    return await fut


async def awaits_task(task):
    return await task


async def main():
    loop = asyncio.get_running_loop()
    seen = []
    loop.set_exception_handler(
        lambda lp, ctx: seen.append(f"{ctx['message']}: {ctx.get('exception')!r}"))

    async def settle():
        for _ in range(3):
            await asyncio.sleep(0)

    def report(label, *refs):
        print(label, ["freed" if r() is None else "alive" for r in refs], seen)
        seen.clear()

    t = asyncio.create_task(fails())
    r = weakref.ref(t)
    await settle()
    del t
    report("failed task dropped:", r)

    t = asyncio.create_task(fails(after_sleep=True))
    r = weakref.ref(t)
    await settle()
    del t
    report("failed after a sleep, dropped:", r)

    f = loop.create_future()
    t = asyncio.create_task(waits(f))
    rt, rf = weakref.ref(t), weakref.ref(f)
    await asyncio.sleep(0)
    t.cancel()
    del f
    await settle()
    del t
    report("task cancelled while waiting on a future:", rt, rf)

    f = loop.create_future()
    t = asyncio.create_task(waits(f))
    rt = weakref.ref(t)
    await asyncio.sleep(0)
    f.set_exception(KeyError("k"))
    del f
    await settle()
    del t
    report("task failed by the future it awaited:", rt)

    inner = asyncio.create_task(fails(after_sleep=True))
    outer = asyncio.create_task(awaits_task(inner))
    ri, ro = weakref.ref(inner), weakref.ref(outer)
    await settle()
    del inner, outer
    report("outer task failed by a failed inner task:", ri, ro)

    f = loop.create_future()
    f.set_exception(OSError("x"))
    rf = weakref.ref(f)
    try:
        f.result()
    except OSError:
        pass
    del f
    report("failed future, result() read:", rf)

    f = loop.create_future()
    f.set_exception(KeyError(1))
    rf = weakref.ref(f)
    try:
        await f
    except KeyError:
        pass
    del f
    report("failed future, awaited:", rf)

    f = loop.create_future()
    f.cancel("m")
    rf = weakref.ref(f)
    for _ in range(2):
        try:
            f.result()
        except asyncio.CancelledError:
            pass
    del f
    report("cancelled future, result() read:", rf)

    f = loop.create_future()
    f.set_exception(RuntimeError("never read"))
    del f
    report("failed future dropped unread:")

    async def catches_then_fails():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            raise RuntimeError("after cancel")

    t = asyncio.create_task(catches_then_fails())
    r = weakref.ref(t)
    await asyncio.sleep(0)
    t.cancel()
    await settle()
    del t
    report("task failing in its except CancelledError:", r)


asyncio.run(main())
print("collected by gc afterwards:", gc.collect() >= 0)
