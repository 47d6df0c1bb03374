"""Cancelling a task that awaits gather(...) cancels the gather and through it every child; the children's finally blocks run.
"""


async def child(name):
    try:
        await asyncio.sleep(1)
    finally:
        print(name, 'finally')


async def parent():
    try:
        await asyncio.gather(child('a'), child('b'))
    except asyncio.CancelledError as e:
        print('parent cancelled, args', e.args)
        raise


async def main():
    p = asyncio.create_task(parent())
    await asyncio.sleep(0.01)
    p.cancel('stop all')
    try:
        await p
    except asyncio.CancelledError:
        print('parent task cancelled()', p.cancelled())


asyncio.run(main())
