"""The context dicts the exception handler receives have asyncio's keys in asyncio's order, for
every message the loop, Futures, Tasks and run() send it.
"""
import gc

contexts = []


def handler(loop, context):
    contexts.append((context["message"].split(" at ")[0], list(context)))


async def fails():
    raise ValueError("x")


async def waits(fut):
    await fut


async def agen():
    try:
        yield 1
    finally:
        raise RuntimeError("in aclose")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    loop.call_soon(lambda: 1 / 0)
    await asyncio.sleep(0)
    fut = loop.create_future()
    fut.set_exception(KeyError(1))
    del fut
    t = asyncio.create_task(fails())
    await asyncio.sleep(0)
    del t
    t = asyncio.create_task(waits(loop.create_future()))   # nobody can ever wake it
    await asyncio.sleep(0)
    del t
    gc.collect()

    async def survives():
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            raise OSError("during shutdown")
    asyncio.ensure_future(survives())
    g = agen()
    await g.__anext__()
    main.g = g
    await asyncio.sleep(0)


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(main())
    # run()'s clean-up, done by hand on this loop
    tasks = asyncio.all_tasks(loop)
    for t in tasks:
        t.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    for t in tasks:
        if not t.cancelled() and t.exception() is not None:
            loop.call_exception_handler({"message": "unhandled exception during asyncio.run() "
                                                    "shutdown", "exception": t.exception(),
                                         "task": t})
    loop.run_until_complete(loop.shutdown_asyncgens())

    def bad_handler(loop, context):
        raise ZeroDivisionError

    seen = []
    loop.set_exception_handler(bad_handler)
    loop.default_exception_handler = lambda context: seen.append(list(context))
    loop.call_exception_handler({"message": "custom"})
    print("handler that raised, default handler got:", seen)
finally:
    asyncio.set_event_loop(None)
    loop.close()
for message, keys in contexts:
    print(message, keys)
