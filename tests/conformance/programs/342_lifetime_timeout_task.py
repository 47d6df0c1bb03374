"""With gc disabled: a Task that ended with TimeoutError from timeout() is freed after its exception is retrieved and it is dropped; so is the Future it slept on."""
import gc, weakref

async def worker():
    async with asyncio.timeout(0.005):
        await asyncio.sleep(1)

async def main():
    t = asyncio.create_task(worker())
    try:
        await t
    except TimeoutError as e:
        print('TimeoutError, cause', type(e.__cause__).__name__)
    r = weakref.ref(t)
    del t
    await asyncio.sleep(0)
    print('task freed:', r() is None)

gc.disable()
try:
    asyncio.run(main())
finally:
    gc.enable()
