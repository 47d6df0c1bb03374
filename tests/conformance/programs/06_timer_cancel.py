"""TimerHandle.cancel(): a cancelled timer never fires; when() is kept; cancelling from an earlier timer of the same batch works.
"""

loop = asyncio.new_event_loop()


def say(msg):
    print('fire', msg)


now = loop.time()
t_keep = loop.call_at(now + 0.01, say, 'keep')
t_drop = loop.call_at(now + 0.01, say, 'drop')
w = t_drop.when()
t_drop.cancel()
print('dropped cancelled():', t_drop.cancelled(), 'when kept:', t_drop.when() == w)
print('kept cancelled():', t_keep.cancelled())


def killer():
    print('killer cancels late')
    late.cancel()


loop.call_at(now + 0.04, killer)
late = loop.call_at(now + 0.06, say, 'late (should not fire)')
many = [loop.call_at(now + 0.02 + i / 1000, say, f'many{i}') for i in range(5)]
for h in many[1:4]:
    h.cancel()
loop.call_at(now + 0.08, loop.stop)
loop.run_forever()
print('late.cancelled():', late.cancelled())
loop.close()
