"""Within one loop iteration, callbacks already queued by call_soon run first, then IO callbacks for ready file descriptors, then timers that became due.
"""
import socket

loop = asyncio.new_event_loop()
r, w = socket.socketpair()
r.setblocking(False)
w.send(b'x')


def on_readable():
    r.recv(10)
    loop.remove_reader(r)
    print('IO callback')


loop.call_at(loop.time() - 1, print, 'due timer (scheduled first)')
loop.add_reader(r, on_readable)
loop.call_soon(print, 'call_soon callback (scheduled last)')
loop.call_later(0.05, loop.stop)
loop.run_forever()
r.close()
w.close()
loop.close()
