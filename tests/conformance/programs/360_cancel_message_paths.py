"""Cancel messages through TaskGroup body, timeout(), shield() and wait_for(): which message reaches the outside, and result() twice."""
async def sleeper():
    await asyncio.sleep(1)

async def in_tg():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(sleeper())
        await asyncio.sleep(1)

async def in_timeout():
    async with asyncio.timeout(10):
        await asyncio.sleep(1)

async def in_shield(inner):
    await asyncio.shield(inner)

async def in_wait_for():
    await asyncio.wait_for(sleeper(), 10)

async def main():
    inner = asyncio.create_task(sleeper())
    for name, coro in [('tg', in_tg()), ('timeout', in_timeout()), ('shield', in_shield(inner)), ('wait_for', in_wait_for())]:
        t = asyncio.create_task(coro)
        await asyncio.sleep(0); await asyncio.sleep(0)
        t.cancel(f'msg-{name}')
        try:
            await t
        except asyncio.CancelledError as e:
            print(name, e.args, t.cancelling())
        for _ in range(2):
            try:
                t.result()
            except asyncio.CancelledError as e:
                print('  result', e.args)
    print('inner still running', not inner.done())
    inner.cancel()

asyncio.run(main())
