"""Task.cancelling() counts pending cancel requests; uncancel() decrements and returns the new count; cancel() while already cancelling still returns True.
"""


async def stubborn():
    me = asyncio.current_task()
    for round_ in range(2):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as e:
            print('round', round_, 'caught, args', e.args, 'cancelling()', me.cancelling())
            print('uncancel() ->', me.uncancel())
            print('cancelling() now', me.cancelling())
    return 'survived'


async def main():
    t = asyncio.create_task(stubborn())
    print('fresh cancelling()', t.cancelling())
    await asyncio.sleep(0)
    print('cancel ->', t.cancel('first'), 'cancelling()', t.cancelling())
    print('cancel again ->', t.cancel('second'), 'cancelling()', t.cancelling())
    await asyncio.sleep(0)
    print('after first delivery cancelling()', t.cancelling())
    await asyncio.sleep(0)
    print('cancel ->', t.cancel('third'), 'cancelling()', t.cancelling())
    print('result', await t, 'cancelled()', t.cancelled(), 'cancelling()', t.cancelling())


asyncio.run(main())
