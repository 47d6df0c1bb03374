"""timeout() fires while the TaskGroup inside it waits in __aexit__ for a child; the child then fails during its cancellation: the ExceptionGroup wins; the timeout stays expired; cancelling() afterwards."""
async def child(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append('child cancelled')
        raise OSError('cleanup failed')

async def main():
    log = []
    t = asyncio.current_task()
    try:
        try:
            async with asyncio.timeout(0.01) as cm:
                async with asyncio.TaskGroup() as tg:
                    tg.create_task(child(log))
        except TimeoutError:
            log.append('TimeoutError')
    except* OSError as eg:
        log.append(('OSError group', [str(e) for e in eg.exceptions], cm.expired(), t.cancelling()))
    print(log, repr(cm), t.cancelling())
    await asyncio.sleep(0)
    print('still alive')

asyncio.run(main())
