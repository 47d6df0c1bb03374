"""stop() called by a callback lets the rest of the current batch run; callbacks they schedule wait for the next run_forever.
"""

loop = asyncio.new_event_loop()


def cb(name):
    print('run', name)
    loop.call_soon(print, 'scheduled by', name)


loop.call_soon(cb, 'A')
loop.call_soon(loop.stop)
loop.call_soon(cb, 'B')
loop.run_forever()
print('--- run_forever returned')
loop.call_soon(loop.stop)
loop.run_forever()
print('--- second run_forever returned')
loop.close()
