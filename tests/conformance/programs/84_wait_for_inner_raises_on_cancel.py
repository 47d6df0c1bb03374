"""wait_for timeout where the inner task raises a different exception while being cancelled: that exception propagates instead of TimeoutError.
"""


async def messy():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        raise LookupError('cleanup failed')


async def main():
    try:
        await asyncio.wait_for(messy(), 0.01)
    except TimeoutError:
        print('TimeoutError')
    except LookupError as e:
        print('LookupError propagated:', e)


asyncio.run(main())
