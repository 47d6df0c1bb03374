"""A task that catches CancelledError and returns normally is not cancelled: result() is the value it returned.
"""


async def resilient():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print('caught cancellation, cleaning up')
        await asyncio.sleep(0)
        return 'graceful'


async def main():
    t = asyncio.create_task(resilient())
    await asyncio.sleep(0)
    t.cancel()
    value = await t
    print('await ->', value)
    print('cancelled()', t.cancelled(), 'result()', t.result(), 'cancelling()', t.cancelling())


asyncio.run(main())
