"""Timers with exactly equal deadlines (call_at with one `when`): pins asyncio's firing order.

asyncio keeps timers in a heapq of TimerHandles compared by `when` only, so equal deadlines are
not guaranteed FIFO: the order printed here is what heapq's sift produces in CPython 3.11.
"""

loop = asyncio.new_event_loop()
order = []


def fire(name):
    order.append(name)


for n in (3, 5, 8):
    order.clear()
    when = loop.time() + 0.01
    for i in range(n):
        loop.call_at(when, fire, i)
    loop.call_at(when + 0.001, loop.stop)
    loop.run_forever()
    print(n, 'timers, same when ->', order)
loop.close()
