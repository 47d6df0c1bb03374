"""In debug mode the network layer logs what asyncio's logs: 'is serving', 'got a new connection', 'connected to', 'handled', 'received EOF', pauses/resumes reading and writing, 'Get address info'.

Messages are normalized (fd numbers, ports, object addresses, the module of
StreamReaderProtocol) and printed sorted, since the client and server ends log in an order
that depends on which socket the selector reports first. Only the network layer's messages
are kept (debug mode's slow-callback warnings depend on the machine's load), each once: how
many times reading pauses depends on how the kernel splits the bytes.
"""
import logging
import re
import socket

KEEP = ('is serving', 'got a new connection', 'connected to', 'handled:', 'received EOF',
        'pauses reading', 'resumes reading', 'pauses writing', 'resumes writing',
        'Get address info', 'Getting address info')
records = []


class Capture(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if not any(k in msg for k in KEEP):
            return
        msg = re.sub(r"fd=\d+", "fd=N", msg)
        msg = re.sub(r"'127\.0\.0\.1', \d+", "'127.0.0.1', PORT", msg)
        msg = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", msg)
        msg = re.sub(r"<[\w.]*StreamReaderProtocol object at 0x[0-9a-f]+>",
                     "<StreamReaderProtocol>", msg)
        if msg.startswith('Getting address info'):
            msg = msg.split(' took ')[0]     # the time it took, and the level it sets
            records.append(msg)
        else:
            records.append(f'{record.levelname} {msg}')


log = logging.getLogger('asyncio')
log.addHandler(Capture())
log.setLevel(logging.DEBUG)
log.propagate = False


class Quiet(asyncio.Protocol):
    def __repr__(self):
        return '<Quiet>'


async def main():
    loop = asyncio.get_running_loop()

    async def handle(reader, writer):
        writer.transport.pause_reading()
        writer.transport.resume_reading()
        writer.write(await reader.read(10))
        writer.close()

    srv = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'hi')
    print('echo', await reader.read())
    writer.close()
    await writer.wait_closed()

    # A peer that does not read until told: the writer pauses, then resumes.
    gate = loop.create_future()

    async def slow(reader, writer):
        writer.transport.pause_reading()
        await gate
        writer.transport.resume_reading()
        while await reader.read(1 << 16):
            pass
        writer.close()

    srv2 = await asyncio.start_server(slow, '127.0.0.1', 0)
    reader, writer = await asyncio.open_connection('127.0.0.1', srv2.sockets[0].getsockname()[1])
    writer.transport.set_write_buffer_limits(high=1000)
    writer.write(b'x' * 5_000_000)
    drained = asyncio.create_task(writer.drain())
    await asyncio.sleep(0)
    gate.set_result(None)
    await drained
    writer.close()
    await writer.wait_closed()
    srv2.close()
    await srv2.wait_closed()

    tr, _ = await loop.create_connection(Quiet, '127.0.0.1', port)
    tr.close()
    a, b = socket.socketpair()
    tr2, _ = await loop.connect_accepted_socket(Quiet, a)
    tr2.close()
    b.close()
    await loop.getaddrinfo('127.0.0.1', 80, type=socket.SOCK_STREAM)
    await asyncio.sleep(0.01)
    srv.close()
    await srv.wait_closed()
    for r in sorted(set(records)):
        print(r)


asyncio.run(main(), debug=True)
