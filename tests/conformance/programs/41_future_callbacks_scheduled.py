"""Future done callbacks are scheduled through the loop (call_soon), never called synchronously, in registration order, with the future as argument.

A callback added after the future is done is scheduled too, not run on the spot.
"""

loop = asyncio.new_event_loop()
fut = loop.create_future()


def cb(name):
    def callback(f):
        print('callback', name, 'got the future:', f is fut, 'result', f.result())
    return callback


fut.add_done_callback(cb('first'))
fut.add_done_callback(cb('second'))
loop.call_soon(print, 'call_soon queued before set_result')
print('set_result...')
fut.set_result('R')
print('set_result returned; callbacks have not run yet')
fut.add_done_callback(cb('late'))
print('late callback added; not run yet')
loop.call_soon(print, 'call_soon queued after set_result')
loop.call_soon(loop.stop)
loop.run_forever()
loop.close()
