"""A Task inside an expired timeout is also cancelled from outside (with a message) in the same tick: CancelledError wins; cancelling() counts."""
async def inner(log):
    t = asyncio.current_task()
    try:
        async with asyncio.timeout(0.01) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError as e:
                log.append(('inner saw', e.args, t.cancelling()))
                raise
    except TimeoutError:
        log.append('TimeoutError')
    except asyncio.CancelledError as e:
        log.append(('CancelledError out', e.args, t.cancelling(), cm.expired()))
        raise

async def main():
    log = []
    t = asyncio.create_task(inner(log))
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    fire = loop.create_future()
    loop.call_later(0.01, fire.set_result, None)
    await fire
    # timer of the timeout was due at the same time; cancel from outside now
    t.cancel('outside')
    try:
        await t
    except asyncio.CancelledError as e:
        print('task cancelled', e.args)
    print(log, t.cancelling())

asyncio.run(main())
