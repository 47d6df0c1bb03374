"""add_reader calls back when a socket is readable; remove_reader returns True once, then False; add_writer fires while writable.
"""
import socket

loop = asyncio.new_event_loop()
r, w = socket.socketpair()
r.setblocking(False)
w.setblocking(False)
chunks = []


def on_readable(tag):
    data = r.recv(100)
    chunks.append(data)
    print('readable', tag, data)
    if data == b'stop':
        print('remove_reader ->', loop.remove_reader(r))
        print('remove_reader again ->', loop.remove_reader(r))
        loop.stop()


writes = []


def on_writable():
    writes.append(1)
    if len(writes) == 3:
        print('writer fired 3 times; remove_writer ->', loop.remove_writer(w))
        w.send(b'hello')
        loop.call_later(0.01, w.send, b'stop')


print('remove_reader before adding ->', loop.remove_reader(r))
loop.add_reader(r, on_readable, 'r')
loop.add_writer(w.fileno(), on_writable)
loop.run_forever()
print('chunks:', chunks)
print('remove_writer after removal ->', loop.remove_writer(w))
r.close()
w.close()
loop.close()
