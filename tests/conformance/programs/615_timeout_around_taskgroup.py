"""timeout() around a TaskGroup: the deadline cancels the parent, the group cancels and awaits its children, and the Timeout turns the CancelledError into TimeoutError; a timeout inside one child only fails that child.
"""


async def child(log, name, delay):
    try:
        await asyncio.sleep(delay)
        log.append(f'{name} finished')
    except asyncio.CancelledError:
        log.append(f'{name} cancelled')
        raise


async def limited(log):
    try:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(1)
    except TimeoutError:
        log.append('limited timed out')
        raise


async def main():
    me = asyncio.current_task()
    log = []
    try:
        async with asyncio.timeout(0.01):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child(log, 'only', 1))
    except TimeoutError as e:
        print('TimeoutError from', type(e.__cause__).__name__, log, me.cancelling())

    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(limited(log))
            tg.create_task(child(log, 'other', 1))
    except* TimeoutError as eg:
        print('group of', [type(e).__name__ for e in eg.exceptions], log, me.cancelling())


asyncio.run(main())
