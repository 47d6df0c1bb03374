"""A TaskGroup child that raises CancelledError by itself (nobody cancelled it) and one that is cancelled from outside: neither aborts the group."""
async def self_cancel():
    await asyncio.sleep(0)
    raise asyncio.CancelledError('mine')

async def slow(log):
    await asyncio.sleep(0.005)
    log.append('slow finished')
    return 'slow'

async def main():
    log = []
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(self_cancel())
        b = tg.create_task(slow(log))
        c = tg.create_task(slow(log))
        await asyncio.sleep(0)
        c.cancel('outside')
    print(a.cancelled(), b.result(), c.cancelled(), log)
    for t in (a, c):
        try:
            t.result()
        except asyncio.CancelledError as e:
            print('result raises', e.args)
        try:
            t.result()
        except asyncio.CancelledError as e:
            print('again', e.args)

asyncio.run(main())
