"""current_task(): the running task inside a coroutine, None in a plain callback, RuntimeError 'no running event loop' outside any loop.
"""


async def child():
    return asyncio.current_task()


async def main():
    me = asyncio.current_task()
    print('inside main: is a Task', isinstance(me, asyncio.Task), 'name', me.get_name())
    t = asyncio.create_task(child())
    print('child saw itself:', (await t) is t)
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: print('in a callback current_task() is', asyncio.current_task()))
    await asyncio.sleep(0)
    print('explicit loop argument:', asyncio.current_task(loop) is me)


try:
    asyncio.current_task()
except RuntimeError as e:
    print('outside a loop:', e)
asyncio.run(main())
