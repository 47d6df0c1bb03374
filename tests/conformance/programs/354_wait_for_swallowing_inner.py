"""wait_for whose inner task swallows the cancellation and returns a value at timeout; and one that raises another error while being cancelled."""
async def swallow():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        return 'swallowed'

async def other():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        raise KeyError('in cleanup')

async def main():
    print(await asyncio.wait_for(swallow(), 0.005))
    try:
        await asyncio.wait_for(other(), 0.005)
    except KeyError as e:
        print('KeyError', e, type(e.__context__).__name__)
    try:
        print(await asyncio.wait_for(swallow(), 0))
    except TimeoutError as e:
        print('zero: TimeoutError', repr(e.__cause__))
    try:
        await asyncio.wait_for(other(), 0)
    except KeyError as e:
        print('KeyError zero', e)
    loop = asyncio.get_running_loop()
    f = loop.create_future(); f.set_result(3)
    print(await asyncio.wait_for(f, 0), await asyncio.wait_for(f, -1))

asyncio.run(main())
