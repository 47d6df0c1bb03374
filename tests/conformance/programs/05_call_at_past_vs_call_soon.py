"""A timer already due (call_at in the past, call_later(0) or negative delay) runs after call_soon callbacks queued before the same iteration.

In one _run_once iteration asyncio appends due timers to the ready queue after what call_soon
queued, so the call_soon callbacks run first even if scheduled later.
"""

loop = asyncio.new_event_loop()


def say(msg):
    print('run', msg)


loop.call_at(loop.time() - 10, say, 'call_at past')
loop.call_later(0, say, 'call_later 0')
loop.call_later(-1, say, 'call_later -1')
loop.call_soon(say, 'call_soon 1')
loop.call_soon(say, 'call_soon 2')
loop.call_later(0.01, loop.stop)
loop.run_forever()
loop.close()
