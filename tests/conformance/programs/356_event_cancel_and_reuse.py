"""Event: a waiter cancelled after set() woke it still returns? cancelled; clear/set cycles; waiters deque left; second loop."""
import re
def r(o):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', str(o))

async def w(ev, name, log):
    try:
        log.append((name, await ev.wait()))
    except asyncio.CancelledError as e:
        log.append((name, 'cancelled', e.args))
        raise

async def main():
    ev = asyncio.Event()
    log = []
    ts = [asyncio.create_task(w(ev, n, log)) for n in 'abc']
    await asyncio.sleep(0)
    print(r(ev))
    ev.set()
    ts[1].cancel('late')
    ev.clear()
    await asyncio.gather(*ts, return_exceptions=True)
    print(log, r(ev), len(ev._waiters))
    return ev

ev = asyncio.run(main())
async def again():
    t = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    print('second loop waits?', not t.done())
asyncio.run(again()) if False else None
async def again2():
    try:
        await ev.wait()
    except RuntimeError as e:
        print('RuntimeError', r(e))
asyncio.run(again2())
