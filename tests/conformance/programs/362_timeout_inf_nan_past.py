"""timeout with inf, a deadline in the past, reschedule into the past while active, and timeout_at with an int."""
async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(float('inf')) as cm:
        await asyncio.sleep(0.001)
    print(repr(cm), cm.when())
    try:
        async with asyncio.timeout_at(loop.time() - 100) as cm:
            print('entered', repr(cm).split('when=')[0])
            await asyncio.sleep(0)
            print('not reached')
    except TimeoutError:
        print('past deadline TimeoutError', cm.expired())
    try:
        async with asyncio.timeout(10) as cm:
            await asyncio.sleep(0)
            cm.reschedule(loop.time() - 1)
            print('rescheduled; still running')
            await asyncio.sleep(0)
            print('not reached')
    except TimeoutError:
        print('rescheduled past -> TimeoutError')
    async with asyncio.timeout_at(int(loop.time()) + 10000) as cm:
        print(type(cm.when()).__name__, repr(cm).startswith('<Timeout [active] when='))

asyncio.run(main())
