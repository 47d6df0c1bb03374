"""shield: cancelling the outer await raises CancelledError in the waiter while the shielded inner task keeps running to completion.
"""


async def precious():
    print('precious starts')
    await asyncio.sleep(0.1)
    print('precious finishes')
    return 'saved'


async def waiter(inner):
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        print('waiter cancelled while inner runs on; inner.done() =', inner.done())
        raise


async def main():
    inner = asyncio.create_task(precious())
    w = asyncio.create_task(waiter(inner))
    await asyncio.sleep(0.01)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print('waiter task cancelled():', w.cancelled())
    print('inner result:', await inner)
    print('shield of a done future returns it:', asyncio.shield(inner) is inner)
    r = await asyncio.shield(precious())
    print('shield of a coroutine ->', r)


asyncio.run(main())
