"""The traceback of an exception caught after awaiting a failed Task, or a Future a Task waited on, names only the program's frames.

(Not here: `await` on a Future that has already failed. asyncio's C Future adds no frame;
minloop's pure-Python one adds Future.__next__ and Future.result, which no Python code can
leave out. minloop/futures.py says so.)
"""
import traceback

async def boom():
    await asyncio.sleep(0)
    raise ValueError('boom')

async def main():
    t = asyncio.create_task(boom())
    try:
        await t
    except ValueError as e:
        print([f.name for f in traceback.extract_tb(e.__traceback__)])
    fut = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_soon(fut.set_exception, KeyError('k'))
    try:
        await fut
    except KeyError as e:
        print([f.name for f in traceback.extract_tb(e.__traceback__)])

asyncio.run(main())
