"""A TaskGroup child that is cancelled (from outside or by itself) is not an error: the group goes on and the siblings finish; a child's cancel() during the body is visible to the body only through that child.
"""


async def worker(log, name, delay):
    try:
        await asyncio.sleep(delay)
        log.append(f'{name} done')
        return name
    except asyncio.CancelledError as e:
        log.append(f'{name} cancelled {e.args}')
        raise


async def quitter():
    await asyncio.sleep(0)
    raise asyncio.CancelledError('I quit')


async def main():
    log = []
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(worker(log, 'a', 1))
        b = tg.create_task(worker(log, 'b', 0.01))
        q = tg.create_task(quitter())
        await asyncio.sleep(0)
        print('cancel a ->', a.cancel('not needed'))
    print(log, a.cancelled(), b.result(), q.cancelled(), asyncio.current_task().cancelling())


asyncio.run(main())
