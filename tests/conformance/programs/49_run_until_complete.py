"""run_until_complete returns the result of a coroutine or future and re-raises its exception; the loop is reusable afterwards.
"""


async def value():
    await asyncio.sleep(0)
    return 'value'


async def fail():
    await asyncio.sleep(0)
    raise ArithmeticError('bad math')


loop = asyncio.new_event_loop()
print(loop.run_until_complete(value()))
fut = loop.create_future()
loop.call_soon(fut.set_result, 'from future')
print(loop.run_until_complete(fut))
try:
    loop.run_until_complete(fail())
except ArithmeticError as e:
    print('re-raised:', e)
task = loop.create_task(value())
print('task result:', loop.run_until_complete(task), task.done())
print('running after?', loop.is_running())
loop.close()
