"""shield() inside timeout(): the deadline cancels the outer await and raises TimeoutError, the shielded Task goes on and can still be awaited for its result.
"""


async def precious(log):
    await asyncio.sleep(0.02)
    log.append('precious finished')
    return 'saved'


async def main():
    log = []
    inner = asyncio.create_task(precious(log))
    try:
        async with asyncio.timeout(0.01):
            await asyncio.shield(inner)
    except TimeoutError:
        print('TimeoutError; inner cancelled?', inner.cancelled(), 'done?', inner.done())
    print('await inner ->', await inner, log)


asyncio.run(main())
