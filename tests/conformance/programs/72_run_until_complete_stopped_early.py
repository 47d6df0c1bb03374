"""run_until_complete whose future is still pending when the loop is stopped raises RuntimeError 'Event loop stopped before Future completed.'; the task can be finished later.
"""


async def slow():
    await asyncio.sleep(0.02)
    return 'finished later'


loop = asyncio.new_event_loop()
task = loop.create_task(slow())
loop.call_soon(loop.stop)
try:
    loop.run_until_complete(task)
except RuntimeError as e:
    print('RuntimeError:', e)
print('task done?', task.done())
print(loop.run_until_complete(task))
loop.close()
