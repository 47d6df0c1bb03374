"""asyncio.Future() inside a running loop binds to it; Future(loop=...) binds to the given loop; a generator-based coroutine can `yield from` a Future.
"""
import types


@types.coroutine
def legacy(fut):
    value = yield from fut
    return f'legacy got {value}'


async def main():
    loop = asyncio.get_running_loop()
    f = asyncio.Future()
    print('bound to running loop:', f.get_loop() is loop)
    other = asyncio.new_event_loop()
    g = asyncio.Future(loop=other)
    print('bound to given loop:', g.get_loop() is other)
    other.close()
    loop.call_soon(f.set_result, 'v')
    print(await legacy(f))
    t = asyncio.create_task(asyncio.sleep(0))
    print('task get_loop is loop:', t.get_loop() is loop)
    await t
    print('Task is a Future subclass:', issubclass(asyncio.Task, asyncio.Future))


asyncio.run(main())
