"""Task names: default 'Task-N' from a global counter, name= on create_task, set_name/get_name, non-string names turned into str.

In CPython 3.11, asyncio.create_task(coro, name=...) creates the task under a default name
first (using up a Task-N number) and renames it; loop.create_task(coro, name=...) does not.
The numbers printed show that.
"""


async def noop():
    pass


async def main():
    print('main task:', asyncio.current_task().get_name())
    t1 = asyncio.create_task(noop())
    t2 = asyncio.create_task(noop(), name='worker')
    t3 = asyncio.get_running_loop().create_task(noop(), name=42)
    t4 = asyncio.ensure_future(noop())
    print([t.get_name() for t in (t1, t2, t3, t4)])
    t1.set_name('renamed')
    t2.set_name(3.5)
    print([t.get_name() for t in (t1, t2)], type(t2.get_name()).__name__)
    g = asyncio.gather(noop(), noop())
    await g
    t5 = asyncio.create_task(noop())
    print('after gather wrapped two coroutines:', t5.get_name())
    await asyncio.gather(t1, t2, t3, t4, t5)
    print('get_coro:', t2.get_coro().__qualname__, t2.get_coro() is not None)


asyncio.run(main())
