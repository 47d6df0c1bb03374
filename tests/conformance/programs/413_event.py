"""Event: set() wakes every waiter (they run in the order they waited) and wait() returns True; wait() on a set Event returns at once; clear(); a waiter cancelled or timed out leaves; reprs '[set]', '[unset, waiters:n]'.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def waiter(name, ev, log):
    log.append(f'{name} -> {await ev.wait()}')


async def main():
    ev = asyncio.Event()
    log = []
    print(r(ev), ev.is_set())
    tasks = [asyncio.create_task(waiter(f'w{i}', ev, log)) for i in range(3)]
    await asyncio.sleep(0)
    print(r(ev))
    ev.set()
    ev.set()
    print('set:', r(ev), log)
    await asyncio.gather(*tasks)
    print(log, r(ev))
    print('wait on set event ->', await ev.wait())
    ev.clear()
    print(r(ev), ev.is_set())
    try:
        await asyncio.wait_for(ev.wait(), 0.01)
    except asyncio.TimeoutError:
        print('TimeoutError; waiters left:', r(ev))
    t = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    print('cancelled waiter gone:', r(ev))
    # set() then clear() before the waiters run: they still return True.
    log.clear()
    tasks = [asyncio.create_task(waiter(f'v{i}', ev, log)) for i in range(2)]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    await asyncio.gather(*tasks)
    print(log, r(ev))


asyncio.run(main())
