"""Task.cancelling()/uncancel() with timeouts and TaskGroups: each cancel() adds one, timeouts and groups take back only their own, cancel messages reach the coroutine, uncancel() never goes below zero.
"""


async def main():
    me = asyncio.current_task()
    print('start', me.cancelling(), 'uncancel() at zero ->', me.uncancel())
    async with asyncio.timeout(0.01):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print('inside expiring timeout', me.cancelling())
            raise
    # unreachable: the TimeoutError goes out


async def wrapper():
    me = asyncio.current_task()
    try:
        await main()
    except TimeoutError:
        print('TimeoutError, cancelling()', me.cancelling())
    t = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0)
    print(t.cancel('a'), t.cancel('b'), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print('message of the first cancel wins', e.args)
    print('done task: cancel ->', t.cancel('c'), 'cancelling', t.cancelling())

    async def group_member():
        raise ValueError('x')
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(group_member())
            await asyncio.sleep(1)
    except ExceptionGroup:
        print('after group error, cancelling()', me.cancelling())


asyncio.run(wrapper())
