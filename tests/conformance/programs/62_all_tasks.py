"""all_tasks() returns the set of unfinished tasks of the running loop, including the current one (printed as sorted names).
"""


async def sleeper(d):
    await asyncio.sleep(d)


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    print('only main:', names(asyncio.all_tasks()))
    a = asyncio.create_task(sleeper(0.01), name='a')
    b = asyncio.create_task(sleeper(10), name='b')
    print('returns a set:', type(asyncio.all_tasks()).__name__)
    print('after create:', names(asyncio.all_tasks()))
    await a
    print('after a finished:', names(asyncio.all_tasks()))
    b.cancel()
    await asyncio.sleep(0)
    print('after b cancelled:', names(asyncio.all_tasks()))
    loop = asyncio.get_running_loop()
    print('explicit loop:', names(asyncio.all_tasks(loop)))


asyncio.run(main())
try:
    asyncio.all_tasks()
except RuntimeError as e:
    print('outside a loop:', e)
