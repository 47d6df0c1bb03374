"""call_later timers fire in deadline order, not in the order they were scheduled.

Also: TimerHandle.when() is loop.time()-based, TimerHandles are Handles, and a timer scheduled
from inside a timer callback (call_at with an absolute deadline between two pending timers)
fires in deadline order among them. Deadlines are spaced so that scheduling jitter of the
machine cannot reorder what is printed.
"""

loop = asyncio.new_event_loop()
order = []


def fire(name):
    order.append(name)
    print('fire', name)
    if name == 't10':
        loop.call_at(t0 + 0.12, fire, 't120 (scheduled by t10)')
    if name == 't150':
        loop.stop()


t0 = loop.time()
pairs = []
for delay in (0.03, 0.01, 0.15, 0.02, 0.04):
    pairs.append((loop.call_later(delay, fire, f't{round(delay * 1000)}'), delay))
handles = [h for h, _ in pairs]
print('TimerHandle:', all(isinstance(h, asyncio.TimerHandle) for h in handles))
print('Handle:', all(isinstance(h, asyncio.Handle) for h in handles))
print('delays sorted by when():', [d for h, d in sorted(pairs, key=lambda p: p[0].when())])
print('when() >= t0 + delay:', all(h.when() >= t0 + d for h, d in pairs))
loop.run_forever()
print('order:', order)
print('elapsed at least 0.15:', loop.time() - t0 >= 0.149)
loop.close()
