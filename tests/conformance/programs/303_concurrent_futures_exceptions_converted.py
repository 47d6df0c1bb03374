"""Exceptions of concurrent.futures come back converted to asyncio's (CancelledError,
InvalidStateError, TimeoutError), from run_in_executor and wrap_future alike; a cancelled
concurrent Future cancels the loop Future.
"""
import concurrent.futures


def raises(exc):
    raise exc


async def main():
    loop = asyncio.get_running_loop()
    cases = [concurrent.futures.CancelledError("cf-cancel"),
             concurrent.futures.InvalidStateError("cf-state"),
             concurrent.futures.TimeoutError("cf-timeout"),
             ValueError("plain")]
    for exc in cases:
        try:
            await loop.run_in_executor(None, raises, exc)
        except BaseException as got:
            print("run_in_executor:", type(got).__module__, type(got).__qualname__, got.args,
                  "same object" if got is exc else "converted",
                  "| asyncio's:", isinstance(got, (asyncio.CancelledError,
                                                   asyncio.InvalidStateError,
                                                   asyncio.TimeoutError)))
    for exc in cases:
        cf = concurrent.futures.Future()
        fut = asyncio.wrap_future(cf)
        cf.set_exception(exc)
        try:
            await fut
        except BaseException as got:
            print("wrap_future:", type(got).__qualname__, got.args, fut.cancelled())
    cf = concurrent.futures.Future()
    fut = asyncio.wrap_future(cf)
    cf.cancel()
    try:
        await fut
    except asyncio.CancelledError:
        print("concurrent future cancelled -> loop future cancelled:", fut.cancelled())
    cf = concurrent.futures.Future()
    fut = asyncio.wrap_future(cf)
    fut.cancel()
    await asyncio.sleep(0)
    print("loop future cancelled -> concurrent future cancelled:", cf.cancelled())
    print("wrap_future of a Future returns it:", asyncio.wrap_future(fut) is fut)
    for bad in (5, None):
        try:
            asyncio.wrap_future(bad)
        except BaseException as exc:
            print("wrap_future(%r):" % (bad,), type(exc).__name__, exc)


asyncio.run(main())
