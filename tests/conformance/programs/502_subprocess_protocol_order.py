"""subprocess_exec with a SubprocessProtocol: connection_made first, connection_lost(None) last after process_exited and every pipe_connection_lost; data per fd; the transport's methods.

The order of pipe events and process_exited between the first and the last callback depends
on how fast the child exits, so it is printed sorted; what asyncio guarantees is printed as is.
"""
import sys

CHILD = ("import sys\n"
         "sys.stdout.write('to out'); sys.stdout.flush()\n"
         "sys.stderr.write('to err'); sys.stderr.flush()\n"
         "sys.stdin.read()\n")


class Proto(asyncio.SubprocessProtocol):
    def __init__(self, done):
        self.done = done
        self.events = []
        self.data = {1: b'', 2: b''}

    def connection_made(self, transport):
        self.events.append('connection_made')
        self.transport = transport

    def pipe_data_received(self, fd, data):
        self.data[fd] += data
        if ('data', fd) not in self.events:
            self.events.append(('data', fd))
        if self.data == {1: b'to out', 2: b'to err'}:
            self.transport.get_pipe_transport(0).close()   # EOF on the child's stdin

    def pipe_connection_lost(self, fd, exc):
        self.events.append(('pipe_connection_lost', fd, exc))

    def process_exited(self):
        self.events.append(('process_exited', self.transport.get_returncode()))

    def connection_lost(self, exc):
        self.events.append(('connection_lost', exc))
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport, proto = await loop.subprocess_exec(lambda: Proto(done), sys.executable, '-c', CHILD)
    print('returned after connection_made:', proto.events == ['connection_made'])
    print('transport:', type(transport).__name__, transport.get_pid() > 0)
    print('pipes:', [type(transport.get_pipe_transport(fd)).__name__ for fd in (0, 1, 2)])
    print('extra subprocess is a Popen:', type(transport.get_extra_info('subprocess')).__name__)
    await done
    ev = proto.events
    print('first:', ev[0])
    print('middle:', sorted(map(str, ev[1:-1])))
    print('last:', ev[-1])
    print('data:', proto.data)
    print('returncode:', transport.get_returncode(), 'is_closing:', transport.is_closing())
    transport.close()


asyncio.run(main())
