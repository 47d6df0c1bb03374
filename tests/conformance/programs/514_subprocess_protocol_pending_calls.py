"""A child that writes and exits at once: data and exit that arrive before connection_made are held back and delivered after it; transport.close() on a running child kills it.
"""
import sys


class Proto(asyncio.SubprocessProtocol):
    def __init__(self, done):
        self.done, self.events = done, []

    def connection_made(self, transport):
        self.events.append('connection_made')

    def pipe_data_received(self, fd, data):
        # A write may arrive in pieces: one event per fd, with all its bytes.
        if ('data', fd) not in self.events:
            self.events.append(('data', fd))
        self.data = getattr(self, 'data', b'') + data

    def pipe_connection_lost(self, fd, exc):
        self.events.append(('lost', fd))

    def process_exited(self):
        self.events.append('exited')

    def connection_lost(self, exc):
        self.events.append(('connection_lost', exc))
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport, proto = await loop.subprocess_exec(
        lambda: Proto(done), sys.executable, '-c', 'print("hi")', stdin=None, stderr=None)
    await done
    print(proto.events[0], proto.events[-1])
    print(sorted(map(str, proto.events[1:-1])))
    print('data:', proto.data, 'returncode:', transport.get_returncode())
    transport.close()
    done = loop.create_future()
    transport, proto = await loop.subprocess_exec(
        lambda: Proto(done), sys.executable, '-c', 'import time; time.sleep(30)')
    transport.close()
    print('closing:', transport.is_closing())
    await done
    print('killed:', transport.get_returncode(), proto.events[-1])


asyncio.run(main())
