"""With gc disabled, a failed Task that was awaited (error caught) is freed once the last reference is dropped."""
import gc, weakref

async def boom():
    await asyncio.sleep(0)
    raise ValueError('boom')

async def main():
    t = asyncio.create_task(boom())
    try:
        await t
    except ValueError as e:
        print('caught', e)
    ref = weakref.ref(t)
    del t
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('task freed:', ref() is None)

gc.disable()
try:
    asyncio.run(main())
finally:
    gc.enable()
