"""With gc disabled: after a TaskGroup's ExceptionGroup is handled with except*, the failed child and the cancelled sibling are freed."""
import gc, weakref

refs = []

async def bad():
    await asyncio.sleep(0)
    raise ValueError('bad')

async def slow():
    await asyncio.sleep(1)

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            refs.append(weakref.ref(tg.create_task(bad())))
            refs.append(weakref.ref(tg.create_task(slow())))
    except* ValueError as eg:
        print('handled', [repr(e) for e in eg.exceptions])
    await asyncio.sleep(0)
    print('freed:', [r() is None for r in refs])

gc.disable()
try:
    asyncio.run(main())
finally:
    gc.enable()
