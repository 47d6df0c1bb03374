"""A Queue whose get() waited on one loop refuses another loop; one that never waited works on any loop."""
import re
def r(s):
    return re.sub(r' at 0x[0-9a-f]+', '', str(s))

q = asyncio.Queue()
async def first():
    t = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print('first loop: getter cancelled')
asyncio.run(first())

async def second():
    q.put_nowait(5)
    print('get_nowait', q.get_nowait())
    try:
        await q.get()
    except RuntimeError as e:
        print('RuntimeError', r(e))
    print(r(q), len(q._getters))
asyncio.run(second())

q3 = asyncio.Queue()
async def fill():
    q3.put_nowait(1)
    return await q3.get()
print(asyncio.run(fill()), asyncio.run(fill()))
