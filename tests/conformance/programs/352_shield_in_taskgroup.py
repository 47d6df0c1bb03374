"""shield() inside a TaskGroup body when a sibling fails: the body's await is cancelled, the shielded Task keeps running and is awaited afterwards."""
async def precious(log):
    await asyncio.sleep(0.01)
    log.append('precious done')
    return 'kept'

async def bad():
    await asyncio.sleep(0.001)
    raise RuntimeError('sibling')

async def main():
    log = []
    p = asyncio.create_task(precious(log))
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(bad())
            try:
                await asyncio.shield(p)
            except asyncio.CancelledError as e:
                log.append(('body cancelled', e.args, p.done(), asyncio.current_task().cancelling()))
                raise
    except* RuntimeError as eg:
        log.append(('group', [str(e) for e in eg.exceptions]))
    log.append(('after', asyncio.current_task().cancelling()))
    print(await p, log)

asyncio.run(main())
