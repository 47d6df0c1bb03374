"""remove_done_callback removes every registration of that callback and returns how many it removed.
"""

loop = asyncio.new_event_loop()
fut = loop.create_future()


def a(f):
    print('a runs')


def b(f):
    print('b runs')


fut.add_done_callback(a)
fut.add_done_callback(b)
fut.add_done_callback(a)
fut.add_done_callback(a)
print('remove a ->', fut.remove_done_callback(a))
print('remove a again ->', fut.remove_done_callback(a))
print('remove never-added ->', fut.remove_done_callback(print))
fut.add_done_callback(a)
fut.set_result(None)
print('remove b after done (callbacks already scheduled) ->', fut.remove_done_callback(b))
loop.call_soon(loop.stop)
loop.run_forever()
loop.close()
