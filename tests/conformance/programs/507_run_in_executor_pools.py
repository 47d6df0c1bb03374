"""run_in_executor with a ThreadPoolExecutor and a ProcessPoolExecutor: results, exceptions, unpicklable work, the default executor after shutdown_default_executor, set_default_executor's check.
"""
import concurrent.futures
import math
import multiprocessing
import os


async def main():
    loop = asyncio.get_running_loop()
    ctx = multiprocessing.get_context('forkserver')
    with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, math.factorial, n)
                                         for n in (5, 10, 20)))
        print('process pool:', results)
        pid = await loop.run_in_executor(pool, os.getpid)
        print('ran in another process:', pid != os.getpid())
        try:
            await loop.run_in_executor(pool, math.factorial, -1)
        except ValueError as exc:
            print('exception from the worker:', type(exc).__name__)
        try:
            await loop.run_in_executor(pool, lambda: 1)
        except Exception as exc:
            print('unpicklable function: raised', isinstance(exc, Exception))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        print('own thread pool:', await loop.run_in_executor(pool, sum, [1, 2, 3]))
    try:
        loop.set_default_executor(concurrent.futures.ProcessPoolExecutor(mp_context=ctx))
    except TypeError as exc:
        print('set_default_executor ->', exc)
    print('default:', await loop.run_in_executor(None, max, 3, 9))
    await loop.shutdown_default_executor()
    await loop.shutdown_default_executor()
    try:
        loop.run_in_executor(None, max, 1, 2)
    except RuntimeError as exc:
        print('after shutdown_default_executor ->', exc)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        print('an explicit executor still works:', await loop.run_in_executor(pool, min, 3, 9))


asyncio.run(main())
