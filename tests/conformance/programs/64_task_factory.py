"""set_task_factory: create_task, ensure_future and gather route coroutines through the factory (called as factory(loop, coro)); None restores the default.
"""

made = []


def factory(loop, coro, **kwargs):
    made.append(coro.__qualname__)
    task = asyncio.Task(coro, loop=loop, **kwargs)
    task.set_name('factory-' + task.get_name())
    return task


async def job(n):
    return n


async def main():
    loop = asyncio.get_running_loop()
    print('default factory:', loop.get_task_factory())
    loop.set_task_factory(factory)
    print('factory installed:', loop.get_task_factory() is factory)
    t = asyncio.create_task(job(1))
    print('create_task name:', t.get_name(), await t)
    f = asyncio.ensure_future(job(2))
    print('ensure_future name:', f.get_name(), await f)
    print('gather:', await asyncio.gather(job(3), job(4)))
    print('coroutines made by factory:', made)
    loop.set_task_factory(None)
    t = asyncio.create_task(job(5))
    print('after reset:', loop.get_task_factory(), t.get_name(), await t)
    try:
        loop.set_task_factory('nope')
    except TypeError as e:
        print('TypeError:', e)


asyncio.run(main())
