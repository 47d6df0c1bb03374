"""timeout() around a TaskGroup, inside an outer TaskGroup: the deadline hits while a child of the inner group fails too."""
async def fails_late(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append('fails_late cancelled; raising KeyError')
        raise KeyError('during cancel')

async def fails(delay, exc):
    await asyncio.sleep(delay)
    raise exc

async def inner(log):
    try:
        try:
            async with asyncio.timeout(0.01) as cm:
                async with asyncio.TaskGroup() as tg:
                    tg.create_task(fails_late(log))
                    await asyncio.sleep(1)
        except TimeoutError:
            log.append('inner TimeoutError')
    except* KeyError as eg:
        log.append(('inner except* KeyError', [repr(e) for e in eg.exceptions], cm.expired(), asyncio.current_task().cancelling()))
    return 'inner done'

async def main():
    log = []
    try:
        async with asyncio.TaskGroup() as outer:
            a = outer.create_task(inner(log))
            outer.create_task(fails(0.3, OSError('late')))   # well after inner is done
    except* OSError as eg:
        print('outer', [repr(e) for e in eg.exceptions])
    print(a.result(), log)

asyncio.run(main())
