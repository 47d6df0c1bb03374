"""call_soon runs callbacks FIFO; a callback scheduled while callbacks run waits for the next iteration.

Callbacks A, B, C are queued before the loop starts.  A schedules A2 and B schedules B2 while the
first batch runs: they run after C, in the order they were scheduled.  Arguments are passed
positionally, and call_soon returns a Handle.
"""

loop = asyncio.new_event_loop()
log = []


def cb(name, *extra):
    log.append(name)
    print('run', name, extra)
    if name == 'A':
        loop.call_soon(cb, 'A2')
    if name == 'B':
        loop.call_soon(cb, 'B2', 'x', 2)
    if name == 'B2':
        loop.call_soon(loop.stop)


h = loop.call_soon(cb, 'A')
print('handle is Handle:', isinstance(h, asyncio.Handle))
print('handle is TimerHandle:', isinstance(h, asyncio.TimerHandle))
loop.call_soon(cb, 'B')
loop.call_soon(cb, 'C', 1)
print('nothing ran yet:', log)
loop.run_forever()
print('order:', log)
loop.close()
