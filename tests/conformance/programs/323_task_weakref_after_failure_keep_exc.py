"""With gc disabled, a failed Task is freed after its exception was caught and kept (the exception's traceback must not hold the Task)."""
import gc, weakref

async def boom():
    await asyncio.sleep(0)
    raise ValueError('boom')

async def main():
    t = asyncio.create_task(boom())
    kept = None
    try:
        await t
    except ValueError as e:
        kept = e
    ref = weakref.ref(t)
    del t
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('task freed:', ref() is None, 'kept:', kept)
    del kept

gc.disable()
try:
    asyncio.run(main())
finally:
    gc.enable()
