"""asyncio.run() called while an exception is being handled: the __context__ of errors a Task sees (awaited failure, cancellation, timeout)."""
async def boom():
    await asyncio.sleep(0)
    raise ValueError('boom')

async def main():
    t = asyncio.create_task(boom())
    try:
        await t
    except ValueError as e:
        print('awaited failure context:', repr(e.__context__))
    c = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0)
    c.cancel()
    try:
        await c
    except asyncio.CancelledError as e:
        print('cancel context:', repr(e.__context__))
    try:
        async with asyncio.timeout(0):
            await asyncio.sleep(1)
    except TimeoutError as e:
        print('timeout context:', repr(e.__context__), repr(e.__cause__.__context__))
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(boom())
    except ExceptionGroup as eg:
        print('group context:', repr(eg.__context__), repr(eg.exceptions[0].__context__))

try:
    raise KeyError('outer')
except KeyError:
    asyncio.run(main())
