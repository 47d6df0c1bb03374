"""call_soon_threadsafe from another thread wakes a loop that is blocked in select with nothing else to do.

The loop has no timers and no ready callbacks while it waits, so only the self-pipe wake-up
can make it run the callback; a hang here is a failure (the runner times out).
"""
import threading
import time


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def in_thread():
        time.sleep(0.05)
        loop.call_soon_threadsafe(fut.set_result, 'woken by thread')

    t0 = loop.time()
    th = threading.Thread(target=in_thread)
    th.start()
    print(await fut)
    await asyncio.sleep(0)
    th.join()
    print('woke promptly:', loop.time() - t0 < 0.5)
    h = loop.call_soon_threadsafe(print, 'handle from threadsafe')
    print('returns a Handle:', isinstance(h, asyncio.Handle))
    await asyncio.sleep(0)


asyncio.run(main())
