"""wait_for(timeout=0 or negative): a done future's result is returned; otherwise the awaitable is cancelled (a coroutine never starts) and TimeoutError is raised.
"""


async def body(name):
    print(name, 'body started (should not happen for a fresh coroutine)')
    await asyncio.sleep(0)
    return name


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result('already done')
    print(await asyncio.wait_for(done, 0))
    for timeout in (0, -1):
        try:
            await asyncio.wait_for(body(f'coro timeout={timeout}'), timeout)
        except TimeoutError:
            print('timeout', timeout, '-> TimeoutError')
    started = asyncio.create_task(body('running task'))
    await asyncio.sleep(0)
    try:
        await asyncio.wait_for(started, 0)
    except TimeoutError:
        print('started task -> TimeoutError; cancelled():', started.cancelled())


asyncio.run(main())
