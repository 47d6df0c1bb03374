"""A reader and a writer on the same socket both fire; removing one leaves the other registered.
"""
import socket

loop = asyncio.new_event_loop()
a, b = socket.socketpair()
a.setblocking(False)
b.setblocking(False)
events = []


def on_read():
    events.append('read ' + a.recv(10).decode())
    loop.remove_reader(a)
    loop.call_soon(loop.stop)


def on_write():
    events.append('write')
    print('remove_writer ->', loop.remove_writer(a))
    a.send(b'to-b')
    b.send(b'to-a')


loop.add_reader(a, on_read)
loop.add_writer(a, on_write)
loop.run_forever()
print(events)
print('b received', b.recv(10))
print('remove_reader after ->', loop.remove_reader(a), 'remove_writer after ->', loop.remove_writer(a))
a.close()
b.close()
loop.close()
