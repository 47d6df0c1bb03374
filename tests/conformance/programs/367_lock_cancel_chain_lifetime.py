"""With gc disabled: a Task cancelled while it waited in Lock.acquire() (result not retrieved) does not keep the waiter Future alive; a CancelledError caught by the program does not hold the awaited Task."""
import gc, weakref

async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    ref = weakref.ref(lock._waiters[0])
    t.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('t cancelled', t.cancelled(), 'waiter future freed', ref() is None)

    async def sleeper():
        await asyncio.sleep(1)
    s = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    s.cancel()
    saved = None
    try:
        await s
    except asyncio.CancelledError as e:
        saved = e
    ref2 = weakref.ref(s)
    del s
    await asyncio.sleep(0)
    print('awaited task freed while its CancelledError is kept:', ref2() is None)
    lock.release()

gc.disable()
try:
    asyncio.run(main())
finally:
    gc.enable()
