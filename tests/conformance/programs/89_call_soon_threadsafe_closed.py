"""call_soon_threadsafe on a closed loop raises RuntimeError 'Event loop is closed'; loop.time() still works after close.
"""

loop = asyncio.new_event_loop()
loop.close()
try:
    loop.call_soon_threadsafe(print, 'x')
except RuntimeError as e:
    print('call_soon_threadsafe:', e)
print('time() still a float:', isinstance(loop.time(), float))
coro = asyncio.sleep(0)
try:
    loop.create_task(coro)
except RuntimeError as e:
    print('create_task:', e)
finally:
    coro.close()
