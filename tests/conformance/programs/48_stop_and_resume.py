"""loop.stop() ends run_forever after the current iteration; run_forever can be called again and picks up where it left; stop() before run_forever runs one iteration.
"""

loop = asyncio.new_event_loop()


def tick(n):
    print('tick', n)
    if n == 2:
        loop.stop()
        print('stop() called during tick 2')
    if n < 5:
        loop.call_soon(tick, n + 1)


loop.call_soon(tick, 1)
loop.run_forever()
print('run_forever returned; is_running():', loop.is_running())
loop.stop()
print('stop() before run_forever')
loop.run_forever()
print('returned after one iteration')
loop.call_soon(loop.stop)
loop.run_forever()
print('third run_forever returned')
loop.close()
