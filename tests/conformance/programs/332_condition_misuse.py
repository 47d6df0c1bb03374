"""Condition without the lock: wait, notify, notify_all errors; Condition sharing a Lock; wait_for predicate raising."""
import re
def r(o):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(o))

async def main():
    c = asyncio.Condition()
    for name, call in [('wait', lambda: c.wait()), ('wait_for', lambda: c.wait_for(lambda: False))]:
        try:
            await call()
        except RuntimeError as e:
            print(name, 'RuntimeError', e)
    for name in ('notify', 'notify_all'):
        try:
            getattr(c, name)()
        except RuntimeError as e:
            print(name, 'RuntimeError', e)
    lock = asyncio.Lock()
    c2 = asyncio.Condition(lock)
    async with lock:
        print(r(c2), c2.locked())
    print(r(c2))
    async with c2:
        try:
            await c2.wait_for(lambda: 1 / 0)
        except ZeroDivisionError as e:
            print('ZeroDivisionError, locked:', c2.locked())
    try:
        c2.release()
    except RuntimeError as e:
        print('release', e)
    sem = asyncio.Semaphore()
    try:
        asyncio.Condition(sem)
        print('Condition(Semaphore) accepted')
    except Exception as e:
        print(type(e).__name__, e)

asyncio.run(main())
