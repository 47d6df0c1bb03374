"""With gc disabled: a Future (or Task) that was cancelled while a Task awaited it is freed once the program drops it, even while the awaiting Task (ended cancelled, result not yet retrieved) is kept."""
import gc, weakref

async def m(box):
    await box.pop()

async def child():
    await asyncio.sleep(1)

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    w = asyncio.create_task(m([fut]))
    await asyncio.sleep(0)
    fut.cancel()
    await asyncio.sleep(0); await asyncio.sleep(0)
    print('waiter cancelled:', w.cancelled())
    ref = weakref.ref(fut)
    del fut
    print('future freed:', ref() is None)

    c = asyncio.create_task(child())
    w2 = asyncio.create_task(m([c]))
    await asyncio.sleep(0)
    c.cancel()
    for _ in range(3):
        await asyncio.sleep(0)
    print('waiter2 cancelled:', w2.cancelled(), 'child cancelled:', c.cancelled())
    ref2 = weakref.ref(c)
    del c
    print('child task freed:', ref2() is None)
    try:
        await w2
    except asyncio.CancelledError:
        pass
    print('child task freed after retrieving:', ref2() is None)

gc.disable()
try:
    asyncio.run(main())
finally:
    gc.enable()
