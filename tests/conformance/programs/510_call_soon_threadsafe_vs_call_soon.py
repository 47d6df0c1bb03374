"""From another thread, call_soon_threadsafe wakes a loop asleep in select at once; plain call_soon from a thread queues the callback but nothing wakes the loop, so it runs only when the timer the loop sleeps towards fires.
"""
import threading
import time


async def main():
    loop = asyncio.get_running_loop()
    log = []

    def from_thread(method, callback):
        time.sleep(0.02)
        method(callback)

    for name in ('call_soon_threadsafe', 'call_soon'):
        log.clear()
        timer_fired = loop.create_future()
        deadline = loop.time() + 0.3
        loop.call_at(deadline, lambda f=timer_fired: (log.append('timer'), f.set_result(None)))
        th = threading.Thread(target=from_thread,
                              args=(getattr(loop, name), lambda: log.append(loop.time())))
        th.start()
        await timer_fired
        th.join()
        # Both run in the iteration the timer fires in, for call_soon: the callback was
        # already in _ready, the timer joined it after select.
        ran_at = log[0]
        print(f'{name}: ran well before the timer was due: {ran_at < deadline - 0.1}, '
              f'then {log[1:]}')
    # Callbacks from several threads: each thread's callbacks keep their order.
    done = loop.create_future()
    seen = {0: [], 1: [], 2: []}

    def worker(k):
        for i in range(50):
            loop.call_soon_threadsafe(seen[k].append, i)
        loop.call_soon_threadsafe(lambda: None if done.done() or sum(map(len, seen.values())) < 150
                                  else done.set_result(None))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for th in threads:
        th.start()
    await done
    for th in threads:
        th.join()
    print('per-thread order kept:', all(v == list(range(50)) for v in seen.values()))


asyncio.run(main())
