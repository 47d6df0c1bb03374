"""The timeout timer and the awaited Future's completion due at the same loop time, in both scheduling orders: which wins, what happens to the Future (a cancelled Future refuses set_result: stderr).
conformance: stderr-ok
"""
async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    when = loop.time() + 0.01
    t = asyncio.current_task()
    try:
        async with asyncio.timeout_at(when) as cm:
            loop.call_at(when, fut.set_result, 'value')
            r = await fut
            print('got', r)
    except TimeoutError:
        print('TimeoutError; fut cancelled', fut.cancelled(), cm.expired())
    fut2 = loop.create_future()
    when = loop.time() + 0.01
    loop.call_at(when, fut2.set_result, 'value2')
    try:
        async with asyncio.timeout_at(when) as cm:
            r = await fut2
            print('got', r)
    except TimeoutError:
        print('TimeoutError; fut2', fut2.cancelled() or fut2.result(), cm.expired())
    print('cancelling', t.cancelling())

asyncio.run(main())
