"""Lock errors: release() of an unlocked Lock raises RuntimeError('Lock is not acquired.'); 'async with lock as x' gives None and releases on an exception; a Lock bound to one loop refuses another ('... is bound to a different event loop'); a Lock that never waited binds to no loop.
"""
import re


def r(text):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', str(text))


shared = asyncio.Lock()
unbound = asyncio.Lock()


async def first_loop():
    try:
        shared.release()
    except RuntimeError as e:
        print('RuntimeError:', e)
    async with shared as x:
        print('as ->', x, shared.locked())
    try:
        async with shared:
            raise KeyError('boom')
    except KeyError:
        print('after exception, locked:', shared.locked())
    await shared.acquire()
    t = asyncio.create_task(shared.acquire())   # waits: binds the lock to this loop
    await asyncio.sleep(0)
    shared.release()
    await t
    shared.release()
    async with unbound:                          # never waits: never binds
        pass


async def second_loop():
    async with unbound:
        print('unbound lock works on a second loop')
    await shared.acquire()                       # free: no waiter Future, no check
    print('uncontended acquire on the second loop works')
    try:
        await shared.acquire()                   # must wait: makes a Future, checks the loop
    except RuntimeError as e:
        print('RuntimeError:', r(e))
    shared.release()


asyncio.run(first_loop())
asyncio.run(second_loop())
