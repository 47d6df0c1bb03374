"""An async generator dropped while the loop runs is finalized by the loop's asyncgen finalizer hook (aclose scheduled as a task).

The generator is abandoned mid-iteration (break out of `async for`), its last reference is
dropped, and its finally block runs in a later loop iteration, not synchronously.
"""
import gc


async def numbers():
    try:
        for i in range(10):
            yield i
    finally:
        print('numbers finally runs, inside a task:', asyncio.current_task() is not None)


async def main():
    async for n in numbers():
        if n == 2:
            break
    print('broke out of async for')
    gc.collect()
    print('gc.collect() done (finalizer only scheduled)')
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('main ends')


asyncio.run(main())
