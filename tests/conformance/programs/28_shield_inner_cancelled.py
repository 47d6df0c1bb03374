"""shield does not protect against the inner task itself being cancelled: the awaiter then gets CancelledError; an inner exception propagates through shield.
"""


async def sleeper():
    await asyncio.sleep(1)


async def failing():
    await asyncio.sleep(0)
    raise RuntimeError('inner failed')


async def main():
    inner = asyncio.create_task(sleeper())
    outer = asyncio.shield(inner)
    asyncio.get_running_loop().call_later(0.01, inner.cancel)
    try:
        await outer
    except asyncio.CancelledError:
        print('outer raised CancelledError; outer.cancelled() =', outer.cancelled())
    try:
        await asyncio.shield(failing())
    except RuntimeError as e:
        print('inner exception propagated:', e)


asyncio.run(main())
