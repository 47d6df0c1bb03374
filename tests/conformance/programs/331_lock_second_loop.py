"""A Lock that made a waiter on one loop refuses to wait on another; uncontended acquire still works there."""
import re
def r(s):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', str(s))

lock = asyncio.Lock()
async def first():
    await lock.acquire()
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    lock.release()
    await t
    print('first', r(lock))
asyncio.run(first())

async def second():
    try:
        await lock.acquire()
    except RuntimeError as e:
        print('RuntimeError', r(e))
    lock.release()
    print('acquire uncontended', await lock.acquire(), r(lock))
    lock.release()
asyncio.run(second())
