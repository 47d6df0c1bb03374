"""Cancelling the gather future cancels every unfinished child; awaiting the gather then raises CancelledError.
"""


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, 'finished')
        return name
    except asyncio.CancelledError as e:
        print(name, 'cancelled, args', e.args)
        raise
    finally:
        print(name, 'finally')


async def main():
    quick = asyncio.create_task(child('quick', 0))
    g = asyncio.gather(quick, child('a', 1), child('b', 1))
    await asyncio.sleep(0.01)
    print('gather.cancel() ->', g.cancel())
    print('gather.cancel() again ->', g.cancel())
    try:
        await g
    except asyncio.CancelledError as e:
        print('await gather raised CancelledError, args', e.args)
    print('g.cancelled():', g.cancelled())
    print('quick stays finished:', quick.result())


asyncio.run(main())
