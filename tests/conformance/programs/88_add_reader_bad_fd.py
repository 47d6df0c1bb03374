"""add_reader/add_writer reject bad file objects with ValueError; re-adding a reader replaces its callback; remove_* on a closed loop return False.
"""
import socket

loop = asyncio.new_event_loop()
for bad in (-1, 'not a file'):
    try:
        loop.add_reader(bad, print)
    except (ValueError, TypeError) as e:
        print('add_reader', repr(bad), '->', type(e).__name__ + ':', e)
r, w = socket.socketpair()
loop.add_reader(r, print, 'old callback (should not run)')


def new_cb():
    print('new callback got', r.recv(10))
    loop.remove_reader(r)
    loop.stop()


loop.add_reader(r, new_cb)
w.send(b'data')
loop.run_forever()
loop.add_writer(w, print)
loop.close()
print('remove_reader on closed loop ->', loop.remove_reader(r))
print('remove_writer on closed loop ->', loop.remove_writer(w))
r.close()
w.close()
