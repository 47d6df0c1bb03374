"""Cancelling a gather(return_exceptions=True) still makes awaiting it raise CancelledError (the cancellation wins over return_exceptions); cancel() returns False once all children are done.
"""


async def child(name):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print(name, 'cancelled')
        raise


async def quick():
    return 'q'


async def main():
    g = asyncio.gather(child('a'), child('b'), return_exceptions=True)
    await asyncio.sleep(0)
    print('cancel ->', g.cancel('stop'))
    try:
        print('result', await g)
    except asyncio.CancelledError as e:
        print('CancelledError, args', e.args)
    g2 = asyncio.gather(quick(), quick())
    await asyncio.sleep(0)
    print('children done, gather done?', g2.done(), '; cancel ->', g2.cancel())
    print('gather result', await g2)


asyncio.run(main())
