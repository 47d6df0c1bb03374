"""all_tasks(loop)/current_task(loop) for a loop that is not running: its unfinished tasks, and None.
"""


async def job(n):
    await asyncio.sleep(0)
    return n


loop = asyncio.new_event_loop()
a = loop.create_task(job(1), name='a')
b = loop.create_task(job(2), name='b')
print('all_tasks:', sorted(t.get_name() for t in asyncio.all_tasks(loop)))
print('current_task:', asyncio.current_task(loop))
print(loop.run_until_complete(a))
print('after a:', sorted(t.get_name() for t in asyncio.all_tasks(loop)))
print(loop.run_until_complete(b))
print('after b:', sorted(t.get_name() for t in asyncio.all_tasks(loop)))
loop.close()
