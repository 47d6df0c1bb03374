"""A closed loop refuses work with RuntimeError 'Event loop is closed'; close() is idempotent; a running loop cannot be closed.
"""


async def coro():
    return 1


loop = asyncio.new_event_loop()
print('is_closed() fresh:', loop.is_closed(), 'is_running():', loop.is_running())
loop.close()
loop.close()
print('is_closed() after close:', loop.is_closed())
c = coro()
for label, action in [('run_until_complete', lambda: loop.run_until_complete(c)),
                      ('run_forever', loop.run_forever),
                      ('call_soon', lambda: loop.call_soon(print)),
                      ('call_later', lambda: loop.call_later(1, print)),
                      ('call_at', lambda: loop.call_at(1, print))]:
    try:
        action()
        print(label, 'succeeded?!')
    except RuntimeError as e:
        print(label, '->', e)
c.close()

loop2 = asyncio.new_event_loop()


def try_close():
    try:
        loop2.close()
    except RuntimeError as e:
        print('close while running ->', e)
    loop2.stop()


loop2.call_soon(try_close)
loop2.run_forever()
print('loop2 closed?', loop2.is_closed())
loop2.close()
print('loop2 closed now?', loop2.is_closed())
