"""Build notebooks/07_streams.ipynb from the cells below (outputs empty: execute it afterwards).

    .venv/bin/python tools/build_07.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/07_streams.ipynb
    .venv/bin/python tools/clean_outputs.py notebooks/07_streams.ipynb

Cell ids: see tools/nbbuild.py.
"""

from nbbuild import Notebook

nb = Notebook("07_streams", "ch07")
md, code, check = nb.md, nb.code, nb.check


# ============================================================================ the cells

md(r'''
# 07 · Streams: from sockets to transports, protocols and streams

Chapter 01 ended with a server made of callbacks over raw sockets: the loop calls `on_readable`
when a socket is readable, and the callback does `recv()` and `send()` itself. That server got
away with a trick: every message was a short line that arrived in one `recv()` and left in one
`send()`. Real connections do not behave so kindly. TCP delivers a *stream of bytes*, not
messages: a line can arrive in two pieces, two lines in one piece, and `send()` on a busy
connection takes only part of what you give it.

asyncio answers with three layers, each a small idea. A **transport** owns a socket and does
the byte-shovelling (partial reads and writes, buffering, EOF, closing). A **protocol** is the
application's callbacks (`data_received`, `connection_lost`). **Streams** put coroutines on
top: `await reader.readline()`, `writer.write(...)`, `await writer.drain()`.

**What you will learn**

- why callback code over raw sockets must handle partial reads, partial writes and EOF by hand,
  and how a transport takes that job off the application;
- the transport/protocol contract: `connection_made`, `data_received`, `eof_received`,
  `connection_lost`, and who calls what, when;
- how a `StreamReader` turns callbacks into `await`: a buffer plus one waiter Future;
- minloop's `selector_events`, `streams` and `transports` modules, the echo server and its
  clients as Tasks of one loop, and the selector filling up with real sockets;
- backpressure: the transport's write buffer, its *high-water mark* (the size above which the
  transport asks the writer to pause), and what `drain()` waits for.
''')

code(r'''
import ast
import asyncio
import collections
import contextlib
import gc
import inspect
import itertools
import signal
import socket
import sys
import textwrap
import threading
import traceback
import types
import warnings

import matplotlib.pyplot as plt
import minloop
from minloop import VirtualClock
from minloop.tracing import trace_run
from minloop.viz.checks import (CheckFailed, call_exercise, check, check_equal, expect_error,
                                passed)
from minloop.viz.source import show_source
from minloop.viz.stepper import Stepper
''')

md(r'''
Two helpers from chapter 06: `vrun` runs a coroutine on a fresh minloop loop with a virtual
clock, and `now()` prints that clock. One warning about virtual time in this chapter: as long
as a socket is registered in the selector, the loop cannot know that nothing will arrive, so it
really waits in `select()` when it has nothing else to do. Our programs are built so that it
never has to wait long: every byte they wait for is sent by this same notebook.
''')

code(r'''
def vrun(coro):
    "Run coro on a new minloop loop with a virtual clock; return its result."
    return minloop.run(coro, clock=VirtualClock())


def now():
    "The running loop's clock, for printing: 3.0 -> '3'."
    return f"{minloop.get_running_loop().time():g}"
''')

md(r'''
## 1. The problem: a socket carries bytes, not messages

`socket.socketpair()` gives two sockets already connected to each other, with no address and
no port: the simplest way to study a connection. (It is a Unix-domain socket pair; a TCP
connection between two machines behaves the same way, only less predictably.) Send a line in
two pieces, and the reader sees two pieces:
''')

code(r'''
server_end, client_end = socket.socketpair()
server_end.setblocking(False)
client_end.setblocking(False)
client_end.send(b"hel")
print(server_end.recv(1024))          # half a line
client_end.send(b"lo\nsecond line\nthi")
print(server_end.recv(1024))          # the end of one line, a whole line, a piece of a third
''')

md(r'''
`recv(1024)` returns *whatever has arrived*, up to 1024 bytes. Nothing in the bytes says where
one message ends and the next begins: if the application wants lines, it must keep the pieces
and cut at each `\n` itself.

Writing has the mirror problem. The kernel keeps a send buffer per socket; a non-blocking
`send()` copies what fits and returns *how many bytes it took*. Once the buffer is full it
takes nothing and raises `BlockingIOError`:
''')

code(r'''
big = b"x" * 1_000_000
sent = client_end.send(big)
print("send() took all of the 1,000,000 bytes:", sent == len(big))
with expect_error(BlockingIOError):
    client_end.send(big[sent:])       # the buffer is full: come back when it is writable
''')

md(r'''
The bytes that did not fit are the application's problem: keep them, ask the loop to say when
the socket is writable again (`add_writer`), send more then, and stop watching once everything
is out (chapter 01: a writer left registered fires on every iteration).

Last, the end. When the peer closes, the socket becomes readable and `recv()` returns `b""`:
end of file. Here the reader first gets the bytes still on their way, then the EOF:
''')

code(r'''
client_end.close()
received = 0
while chunk := server_end.recv(65536):   # b"" ends the loop: end of file
    received += len(chunk)
print("got every byte send() took, then b'':", received == sent)
server_end.close()
''')

md(r'''
### All of it by hand, in callbacks

Here is chapter 01's kind of server, done properly: it upper-cases every line it receives, and
it copes with lines in pieces, replies too big for one `send()`, and EOF. It uses only
`add_reader`/`add_writer` on minloop's loop. Count the lines that are about *our* application:
''')

code(r'''
class HandMadeUpper:
    "Upper-cases each line, for one connection, with add_reader/add_writer only."

    def __init__(self, loop, sock):
        self.loop, self.sock = loop, sock
        self.inbox, self.outbox = bytearray(), bytearray()  # a line in pieces; bytes not yet sent
        self.peer_done = False
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self.on_readable)
''')

code(r'''
def on_readable(self):
    data = self.sock.recv(65536)
    if not data:                                      # EOF: finish sending, then close
        self.peer_done = True
        self.loop.remove_reader(self.sock.fileno())
    self.inbox += data
    while (end := self.inbox.find(b"\n")) >= 0:        # only whole lines
        self.outbox += self.inbox[:end + 1].upper()    # <- the application
        del self.inbox[:end + 1]
    self.flush()

HandMadeUpper.on_readable = on_readable
''')

code(r'''
def flush(self):
    "Send what the kernel takes; watch for writability while something is left."
    if self.outbox:
        try:
            sent = self.sock.send(self.outbox)
        except BlockingIOError:
            sent = 0
        del self.outbox[:sent]
    if self.outbox:                            # only part went out: call me when writable
        self.loop.add_writer(self.sock.fileno(), self.flush)
    else:
        self.loop.remove_writer(self.sock.fileno())
        if self.peer_done:
            self.sock.close()

HandMadeUpper.flush = flush
''')

md(r'''
One line of some thirty is the application (`.upper()`); the rest is plumbing that every server
would repeat: an input buffer cut at `\n`, an output buffer, registering and unregistering the
writer, and the rules for EOF and closing. And the plumbing is easy to get subtly wrong: this
one silently drops a last line that has no `\n`.

To try servers like this one we need a client. `scripted_client` sends its pieces one per loop
iteration, then closes its sending side (`shutdown(SHUT_WR)`: "I am done talking, go on
answering") and collects every byte until the server closes. It waits for readability with a
Future, exactly as you did in chapter 01's exercise 3. `serve_and_talk` wires a server to it
through a socket pair, on one loop.
''')

code(r'''
def readable(sock):
    "A Future done when `sock` is readable (chapter 01, exercise 3)."
    loop, fd = minloop.get_running_loop(), sock.fileno()
    fut = loop.create_future()
    loop.add_reader(fd, lambda: fut.done() or fut.set_result(None))
    fut.add_done_callback(lambda _: loop.remove_reader(fd))
    return fut
''')

code(r'''
async def scripted_client(sock, pieces):
    "Send `pieces`, one per loop iteration, then EOF; return all the server sent back."
    sock.setblocking(False)
    for piece in pieces:
        sock.send(piece)
        await minloop.sleep(0)                 # one iteration: the server gets its turn
    sock.shutdown(socket.SHUT_WR)
    received = bytearray()
    while True:
        await readable(sock)
        if not (chunk := sock.recv(65536)):   # the server closed: we have everything
            sock.close()
            return bytes(received)
        received += chunk
''')

code(r'''
def serve_and_talk(serve, pieces):
    "serve(loop, sock) takes the server end of a socket pair; a scripted client talks to it."
    server_sock, client_sock = socket.socketpair()

    async def main():
        serve(minloop.get_running_loop(), server_sock)
        return await minloop.wait_for(scripted_client(client_sock, pieces), 5)  # a safety net
    return vrun(main())


PIECES = [b"hel", b"lo\nwor", b"ld\n", b"bye\n"]
print(serve_and_talk(HandMadeUpper, PIECES))
''')

md(r'''
Lines in pieces come back whole. Now a line of 512 KiB, sent in 64 pieces: the reply is far
bigger than the socket's send buffer, so `flush` must send it in several goes as the client
reads.
''')

code(r'''
BIG = [b"x" * 8192] * 64 + [b"\n"]
reply = serve_and_talk(HandMadeUpper, BIG)
print("reply correct:", reply == b"X" * (8192 * 64) + b"\n")
''')

md(r'''
It works, but imagine writing this again for every protocol, and again when the "message" is
not a line but a length-prefixed frame or an HTTP request. asyncio splits it in two: the
plumbing goes into a **transport**, written once; the application keeps only callbacks that
receive bytes, in a **protocol**.
''')

md(r'''
## 2. A quick version: a transport and a protocol

The contract, in asyncio's words. A **protocol** is an object with four callbacks, which the
transport calls, always from the loop:

| callback | when |
| --- | --- |
| `connection_made(transport)` | first, once: here is the transport to write to |
| `data_received(data)` | any number of times: some bytes arrived (any amount, cut anywhere) |
| `eof_received()` | the peer will send nothing more; return true to keep our sending side open |
| `connection_lost(exc)` | last, exactly once: the socket is closed (`exc` is None or the error) |

A **transport** offers the other direction: `write(data)` (never blocks, never refuses: what
the socket does not take is buffered), `close()` (after the buffer is flushed), and
`get_write_buffer_size()`. Our toy transport, a dozen lines a cell. First, owning the socket
and reading:
''')

code(r'''
class ToyTransport:
    "Owns a socket: reads into protocol.data_received, buffers what send() does not take."

    def __init__(self, loop, sock, protocol):
        self._loop, self._sock, self._protocol = loop, sock, protocol
        self._fd = sock.fileno()
        self._buffer = bytearray()              # written by the protocol, not yet sent
        self._closing = False
        sock.setblocking(False)
        loop.call_soon(protocol.connection_made, self)
        loop.call_soon(loop.add_reader, self._fd, self._read_ready)
''')

code(r'''
def _read_ready(self):
    data = self._sock.recv(65536)
    if data:
        self._protocol.data_received(data)
        return
    self._loop.remove_reader(self._fd)          # EOF
    if not self._protocol.eof_received():       # a false answer means: close
        self.close()

ToyTransport._read_ready = _read_ready
''')

md(r'''
Note the two `call_soon`s: the protocol hears `connection_made` on the next iteration and only
then can data arrive, so `data_received` never comes before it. CPython's transport does the
same. Writing: try `send()` at once; keep what it did not take and let a writer callback send
the rest.
''')

code(r'''
def write(self, data):
    if not self._buffer:                        # nothing queued: try to send right away
        try:
            sent = self._sock.send(data)
        except BlockingIOError:
            sent = 0
        data = data[sent:]
        if not data:
            return
        self._loop.add_writer(self._fd, self._write_ready)
    self._buffer += data                        # behind what is queued, in order

def get_write_buffer_size(self):
    return len(self._buffer)

ToyTransport.write, ToyTransport.get_write_buffer_size = write, get_write_buffer_size
''')

code(r'''
def _write_ready(self):
    sent = self._sock.send(self._buffer)        # the selector said: it will not block
    del self._buffer[:sent]
    if not self._buffer:
        self._loop.remove_writer(self._fd)      # level-triggered: stop watching at once
        if self._closing:
            self._call_connection_lost(None)

ToyTransport._write_ready = _write_ready
''')

md(r'''
Closing: stop reading at once, but let the buffer drain first; `connection_lost` comes last,
from the loop, and only then is the socket closed.
''')

code(r'''
def close(self):
    if self._closing:
        return
    self._closing = True
    self._loop.remove_reader(self._fd)
    if not self._buffer:                        # else _write_ready finishes the job
        self._loop.call_soon(self._call_connection_lost, None)

def _call_connection_lost(self, exc):
    self._protocol.connection_lost(exc)
    self._sock.close()

ToyTransport.close, ToyTransport._call_connection_lost = close, _call_connection_lost
''')

md(r'''
The application is now a protocol. It still cuts lines itself (the transport knows nothing of
lines), but it never touches a socket, a selector or a send buffer:
''')

code(r'''
class UpperProtocol:
    "The application of section 1, as a protocol."

    def connection_made(self, transport):
        self.transport, self.pending = transport, b""

    def data_received(self, data):
        *lines, self.pending = (self.pending + data).split(b"\n")
        for line in lines:
            self.transport.write(line.upper() + b"\n")

    def eof_received(self):
        return False                            # nothing more to say: close

    def connection_lost(self, exc):
        pass
''')

code(r'''
toy = lambda loop, sock: ToyTransport(loop, sock, UpperProtocol())
print(serve_and_talk(toy, PIECES))
print("big reply correct:", serve_and_talk(toy, BIG) == b"X" * (8192 * 64) + b"\n")
print(serve_and_talk(toy, [b"abc\ntail"]))   # a last line without "\n" is dropped
''')

md(r'''
Same answers as the hand-made server, including its flaw: a last line without `\n` (`tail`
above) stays in `self.pending` when the EOF comes, and `eof_received` forgets it. Who calls
what, and when? A protocol that only logs its
callbacks shows the order for our four pieces:
''')

code(r'''
class LoggingProtocol:
    def connection_made(self, transport):
        print("connection_made")
    def data_received(self, data):
        print(f"data_received({data!r})")
    def eof_received(self):
        print("eof_received() -> None: close")
    def connection_lost(self, exc):
        print(f"connection_lost({exc!r})")

print(serve_and_talk(lambda loop, sock: ToyTransport(loop, sock, LoggingProtocol()), PIECES))
''')

md(r'''
The client sent four pieces, the protocol received two: `hel` and `lo\nwor` were both waiting
when the transport first read (its reader is registered one iteration after it is made), and
so were the last two. Where the cuts fall is none of the protocol's business: over a real
network they fall anywhere. Then the EOF, and `connection_lost` last. This protocol answers
nothing, so the client gets back `b''`.

The split is a real improvement: the transport is written once and serves every protocol. But
the application is still a set of callbacks, and whatever it must remember between two calls
(here the half-line in `self.pending`) lives in attributes by hand. Chapters 02 to 05 built the
cure for that: coroutines, which remember where they stopped. Streams put them on top of the
protocol.
''')

md(r'''
## 3. A quick version of streams: a buffer and a waiter

A `StreamReader` sits between the two worlds. The protocol *pushes* bytes into it with
`feed_data` (a plain method call, from a callback); a coroutine *pulls* them out with `await
reader.readline()`. In between: a buffer, an EOF flag, and at most one Future, the *waiter*,
that a coroutine waits on when the buffer does not hold what it wants.
''')

code(r'''
class ToyStreamReader:
    def __init__(self, loop):
        self._loop = loop
        self._buffer = bytearray()
        self._eof = False
        self._waiter = None                     # a Future while a coroutine waits for data

    def feed_data(self, data):                  # called by the protocol
        self._buffer += data
        self._wakeup_waiter()

    def feed_eof(self):
        self._eof = True
        self._wakeup_waiter()

    def _wakeup_waiter(self):
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
''')

md(r'''
The coroutine side. `_wait_for_data` parks the caller on a fresh Future until `feed_data` or
`feed_eof` completes it. `readline` looks in the buffer for a `\n`; if there is none and no
EOF, it waits and looks again. The loop is the whole trick: a wake-up only means "something
arrived", maybe just half a line.
''')

code(r'''
async def _wait_for_data(self):
    self._waiter = self._loop.create_future()
    try:
        await self._waiter
    finally:
        self._waiter = None

ToyStreamReader._wait_for_data = _wait_for_data
''')

code(r'''
async def readline(self):
    while True:
        end = self._buffer.find(b"\n")
        if end >= 0:                            # a whole line: cut it out, \n included
            line = bytes(self._buffer[:end + 1])
            del self._buffer[:end + 1]
            return line
        if self._eof:                           # no more bytes will come: the rest, maybe b""
            line = bytes(self._buffer)
            self._buffer.clear()
            return line
        await self._wait_for_data()

ToyStreamReader.readline = readline
''')

md(r'''
No socket needed to try it: timers can play the protocol. A line arrives in two pieces, at
t=1 and t=2 (the second piece also starts another line), and EOF at t=3; the coroutine asks
for a line at t=0, then two more.
''')

code(r'''
async def reader_demo():
    loop = minloop.get_running_loop()
    reader = ToyStreamReader(loop)
    loop.call_later(1, reader.feed_data, b"hel")
    loop.call_later(2, reader.feed_data, b"lo\nwor")
    loop.call_later(3, reader.feed_eof)
    for _ in range(3):
        line = await reader.readline()
        print(f"t={now()} readline() returned {line!r}")   # the time it returned

_, reader_trace = trace_run(reader_demo(), name="main")
print(reader_trace.output.getvalue() + reader_trace.text())
''')

md(r'''
Read the trace from the top: `main` starts and waits; at t=1 `feed_data` completes the waiter,
`main` wakes up, finds no `\n`, and waits again (a new Future); at t=2 the line is complete.
The second `readline` finds `wor` with no `\n`, waits, and at t=3 the EOF hands over the rest.
Then `b""`: the way streams say "end of file", like `recv()`.

In the stepper, watch the Task's `_fut_waiter` (a new Future#n for each wait) and the timers
leaving the heap; "Next iteration" is the quickest way through.
''')

code(r'''
Stepper(tracer=reader_trace, title="readline() over a ToyStreamReader")
''')

md(r'''
Now the bridge. A protocol whose callbacks feed a reader, and which starts the application
as a Task when the connection is made, handing it the reader and a writer. The writer is thin:
it passes writes to the transport. (Flow control, `drain()`, comes in section 6.)
''')

code(r'''
class ToyStreamWriter:
    def __init__(self, transport):
        self.transport = transport

    def write(self, data):
        self.transport.write(data)

    def close(self):
        self.transport.close()
''')

code(r'''
class ToyStreamProtocol:
    "Feeds a ToyStreamReader; runs handler(reader, writer) as a Task."

    def __init__(self, handler):
        self.handler = handler

    def connection_made(self, transport):
        loop = minloop.get_running_loop()
        self.reader = ToyStreamReader(loop)
        self.task = loop.create_task(self.handler(self.reader, ToyStreamWriter(transport)))

    def data_received(self, data):
        self.reader.feed_data(data)

    def eof_received(self):
        self.reader.feed_eof()
        return True                             # keep the socket open: the handler closes it

    def connection_lost(self, exc):
        pass
''')

md(r'''
`eof_received` returns `True`: the peer has stopped *sending*, but our handler may still have
answers to write, so the transport must not close on its own. The handler closes the writer
when it is done. And the application becomes straight-line code:
''')

code(r'''
async def upper_lines(reader, writer):
    while line := await reader.readline():      # b"" at EOF ends the loop
        writer.write(line.upper())
    writer.close()

streams_toy = lambda loop, sock: ToyTransport(loop, sock, ToyStreamProtocol(upper_lines))
print(serve_and_talk(streams_toy, PIECES))
print("big reply correct:", serve_and_talk(streams_toy, BIG) == b"X" * (8192 * 64) + b"\n")
print(serve_and_talk(streams_toy, [b"abc\ntail"]))   # at EOF readline returns the tail
''')

md(r'''
Three layers, each with one job: the transport shovels bytes between the socket and its
buffers, the protocol turns callbacks into reader calls, and the handler reads like a
blocking program while never blocking the loop. Also note what we did *not* have to write this
time: no `pending` attribute, no `split`. The half-line waits in the reader's buffer and the
handler's place in the conversation is kept by its coroutine. And a last line without `\n` is
no longer lost: at EOF `readline` returns what is left, so `tail` comes back as `TAIL`.
''')

md(r'''
## 4. The minloop version: `selector_events`, `streams`

minloop has all three layers, with CPython's names, in two modules. `show_part` (from chapter
06) shows a piece of a function's source, from the line containing one text to the line
containing another, highlighting the lines that contain the given texts.
''')

code(r'''
def show_part(func, first, last=None, highlight=()):
    "show_source(func) from the line containing `first` to the next containing `last`."
    src = inspect.getsource(func).splitlines()
    start = next(n for n, line in enumerate(src, 1) if first in line)
    end = len(src) if last is None else next(
        n for n, line in enumerate(src, 1) if n > start and last in line)
    marks = {n - start + 1 for n, line in enumerate(src, 1)
             if start <= n <= end and any(h in line for h in highlight)}
    return show_source(func, lines=(start, end), highlight=marks)

Transport = minloop.selector_events._SelectorSocketTransport
''')

md(r'''
### The transport

`_SelectorSocketTransport` is our `ToyTransport` grown up. Its constructor ends with the same
two `call_soon`s (plus a third: the Future that `create_connection` waits on):
''')

code(r'''
show_part(Transport.__init__, "self._loop.call_soon(self._protocol.connection_made", None,
          highlight=["call_soon"])
''')

md(r'''
Reading is our `_read_ready` with the errors handled: a read that would block after all
(another callback may have emptied the socket) is ignored, a reset connection or a protocol
that raises ends the connection through `_fatal_error`, and end of file goes to
`_read_ready__on_eof`. (It also holds minloop's one speed trick in this module, fenced by
`# ---- speed` comments: the same bytes reach `data_received`, in the same calls, as with
CPython's plain `recv()`, only with less memory mapping. The microseconds in that comment were
measured on one machine; on yours both numbers, and the ratio between them, will differ.)
''')

code(r'''
show_part(Transport._read_ready__data_received, "def ", None,
          highlight=["except (BlockingIOError", "if not nbytes", "if not data:", "data_received(data)"])
''')

code(r'''
show_source(Transport._read_ready__on_eof)
''')

md(r'''
Writing: the same shape as ours, send at once if nothing is queued, buffer the rest behind a
writer callback. Two lines are new: writing to a lost connection is counted instead of
raising (the data is dropped, and from the fifth such write on, *each* one logs a warning),
and `_maybe_pause_protocol()` tells the protocol to stop
writing once the buffer is above its high-water mark. Section 6 is about that line.
''')

code(r'''
show_part(Transport.write, "if self._conn_lost:", None,
          highlight=["self._conn_lost += 1", "_add_writer", "_maybe_pause_protocol"])
''')

code(r'''
show_part(Transport._write_ready, "try:", None,
          highlight=["_maybe_resume_protocol", "_remove_writer(self._sock_fd)\n", "_call_connection_lost"])
''')

md(r'''
### The streams

`StreamReader` is our toy with the corners filled in. `feed_data` also watches the buffer's
size against twice the reader's `limit`. The limit is 64 KiB by default, so once more than
128 KiB wait unread in the buffer it *pauses reading* on the transport (the transport removes
its reader, the kernel's buffer fills, and TCP tells the sender to wait). That is backpressure in the reading direction.
''')

code(r'''
show_part(minloop.StreamReader.feed_data, "def ", None, highlight=["2 * self._limit", "pause_reading()"])
''')

code(r'''
show_part(minloop.StreamReader._wait_for_data, "def ", None,
          highlight=["create_future", "await self._waiter"])
''')

md(r'''
`readline` is built on `readuntil(b"\n")`, which adds an optimisation our toy lacks: after a
miss, it remembers how far it has already searched (`offset`), so a long line arriving in many
pieces is not scanned from the start each time. Only the last `len(separator) - 1` bytes are
searched again, since they could be the first half of a separator cut in two by the network.
''')

code(r'''
show_part(minloop.StreamReader.readuntil, "offset = 0", "await self._wait_for_data",
          highlight=["offset = buflen + 1 - seplen", "find(separator, offset)", "if self._eof"])
''')

md(r'''
And the bridge, `StreamReaderProtocol`. On a server, `connection_made` makes the
`StreamWriter` and starts the handler (start_server's `client_connected_cb`) as a Task, as our
toy did, with a done-callback that reports a handler's exception and closes the connection;
`eof_received` returns `True`, as ours.
''')

code(r'''
show_part(minloop.StreamReaderProtocol.connection_made, "if self._client_connected_cb", None,
          highlight=["StreamWriter(", "create_task"])
''')

md(r'''
### Toy and module, side by side

Same bytes in, same lines out? We cut a message at every pair of positions (three pieces,
one fed per second), read lines until `b""` with both readers, and compare. The message has
an empty line and a last line without `\n`.
''')

code(r'''
def lines_from(make_reader, chunks):
    "Feed chunk i at t=i+1, then EOF; return the lines readline() gives until b''."
    async def main():
        loop = minloop.get_running_loop()
        reader = make_reader(loop)
        for t, chunk in enumerate(chunks, 1):
            loop.call_at(t, reader.feed_data, chunk)
        loop.call_at(len(chunks) + 1, reader.feed_eof)
        return [line async for line in aiter_lines(reader)]
    return vrun(main())

async def aiter_lines(reader):
    while line := await reader.readline():
        yield line
''')

code(r'''
message = b"one\ntwo\n\nthree"
cuts = [[message[:i], message[i:j], message[j:]]
        for i in range(len(message) + 1) for j in range(i, len(message) + 1)]
real = lambda loop: minloop.StreamReader(loop=loop)
print("cuts tried:", len(cuts))
print("lines, first cut:", lines_from(ToyStreamReader, cuts[0]))
print("same on every cut:", all(lines_from(ToyStreamReader, c) == lines_from(real, c) for c in cuts))
''')

md(r'''
And the whole stack: the same `upper_lines` handler, this time behind minloop's transport and
`StreamReaderProtocol` (`connect_accepted_socket` wraps a socket that is already connected),
against the same scripted client. One difference first: a real `StreamReader` has a `limit`
(64 KiB by default) on the length of a line. Our toy has none, so a client that sends an
endless line fills the server's memory; minloop's `readline` raises `ValueError` instead. The
big line is 512 KiB, so here we raise the limit to 1 MiB.
''')

code(r'''
def real_streams(loop, sock, limit=2**20):
    reader = minloop.StreamReader(limit=limit, loop=loop)
    protocol = minloop.StreamReaderProtocol(reader, upper_lines, loop=loop)
    loop.create_task(loop.connect_accepted_socket(lambda: protocol, sock))

for name, pieces in (("four small pieces", PIECES), ("the 512 KiB line", BIG)):
    print(f"{name}: same reply as the toy stack:",
          serve_and_talk(real_streams, pieces) == serve_and_talk(streams_toy, pieces))
''')

md(r'''
## 5. The echo server and its clients, in one loop

Now the classic: an echo server with `start_server` and clients with `open_connection`. The
server's handler reads one message of at most 100 bytes, sends it back, and closes; each client
sends a greeting and reads the echo. Usually these are two programs in two terminals. Here the
server and two clients are Tasks of *one* loop, on one thread: the loop cannot tell whether
the other end of a socket is in another process or in the same loop.

Because the two clients run side by side, the order in which the *server* sees them depends on
the network, while each client's own lines come in a fixed order. `say` collects lines per
speaker, and `transcript` prints them speaker by speaker (the server's sorted).
''')

code(r'''
def make_say():
    "say(who, text) collects lines; say.transcript() gives them speaker by speaker."
    lines = {}
    def say(who, text):
        lines.setdefault(who, []).append(text)
    def transcript():       # the server's Tasks interleave as the network pleases: sorted
        return "\n".join(f"{who:>7}: {text}" for who in sorted(lines)
                         for text in (sorted(lines[who]) if who == "server" else lines[who]))
    say.transcript = transcript
    return say
''')

code(r'''
async def echo_handler(reader, writer):        # one Task per connection, made by the server
    data = await reader.read(100)
    say("server", f"received {data.decode()!r}")
    writer.write(data)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
''')

code(r'''
async def echo_client(name, host, port):
    reader, writer = await minloop.open_connection(host, port)
    message = f"Hello Streams, this is {name}"
    writer.write(message.encode())
    await writer.drain()
    say(name, f"sent {message!r}")
    reply = await reader.read(100)
    say(name, f"received {reply.decode()!r}")
    writer.close()
    await writer.wait_closed()
''')

code(r'''
async def echo_main():
    server = await minloop.start_server(echo_handler, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()     # port 0: the OS chose one (not printed)
    async with server:                               # closes the server at the end
        clients = minloop.gather(echo_client("A", host, port), echo_client("B", host, port))
        await minloop.wait_for(clients, 5)           # a safety net, should a client hang

say = make_say()
vrun(echo_main())
print(say.transcript())
''')

md(r'''
### The selector fills up

What does the loop's selector hold while this runs? We run a variant of the program with the
tracer attached (`trace_run`), and at chosen moments the program notes the selector the way
the tracer records it in each snapshot: for every registered file descriptor, the events
watched and the reader and writer Handles. The descriptor numbers change from run to run, so
the view below names each socket by its role instead.

The moments: the loop alone; the server listening; client A connected (we wait until the
server's handler for A has started, so both ends are registered); B connected; the server
writing 4 MiB to A, who is not reading; A reads it all; everybody closes.
''')

code(r'''
def mark(label):
    "Note the selector now, under `label`, as the tracer records it in its snapshots."
    loop = minloop.get_running_loop()
    moments.append((len(loop._tracer.steps), label, loop._tracer._selector_map(loop)))


def fd_of(writer):
    return writer.get_extra_info("socket").fileno()


def small_buffers(sender, receiver):
    "Cap the kernel's buffers (a few dozen KiB) so that 4 MiB cannot all fit in them."
    sender.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32768)
    receiver.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)


def meeting(key):
    "A Future shared by the two ends of one connection, found by the client's address."
    return meetings.setdefault(key, minloop.get_running_loop().create_future())
''')

code(r'''
async def tour_handler(reader, writer):
    meeting(writer.get_extra_info("peername")).set_result(writer)
    while data := await reader.read(100):
        if data == b"send me a lot":
            writer.write(b"x" * (4 * 1024 * 1024))   # 4 MiB: more than the kernel takes
        await writer.drain()
    writer.close()


async def connect(name, host, port, roles):
    reader, writer = await minloop.open_connection(host, port)
    server_end = await meeting(writer.get_extra_info("sockname"))  # the handler has started
    roles[fd_of(writer)], roles[fd_of(server_end)] = f"{name}, client end", f"{name}, server end"
    return reader, writer, server_end
''')

code(r'''
async def selector_tour():
    roles = {}
    mark("the loop alone")
    server = await minloop.start_server(tour_handler, "127.0.0.1", 0)
    roles[server.sockets[0].fileno()] = "listener"
    mark("start_server() returned")
    a_reader, a_writer, a_server_end = await connect("A", *server.sockets[0].getsockname(), roles)
    mark("A connected")
    b_reader, b_writer, b_server_end = await connect("B", *server.sockets[0].getsockname(), roles)
    mark("B connected")
    small_buffers(a_server_end, a_writer)
    a_writer.write(b"send me a lot")
    while a_server_end.transport.get_write_buffer_size() == 0:
        await minloop.sleep(0)
    mark("the server writes 4 MiB to A, A is not reading")
    await a_reader.readexactly(4 * 1024 * 1024)
    mark("A has read it all")
    for writer in (a_writer, b_writer):
        writer.close()
        await writer.wait_closed()
    server.close()
    await server.wait_closed()
    await minloop.sleep(0)
    mark("everything closed")
    return roles
''')

md(r'''
(The `while ... sleep(0)` loop is a test bench shortcut: it waits, one iteration at a time, until
the server's transport holds unsent bytes. It polls, which real code should not do; exercise 2
is about the right way to wait.) Now run it and print the selector at each moment:
''')

code(r'''
def selector_view(selector, roles):
    "The selector rows of one snapshot, one line per socket, named by role."
    rows = []
    for row in selector:
        name = "self-pipe" if row["internal"] else roles.get(row["fd"], "?")
        handles = ", ".join(f"{kind}: {row[kind]}" for kind in ("reader", "writer") if row[kind])
        rows.append((name, f"  {name:<14} {row['events']:<3} {handles}"))
    order = ["self-pipe", "listener"] + sorted(roles.values())
    return "\n".join(text for name, text in sorted(rows, key=lambda r: order.index(r[0])))
''')

code(r'''
moments, meetings = [], {}
roles, tour_trace = trace_run(selector_tour(), name="main")
# One more moment, found in the record itself: A's non-blocking connect() under way.
connecting = next(s for s in tour_trace.steps if any(
    row["writer"] == "BaseSelectorEventLoop._sock_connect_cb" for row in s["selector"]))
moments.append((connecting["step"], "A is connecting (found in the record)",
                connecting["selector"]))
for _, label, rows in sorted(moments, key=lambda m: m[0]):
    print(f"{label}:\n{selector_view(rows, roles)}")
''')

md(r'''
The self-pipe of chapter 01 is always there. `start_server` adds the listening socket, whose
reader Handle is `_accept_connection`: readable means "a client is waiting in the backlog"
(the kernel's queue of connections that are established but not yet `accept()`ed).
The moment found in the record shows a client socket whose non-blocking `connect()` is under
way: it is watched for *writing*, since a socket becomes writable when the connection is
established (`sock_connect`, with `_sock_connect_cb`). Each connection then adds *two*
sockets, since both ends live in this process, each with its transport's `_read_ready` as
reader. While the server has bytes that A's socket will not
take, the server's end of A is watched for writing too, with `_write_ready`; once A has read
everything the writer is removed (level-triggered, chapter 01). At the end only the self-pipe
is left: every transport removed its socket before closing it.

The whole run is in `tour_trace`, and `Stepper(tracer=tour_trace, title="selector tour")` in
a cell of your own steps through it, selector panel and all. It is not stored in this
notebook because its descriptor numbers, and the exact number of iterations a TCP connection
takes on this machine, change from run to run.

Which callbacks did the loop run in all? The tracer's record also has every Handle that ran:
''')

code(r'''
ran = sorted({s["handle"] for s in tour_trace.steps if s["phase"] == "run"
              and not s["handle"].startswith(("Task-", "main."))})
print("\n".join(ran))
''')

md(r'''
Besides the transports' `_read_ready`/`_write_ready`, `_accept_connection` and
`_sock_connect_cb`, there are the `call_soon`s we met in the toy (`connection_made`, the
reader's registration `_add_reader`, `_call_connection_lost`), the waiter of
`open_connection` (`_set_result_unless_cancelled`), and done-callbacks of Futures (gather's,
the handler Task's `callback` from `connection_made`, `_sock_write_done` that unregisters the
connecting socket). The Tasks' own steps (`Task-4.__step` and so on) are left out of this
list: the loop creates a Task per accepted connection (`_accept_connection2`) and one per
handler, and their numbers depend on the order the connections are accepted.
''')

md(r'''
## 6. Backpressure: the write buffer and `drain()`

`writer.write()` never blocks: what the socket does not take goes into the transport's buffer.
So a fast writer and a slow reader make the buffer grow, with no limit but memory. The
transport watches its own size against two marks (64 KiB and 16 KiB by default, as in
CPython): above the high-water mark it calls the protocol's `pause_writing()`; when sending
brings it down to the low-water mark, `resume_writing()`.
''')

code(r'''
show_source(minloop.transports._FlowControlMixin._maybe_pause_protocol)
''')

md(r'''
The stream protocol turns the pause into a Future: `pause_writing` sets a flag,
`_drain_helper` (what `drain()` awaits) waits on a Future while the flag is set, and
`resume_writing` completes it. If the connection is lost meanwhile, `connection_lost(exc)`
completes the Future too, and here the details matter. After an error (a reset by the peer,
say) the Future gets that error, and the blocked `drain()` raises it. After a clean close
(`exc` is None) the Future gets a plain result: the blocked `drain()` *returns normally*, a
`write()` after it is silently dropped by the transport, and only the *next* `drain()` raises
`ConnectionResetError('Connection lost')` (the first lines of `_drain_helper`). CPython
3.11 does the same. So a writer learns that its peer is gone at its next `drain()`, at worst
one write late.
''')

code(r'''
show_source(minloop.streams.FlowControlMixin.connection_lost)
''', id="ch07-089a")

code(r'''
show_source(minloop.streams.FlowControlMixin._drain_helper)
''')

code(r'''
show_part(minloop.StreamWriter.drain, "if self._reader is not None", None,
          highlight=["raise exc", "await sleep(0)", "_drain_helper"])
''')

md(r'''
To *see* backpressure we record it. A sender writes 1 MiB in 8 KiB chunks, making each chunk
in one loop iteration (a `sleep(0)` that stands for reading it from a file), to a receiver
that reads 4 KiB every fourth loop iteration. Both are streams on the two ends of a socket
pair, with the kernel's buffers made small so that the transport's own buffer does the
holding. We record through minloop's tracing hook: the loop calls `loop._tracer(phase, loop,
...)` at each phase of `_run_once` (`"run"` before each handle it runs, `"end"` once the
iteration's handles have all run), and a tiny function of ours, instead of a Tracer, notes at
`"end"` the sender's `get_write_buffer_size()` and whether the sender is blocked in `drain()`.
We also note the iterations in which the transport calls the protocol's `pause_writing()` and
`resume_writing()`. No clock is involved: the x axis is loop iterations, so the picture is the
same on every run.
''')

code(r'''
CHUNK, TOTAL = 8 * 1024, 1024 * 1024

def stream_pair_ends():
    "Two connected sockets with small kernel buffers (a few KiB each way)."
    a, b = socket.socketpair()
    for sock in (a, b):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return a, b
''')

code(r'''
async def slow_reader(reader, every=4, size=4096):
    "Read `size` bytes every `every` loop iterations, until EOF; return the count."
    received = 0
    while True:
        for _ in range(every - 1):
            await minloop.sleep(0)                 # one loop iteration each
        data = await reader.read(size)
        if not data:
            return received
        received += len(data)
''')

code(r'''
async def sender(writer, drain, state):
    for _ in range(TOTAL // CHUNK):
        await minloop.sleep(0)                     # making the next chunk: one iteration
        writer.write(b"x" * CHUNK)
        if drain:
            state["blocked"] = True
            await writer.drain()
            state["blocked"] = False
    writer.close()
''')

code(r'''
def note_calls(protocol, names, events, clock):
    "Wrap protocol's methods `names` to note (clock(), name) in `events` at each call."
    for name in names:
        method = getattr(protocol, name)
        def noted(*args, _method=method, _name=name):
            events.append((clock(), _name))
            return _method(*args)
        setattr(protocol, name, noted)
''', id="ch07-095a")

code(r'''
async def record_backpressure(drain):
    "Run sender and slow_reader: (buffer sizes, blocked flags, pause/resume calls, bytes received)."
    a, b = stream_pair_ends()
    r_reader, r_writer = await minloop.open_connection(sock=b, limit=4096)
    s_reader, s_writer = await minloop.open_connection(sock=a)
    sizes, blocked, events, state = [], [], [], {"blocked": False}
    note_calls(s_writer._protocol, ("pause_writing", "resume_writing"), events, lambda: len(sizes))
    def at_end_of_iteration(phase, loop, **info):
        if phase == "end":
            sizes.append(s_writer.transport.get_write_buffer_size())
            blocked.append(state["blocked"])
    minloop.get_running_loop()._tracer = at_end_of_iteration
    _, received = await minloop.gather(sender(s_writer, drain, state), slow_reader(r_reader))
    minloop.get_running_loop()._tracer = None
    r_writer.close()
    return sizes, blocked, events, received
''')

code(r'''
with_drain = vrun(record_backpressure(drain=True))
without = vrun(record_backpressure(drain=False))
for name, (sizes, blocked, events, received) in (("with drain()", with_drain), ("without", without)):
    print(f"{name:>12}: all 1 MiB arrived: {received == TOTAL} | buffer never above 64 KiB "
          f"+ one chunk: {max(sizes) <= 64 * 1024 + CHUNK} | drain() blocked: {any(blocked)}")
low_points = [with_drain[0][i] for i, name in with_drain[2] if name == "resume_writing"]
print("the buffer when resume_writing() fires, always at or below 16 KiB:",
      all(size <= 16 * 1024 for size in low_points), "| never empty:", min(low_points) > 0)
''')

md(r'''
The same megabyte arrives either way, at the pace the receiver sets. The difference is where
the waiting bytes wait. The picture:
''')

code(r'''
from minloop.viz.backpressure import plot_write_buffer

fig, axes = plt.subplots(2, 1, figsize=(10, 5.8), sharex=True)
plot_write_buffer(*with_drain[:3], ax=axes[0],
                  title="write(); await drain(): the buffer stays near the high-water mark")
plot_write_buffer(*without[:3], ax=axes[1],
                  title="write() without drain(): most of the megabyte waits in memory")
axes[0].set_xlabel("")
fig.tight_layout()
''')

md(r'''
Top: each white gap between the orange bands is the sender at work. It makes a chunk, writes
it, and `drain()` returns at once (without even yielding to the loop), so the buffer climbs
8 KiB an iteration. The write that takes it past 64 KiB (the dashed red line) makes the
transport call `pause_writing()` (red ▼): from then on `drain()` blocks and the sender waits
(the orange band, most of the time, since the receiver is slow) while the transport hands the
kernel what the receiver makes room for, a step of about 8 KiB at a time. (The very first ▼
sits above a buffer already back under the line: the buffer passed 64 KiB in the middle of
that iteration, and the transport sent a step before its end.) The step that brings the
buffer down to 16 KiB or below (the dotted green line) makes it call `resume_writing()`
(green ▲): the waiting `drain()` returns, the next iteration the sender is back at work, and
the next tooth starts. Each tooth bottoms out a little under 16 KiB, wherever that step
landed, never at 0: the sender refills before the transport runs dry. The buffer never holds
much more than the high-water mark plus one chunk.

Bottom: without `drain()` nothing ever waits. The sender writes a chunk every iteration and
is done after 128 iterations, when most of the megabyte (over 800 KiB) sits in the
transport's buffer; from there it drains only as fast as the receiver reads. The transport
calls `pause_writing()` all the same (the ▼ near the start, and the ▲ of `resume_writing()`
near the end), but nobody listens: `write()` never waits, only `drain()` does. With a thousand slow clients, or a client that never
reads, that is how a server runs out of memory. `drain()` is how a coroutine says "I will not
write more until the peer keeps up". (The reading side has the mirror mechanism,
`pause_reading`, seen in `feed_data` above: here the receiver's `limit=4096` makes its
transport stop reading once 8 KiB wait unread.)
''')

md(r'''
## 7. minloop and asyncio, side by side

The echo program, written once for a module `aio` (`minloop` or `asyncio`), runs on both.
The kernel of this notebook already runs an asyncio loop in this thread (chapter 00), so
`asyncio.run()` goes to a helper thread. Each client sends two lines with `readline` this time,
and the server answers each in upper case, so the programs use `readline`, `write`,
`drain`, `wait_closed`, `start_server` and `open_connection` of both modules.
''')

code(r'''
def in_thread(fn):
    "Call fn() in a new thread (no event loop runs there); return its result or raise its error."
    box = {}
    def target():
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc
    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["result"]
''')

code(r'''
def echo_program(aio, say):
    async def handler(reader, writer):
        async for line in reader:                   # readline() until b""
            say("server", f"got {line!r}")
            writer.write(line.upper())
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def client(name, host, port):
        reader, writer = await aio.open_connection(host, port)
        for text in (f"hi from {name}", "bye"):
            writer.write(f"{text}\n".encode())
            say(name, f"{text!r} -> {(await reader.readline())!r}")
        writer.close()
        await writer.wait_closed()

    async def main():
        server = await aio.start_server(handler, "127.0.0.1", 0)
        async with server:
            clients = aio.gather(*(client(n, *server.sockets[0].getsockname()) for n in "AB"))
            await aio.wait_for(clients, 5)              # a safety net, should a client hang
    return main()
''')

code(r'''
on_minloop, on_asyncio = make_say(), make_say()
vrun(echo_program(minloop, on_minloop))
in_thread(lambda: asyncio.run(echo_program(asyncio, on_asyncio)))
left, right = on_minloop.transcript().splitlines(), on_asyncio.transcript().splitlines()
width = max(map(len, left)) + 2
print(f"{'minloop':<{width}}asyncio")
for l, r in itertools.zip_longest(left, right, fillvalue=""):
    print(f"{l:<{width}}{r}")
print("identical:", left == right)
''')

md(r'''
The server's lines are sorted here (its two handler Tasks interleave in an order that depends
on the network); each client's lines are in the order it said them.

## 8. What CPython does more

minloop's network layer is CPython's, simplified: `_SelectorSocketTransport` is one class
where CPython has two (`_SelectorTransport`, shared with datagrams, and the socket one), and
`create_connection`, `create_server` and `Server` live in `selector_events.py` instead of
`base_events.py`. Open CPython's `write` beside minloop's: the same lines in the same order.
(3.12 changed the buffer into a deque of chunks, so that `writelines` can hand several to the
kernel in one `sendmsg` call.)
''')

code(r'''
show_part(asyncio.selector_events._SelectorSocketTransport.write, "if not self._buffer:", None,
          highlight=["self._sock.send(data)", "_add_writer", "_maybe_pause_protocol"])
''')

md(r'''
Four things CPython has that minloop leaves out, on purpose:

- **TLS** (`ssl=` in `open_connection`/`start_server`, `start_tls`). CPython's `sslproto.py`
  stacks an `SSLProtocol` on the socket transport: to the socket transport it is a protocol
  (encrypted bytes in, through `ssl.MemoryBIO`), to your protocol it is a transport
  (`_SSLProtocolTransport`, plain bytes out). A handshake, a shutdown dance and their timeouts
  make it 900 lines about TLS, none about the loop: it *is* the transport/protocol idea of this
  chapter, used twice. minloop raises `NotImplementedError` and says so.
- **The Proactor loop on Windows.** `ProactorEventLoop` is built on IOCP, where you hand the
  kernel a whole operation ("receive into this buffer") and are told when it is *complete*,
  rather than asking which socket is *ready*. Its transports (`proactor_events.py`) keep the
  same protocol interface, so streams work unchanged on top. minloop is a selector loop only:
  the readiness model is what chapters 01 to 07 teach.
- **sendfile.** `loop.sendfile(transport, file)` sends a file with `os.sendfile`, so the bytes
  go from the page cache to the socket without passing through Python, and falls back to
  read-and-write where that is impossible (over TLS, say). An optimisation, with no new idea.
- **Datagrams** (UDP: `create_datagram_endpoint`, `DatagramProtocol.datagram_received(data,
  addr)`). Every datagram is a whole message, so there are no partial reads and no streams
  on top. Write backpressure is the same as here: `sendto()` buffers what the socket refuses
  and calls `_maybe_pause_protocol()`, so the protocol's `pause_writing()`/`resume_writing()`
  fire at the same marks (with no `drain()` to wrap them). A second, simpler transport that
  would add length without adding a lesson.

Also left out: "happy eyeballs" (RFC 8305: when a host name has several addresses, IPv6 and
IPv4, `create_connection` can try them in a staggered race, each a fraction of a second after
the previous one, and keep the first that connects), and debug-mode logging. What minloop
does *not* leave out: `BufferedProtocol` (the transport receives into the protocol's own
buffer with `recv_into`, `_read_ready__get_buffer`), half-close with `write_eof` (closing our
sending side while still reading, as `scripted_client` does with `shutdown(SHUT_WR)`), `pause_reading`, Unix-domain sockets, and `readexactly`/`readuntil` with their
`IncompleteReadError`/`LimitOverrunError`.
''')

code(r'''
async def try_tls():
    await minloop.open_connection("127.0.0.1", 9, ssl=True)

with expect_error(NotImplementedError):
    vrun(try_tls())
''')

md(r'''
## Summary

- A socket carries a stream of bytes: `recv()` returns pieces cut anywhere, a non-blocking
  `send()` may take only part, and `b""` means EOF. Done by hand, every server repeats the same
  buffers and `add_writer`/`remove_writer` dance around one line of application.
- A **transport** owns the socket and does that once: `write()` never blocks (send now, buffer
  the rest, a writer callback while there is a rest), `close()` flushes first.
- A **protocol** is the application's callbacks: `connection_made`, `data_received` (any
  number, cut anywhere), `eof_received` (return true to keep writing), `connection_lost`
  (exactly once, last). Both are scheduled by the transport through `call_soon`.
- A **StreamReader** is a buffer plus one waiter Future: the protocol's `feed_data` completes
  the Future, `readline` loops "look, else wait". Handlers become straight-line coroutines.
- The echo server and its clients are just Tasks of one loop; the selector holds the listener
  (`_accept_connection`) and each connection's socket (`_read_ready`, and `_write_ready` only
  while the transport has unsent bytes).
- **Backpressure**: above the high-water mark the transport pauses the protocol, and `await
  writer.drain()` waits until it has drained to the low-water mark. Without it, a slow reader
  makes the writer's memory grow without bound.
- CPython adds TLS (a protocol stacked on a transport), the Windows Proactor, sendfile and
  datagrams; minloop leaves them out because none changes how the loop works.
''')

md(r'''
## Exercises

Each exercise has a cell to complete and a check cell after it that says what is wrong, or
prints ✔. The checks run on virtual time with stand-ins for the socket side (timers play the
network), so they are exact and quick, and they watch things a real socket would hide. They
also guard against the two ways a wrong answer can hang a notebook: a loop that polls forever
is stopped after a few thousand callbacks, and code that never gives control back to the loop
(a forgotten `await`, say) is stopped after a few seconds of real time; either way you get a
sentence saying what happened.

### Exercise 1: `read_until`, with a separator that can be cut in two

HTTP and many other protocols end their lines with two bytes, `b"\r\n"`, and an HTTP header
block with four, `b"\r\n\r\n"`. Write `read_until(reader, separator)` for our
`ToyStreamReader`, for a separator of any length: return the bytes up to and including the
first `separator` (as `bytes`), removed from the reader's buffer. Use only
`reader._buffer` (a bytearray), `reader._eof`, and `await reader._wait_for_data()`. The order
matters: *look* in the buffer first, and wait only if the separator is not there, then look
again; EOF counts only when the buffer holds no separator. If EOF comes before a separator,
empty the buffer and raise `asyncio.IncompleteReadError(partial, None)` with the bytes that
were left: that is what CPython's `StreamReader.readuntil` does.

The check cuts the message `b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"` at *every* position
(including between a `\r` and its `\n`), feeds the pieces one per second, and reads three
times; then one byte at a time; then the whole message in one piece (all three parts must
come back at once, at t=1: a client that waits for a reply before sending more would
otherwise wait forever), the message and the EOF in one go, and extra bytes before an EOF.
Then it reads binary data (not UTF-8) with the separator `b"\r\n\r\n"`, cut in three inside
the separator and fed one byte at a time; it cancels a read that waits (the read must end
cancelled, at once); and it checks that your Task waits on the reader's Future rather than
polling (with `sleep()`, however long).
''')

code(r'''
async def read_until(reader, separator):
    ### BEGIN SOLUTION
    while True:
        end = reader._buffer.find(separator)
        if end >= 0:
            size = end + len(separator)
            data = bytes(reader._buffer[:size])
            del reader._buffer[:size]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
    ### END SOLUTION
''')

md(r'''
The check's helpers. `guard_steps` counts the callbacks the loop runs through minloop's
tracing hook (the loop calls `loop._tracer(phase, loop, ...)` at each phase of `_run_once`:
`"run"` just before each handle it runs, `"end"` when the iteration's handles have all run)
and stops a run that needs more than `limit` of them: a reader that polls would spin forever
on virtual time, where the clock moves only when nothing is ready. It stops at `"end"`, so
no handle taken from the ready queue is lost, and `finish` can then cancel what is left and
close the loop in a bounded number of iterations. With `no_sleep`, it also stops a run at the
end of an iteration where a Task waits in `sleep(delay)` (on a Future only a timer of
`sleep` completes): polling with a long sleep runs few callbacks, but it is polling still.
''')

code(r'''
class Spinning(Exception):
    "Raised by the step guard: the loop ran more callbacks than a waiting program needs."


class Polling(Exception):
    "Raised by the step guard: a Task waited in sleep() (polling) instead of on a Future."


def sleeping(loop):
    "The Tasks of `loop` now waiting in a sleep(delay): on a Future that only a timer completes."
    timers = {id(h._args[0]) for h in loop._scheduled if not h.cancelled()
              and h._callback is minloop.futures._set_result_unless_cancelled}
    return [t for t in minloop.all_tasks(loop) if id(t._fut_waiter) in timers]


def guard_steps(loop, limit, no_sleep=False):
    """Count the handles the loop runs, in all and per object whose method they call (a
    Task's steps, say); past `limit`, raise Spinning at the end of that iteration. With
    `no_sleep`, raise Polling at the end of an iteration where a Task waits in sleep()."""
    counts = collections.Counter()
    def hook(phase, loop, handle=None, **info):
        if phase == "run":
            counts["all"] += 1
            counts[id(getattr(handle._callback, "__self__", None))] += 1
        elif phase == "end" and counts["all"] > limit:
            raise Spinning(limit)
        elif phase == "end" and no_sleep and sleeping(loop):
            raise Polling()
    loop._tracer = hook
    return counts
''')

code(r'''
def finish(loop, iterations=100):
    """Cancel the Tasks still pending, give them at most `iterations` loop iterations to end,
    close the loop. Never hangs; what will not end is dropped without a warning."""
    loop.set_exception_handler(lambda loop, context: None)   # only the check's message shows
    pending = [task for task in minloop.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    left = [iterations]
    def bound(phase, loop, **info):
        if phase == "end":
            left[0] -= 1
            if left[0] <= 0 or all(task.done() for task in pending):
                loop.stop()
    loop._tracer = bound
    if pending:
        with contextlib.suppress(BaseException):
            loop.run_forever()
    loop._tracer = None
    for task in pending:
        task._log_destroy_pending = False
    loop.close()
''', id="ch07-113b")

md(r'''
Two more safety nets, for code that never gives control back to the loop (the step guard
cannot stop a callback that never returns). `unawaited` reads the source of your function
with `ast` and finds a call to a coroutine function whose result is thrown away, like
`reader._wait_for_data()` without `await` (a bare call, or one assigned to a name that nothing
reads); `real_time_limit` stops whatever still runs after a few seconds of real time, with a
`SIGALRM` timer in the kernel's main thread, and keeps its own alarm out of the output.
''', id="ch07-113c")

code(r'''
def unawaited(fn, names=("_wait_for_data", "drain", "sleep", "wait_closed")):
    """Calls in fn's source to the coroutine functions `names` whose coroutine is thrown away:
    a bare statement, or assigned to a name that no `await` ever takes."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return []
    awaited = {node.value.id for node in ast.walk(tree)
               if isinstance(node, ast.Await) and isinstance(node.value, ast.Name)}
    used = {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr):
            call = node.value
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and all(
                isinstance(t, ast.Name) and t.id not in awaited and t.id not in used
                for t in getattr(node, "targets", [getattr(node, "target", None)])):
            call = node.value                               # `w = reader._wait_for_data()`
        else:
            continue
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "time":
            continue                                        # time.sleep(): blocking, not this
        if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) in names:
            found.append((ast.get_source_segment(source, call),
                          fn.__code__.co_firstlineno + node.lineno - 1))
    return found
''', id="ch07-113d")

code(r'''
def no_forgotten_await(fn, what):
    "CheckFailed if `fn` calls a coroutine function without await (the Task would never wait)."
    for call, line in unawaited(fn):
        raise CheckFailed(
            f"In {what}, `{call}` (line {line} of its cell) is called without `await`: that "
            "only creates a coroutine object (Python warns 'coroutine ... was never awaited') "
            "and waits for nothing, so your code would run on without ever giving control "
            f"back to the loop, and the check would hang. Write `await {call}`.")
''', id="ch07-113e")

code(r'''
class NeverYields(KeyboardInterrupt):
    "Raised by real_time_limit (a KeyboardInterrupt, so that no `except Exception` eats it)."


@contextlib.contextmanager
def real_time_limit(seconds=5):
    "Turn code that runs for `seconds` of real time without returning into a CheckFailed."
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = []
    def on_alarm(signum, frame):
        fired.append(True)
        signal.setitimer(signal.ITIMER_REAL, 1)             # again, should it be swallowed
        raise NeverYields()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    hook = sys.unraisablehook                 # the alarm may land in a coroutine's finalizer:
    def quiet(unraisable):                    # no "Exception ignored in ..." for our own alarm
        if not isinstance(unraisable.exc_value, NeverYields):
            hook(unraisable)
    sys.unraisablehook = quiet
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with warnings.catch_warnings():       # the check names a forgotten await itself
            warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
            try:
                yield
            except BaseException as exc:
                if not fired:
                    raise
                signal.setitimer(signal.ITIMER_REAL, 0)
                traceback.clear_frames(exc.__traceback__)   # drop the stopped code's locals
                del exc                                      # (coroutines never awaited, say)
                gc.collect()                                 # now, while warnings are off
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook
    if fired:
        raise CheckFailed(f"Your code ran for {seconds} s of real time without returning: "
                          "your code never gives control back to the loop (a loop with no "
                          "`await` in it, waiting for something only the loop can bring? a "
                          "blocking call such as time.sleep()?), "
                          "so nothing it waits for can ever happen. Every wait must be an "
                          "`await` on something that blocks.") from None
''', id="ch07-113f")

md(r'''
`feed_and_read` plays the network with timers and runs reads under both guards.
''', id="ch07-113g")

code(r'''
def feed_and_read(reads, chunks, together=False, limit=1000, cancel_at=None):
    """Feed chunk i at t=i+1, then EOF a second later (or with the last chunk, in the same
    callback, if `together`); run `reads(reader)`, cancelled at `cancel_at` if given. Return
    (result or exception, t, reader)."""
    loop = minloop.new_event_loop(clock=VirtualClock())
    reader = ToyStreamReader(loop)
    def feed(chunk, eof):
        reader.feed_data(chunk)
        if eof:
            reader.feed_eof()
    for t, chunk in enumerate(chunks, 1):
        loop.call_at(t, feed, chunk, together and t == len(chunks))
    if not (together and chunks):
        loop.call_at(len(chunks) + 1, reader.feed_eof)
    guard_steps(loop, limit, no_sleep=True)
    with real_time_limit():
        task = loop.create_task(reads(reader))
        if cancel_at is not None:
            loop.call_at(cancel_at, task.cancel)
        try:
            return loop.run_until_complete(task), loop.time(), reader
        except (Exception, minloop.CancelledError) as exc:
            return exc, loop.time(), reader
        finally:
            finish(loop)
''')

code(r'''
MESSAGE = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
PARTS = [b"GET / HTTP/1.1\r\n", b"Host: example\r\n", b"\r\n"]

async def read_three(reader):
    "Three read_until calls; an IncompleteReadError ends the list (noting whether EOF was seen)."
    got = []
    for _ in range(3):
        try:
            got.append(await call_exercise(read_until, reader, b"\r\n"))
        except asyncio.IncompleteReadError as exc:
            exc.at_eof = reader._eof
            got.append(exc)
            break
    return got

def show(got):
    "What read_until gave, for a message: bytes as they are, an IncompleteReadError readably."
    if isinstance(got, list):
        return "[" + ", ".join(map(show, got)) + "]"
    if isinstance(got, asyncio.IncompleteReadError):
        return f"IncompleteReadError(partial={got.partial!r}, expected={got.expected!r})"
    return repr(got)
''')

code(r'''
def outcome(got, where):
    "Turn an exception from read_until into the message a learner needs."
    if isinstance(got, CheckFailed):
        raise got
    if isinstance(got, NotImplementedError):
        raise CheckFailed("`read_until` is not written yet: replace the `raise "
                          "NotImplementedError()` in the exercise cell.")
    if isinstance(got, Spinning):
        raise CheckFailed(f"{where}, the loop ran more than {got} callbacks for a few bytes: is "
                          "read_until polling (await sleep(0) in a loop)? Wait with `await "
                          "reader._wait_for_data()`: it parks the Task on a Future until "
                          "feed_data or feed_eof.")
    if isinstance(got, Polling):
        raise CheckFailed(f"{where}, read_until waited in sleep(): that is polling. It wakes "
                          "for nothing, and it reads late (a line that arrives just after "
                          "a wake-up waits for the next one). Wait with `await "
                          "reader._wait_for_data()`: it parks the Task on a Future that "
                          "feed_data or feed_eof completes, the moment data comes.")
    if isinstance(got, UnicodeError):
        raise CheckFailed(f"{where}, read_until raised {got!r}: it decoded the bytes. A "
                          "stream carries bytes, not text (b'\\xff' is not UTF-8): search "
                          "the bytearray itself, reader._buffer.find(separator).")
    if isinstance(got, RuntimeError) and "block forever" in str(got):
        raise CheckFailed(f"{where}, read_until waited for data after EOF (reader._eof was "
                          "True): nothing will ever come. At EOF without a separator, raise "
                          "asyncio.IncompleteReadError(partial, None).")
    return got
''', id="ch07-115a")

code(r'''
def hint(got):
    "Name the mistake behind a wrong list of results from read_three."
    early = [p for p in got if isinstance(p, asyncio.IncompleteReadError) and not p.at_eof]
    if early:
        return ("read_until raised IncompleteReadError before EOF (reader._eof was still "
                "False). A wake-up only means *some* bytes arrived, maybe not a whole line: "
                "loop: look for the separator, else wait, and look again (while True), and "
                "raise only once reader._eof is set.")
    parts = [bytes(p) for p in got if isinstance(p, (bytes, bytearray))]
    if parts and all(p == x[:-2] for p, x in zip(parts, PARTS)):
        return ("include the separator: return the bytes up to *and including* it (slice up "
                "to find(separator) + len(separator)), as readline keeps its b'\\n'.")
    if any(b"\r\n" in p[:-2] for p in parts):
        return ("a result holds a separator in its middle. A separator can be split across two "
                "reads (b'\\r' at the end of one, b'\\n' at the start of the next): after a "
                "miss, search again from len(buffer) - len(separator) + 1 (or from the start), "
                "not from len(buffer).")
    if any(not p.endswith(b"\r\n") for p in parts):
        if any(p and b"\r\n".startswith(p[-1:]) and b"\r\n" not in p[-2:] for p in parts):
            return ("each result must end with the whole separator: slice up to "
                    "find(separator) + len(separator), not + 1.")
        return ("a wake-up only means *some* bytes arrived: look for the separator again, "
                "and wait again if it is not there yet.")
    if len(set(parts)) < len(parts):
        return "remove what you return from reader._buffer (del reader._buffer[:n])."
    if len(parts) < len(got):
        return ("the message holds three whole parts, so no read should meet EOF: return bytes "
                "for each, and raise IncompleteReadError only at EOF without a separator.")
    return "return the bytes up to and including the first separator in the buffer."


# A separator of four bytes, around binary data with a stray b"\r" and b"\n" in it.
SEP2, PARTS2 = b"\r\n\r\n", [b"Bin: \xff\xfe\r\nA: \n\r\r\n\r\n", b"body\r\n\r\n"]
MESSAGE2 = b"".join(PARTS2)

async def read_two(reader):
    return [await call_exercise(read_until, reader, SEP2) for _ in PARTS2]

def hint_any_separator(got):
    "Name the mistake behind a wrong result of read_two."
    first = got[0] if isinstance(got, list) and got else None
    if first == MESSAGE2[:MESSAGE2.find(b"\n") + 1]:
        return "It cut at b'\\n': use the separator it is given, of any length."
    if first == PARTS2[0][:-2]:
        return ("Slice up to find(separator) + len(separator): the separator can have any "
                "length, not always 2.")
    if first == MESSAGE2[:MESSAGE2.find(b"\r") + len(SEP2)]:
        return ("It looked for the separator's first byte only: search for the whole "
                "separator, reader._buffer.find(separator).")
    return ("A separator can be cut across several reads, in more than two pieces: after a "
            "miss, search again from len(buffer) - len(separator) + 1 (or from the start).")
''', id="ch07-115b")

check(r'''
check(inspect.iscoroutinefunction(read_until), "read_until must be `async def`: it waits for "
      "data with `await reader._wait_for_data()`, and the check awaits it.")
no_forgotten_await(read_until, "read_until")
for cut in range(len(MESSAGE) + 1):
    chunks = [c for c in (MESSAGE[:cut], MESSAGE[cut:]) if c]
    where = f"With the message in {len(chunks)} piece(s) {chunks!r}"
    got, _, _ = feed_and_read(read_three, chunks)
    got = outcome(got, where)
    check(isinstance(got, list) and got == PARTS, f"{where}, three calls of read_until "
          f"gave {show(got)}, expected {PARTS!r}. Hint: "
          + (hint(got) if isinstance(got, list) else f"it raised {got!r}."))
    check(all(type(p) is bytes for p in got), f"read_until returned {show(got)}: return "
          "bytes, not the bytearray slice (bytes(reader._buffer[:n])), as readuntil does.")

got, _, _ = feed_and_read(read_three, [bytes([b]) for b in MESSAGE])
got = outcome(got, "With one byte a second")
check_equal(got, PARTS, "three reads, one byte a second")

got, when, _ = feed_and_read(read_three, [MESSAGE])
got = outcome(got, "With the whole message in one piece at t=1")
check(got == PARTS and when == 1, f"The whole message arrived in one piece at t=1, so all "
      f"three parts were in the buffer then; but read_three got {show(got)} at t={when:g}. "
      "Return as soon as the separator is in the buffer: look in the buffer *before* "
      "waiting, and wait only when the separator is not there; a read must not wait for "
      "more data (or EOF) while the buffer already holds a line.")

got, _, _ = feed_and_read(read_three, [MESSAGE], together=True)
got = outcome(got, "With the message and the EOF arriving together")
check(got == PARTS, f"The message and the EOF arrived together (one callback did feed_data "
      f"then feed_eof), and read_three got {show(got)}. EOF only means nothing *more* will "
      "come: search the buffer for the separator first, and raise IncompleteReadError only "
      "when there is none.")

async def read_four(reader):
    return await read_three(reader) + [await call_exercise(read_until, reader, b"\r\n")]
got, _, reader = feed_and_read(read_four, [MESSAGE + b"Host"])
got = outcome(got, "After the three parts and 'Host', then EOF")
check(isinstance(got, asyncio.IncompleteReadError),
      f"After three parts and b'Host', EOF: the fourth read_until should raise "
      f"asyncio.IncompleteReadError(b'Host', None), but it returned {show(got)}."
      if not isinstance(got, Exception) else
      f"Reading b'GET...\\r\\n\\r\\nHost' then EOF raised {show(got)}; expected the three "
      "parts, then asyncio.IncompleteReadError(b'Host', None) from the fourth read_until.")
check_equal(got.partial, b"Host", "IncompleteReadError.partial", hint="pass the bytes left.")
check(type(got.partial) is bytes, f"IncompleteReadError.partial was a {type(got.partial).__name__}"
      ": pass bytes (partial = bytes(reader._buffer)), then clear the buffer. The reader's own "
      "bytearray is not yours to hand out.")
check(got.expected is None, f"IncompleteReadError.expected was {got.expected!r}: pass None. "
      "`expected` is a byte count, for readexactly(n); readuntil has no count to expect.")
check(not reader._buffer, f"After the IncompleteReadError, reader._buffer still held "
      f"{bytes(reader._buffer)!r}: empty the buffer (reader._buffer.clear()) before raising. "
      "The bytes now travel in the exception; left in the buffer, a next read would return "
      "them a second time.")
got, _, _ = feed_and_read(lambda r: call_exercise(read_until, r, b"\r\n"), [])
got = outcome(got, "With EOF and no data")
check(isinstance(got, asyncio.IncompleteReadError) and got.partial == b"",
      f"With EOF and no data, read_until should raise IncompleteReadError(b'', None), not "
      f"{show(got)}.")

# Another separator, of four bytes, around binary data with a stray b"\r" and b"\n" in it.
first = MESSAGE2.find(SEP2)
splits = [[MESSAGE2[:i], MESSAGE2[i:j], MESSAGE2[j:]]             # the separator cut in three
          for i in range(first + 1, first + 4) for j in range(i + 1, first + 4)]
for chunks in splits + [[bytes([b]) for b in MESSAGE2]]:
    where = (f"With separator {SEP2!r} and the data in {len(chunks)} pieces" if len(chunks) > 3
             else f"With separator {SEP2!r} and the data cut in three {chunks!r}")
    got, _, _ = feed_and_read(read_two, chunks)
    got = outcome(got, where)
    check(got == PARTS2, f"{where}, two calls of read_until gave {show(got)}, expected "
          f"{PARTS2!r}. " + hint_any_separator(got))

# Cancelled while it waits: the read must end cancelled, at once.
got, when, _ = feed_and_read(lambda r: call_exercise(read_until, r, b"\r\n"), [b"GET / HT"],
                             cancel_at=1.5)
check(isinstance(got, minloop.CancelledError) and when == 1.5, "read_until was cancelled at "
      f"t=1.5 while it waited for data, but it " + (f"ended at t={when:g} with {show(got)}"
      if not isinstance(got, minloop.CancelledError) else f"ended only at t={when:g}") + ": it "
      "swallowed the cancellation (an `except CancelledError` around _wait_for_data that "
      "does not re-raise). A timeout around read_until could then never fire: let "
      "CancelledError out.")
passed("Exercise 1")
''')

md(r'''
### Exercise 2: send a file without flooding the buffer

Write `send_file(writer, chunks)`: write every chunk to a `StreamWriter`, respecting
backpressure, then close the writer. `chunks` may be any iterable of bytes, a generator say:
go over it once. `await writer.drain()` after each write: it returns at
once while the transport's buffer is below the high-water mark, and otherwise waits until the
peer has read it down to the low-water mark. (Draining *before* each write works too: the
buffer is bounded the same way, and `close()` still sends the last chunk; both are accepted.)
One drain at a time: each `drain()` awaited before the next write, never several waiting
together.

When the connection is lost, `drain()` raises `ConnectionResetError`, but not always at once.
After a reset, a `drain()` that waits raises the socket's own error
(`ConnectionResetError(104, ...)`). If the connection was closed without an error, asyncio
wakes a waiting `drain()` *normally*; the next `write()` is dropped silently, and only the
next `drain()` raises `ConnectionResetError('Connection lost')`. Let that exception out of
`send_file` (the caller must learn that the file did not arrive), and any other error too,
and close the writer on every way out (`try`/`finally`), a cancellation included.

The check plays a slow peer that reads 16 KiB every 0.1 s, with asyncio's default marks
(high 64 KiB, low 16 KiB), and sends 1 MiB in 16 KiB chunks. The buffer must never hold much
more than the high-water mark (64 KiB plus a chunk), every byte must go, and the Task must
wait in `drain()`, not poll the buffer's size. Two more runs lose the connection at t=0.3,
once with a reset and once closed cleanly: `send_file` must raise `ConnectionResetError`, and
write nothing after the reset, at most the one dropped chunk after the clean close. A third
fails with `BrokenPipeError`, and a fourth cancels `send_file` while it waits in `drain()`: it
must end cancelled, write nothing more, and close the writer each time.
''')

code(r'''
async def send_file(writer, chunks):
    ### BEGIN SOLUTION
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    finally:
        writer.close()
    ### END SOLUTION
''')

md(r'''
The check's stand-in for a StreamWriter has the methods you use (`write`, `drain`, `close`,
`wait_closed`, `transport.get_write_buffer_size()`), behaves on a lost connection as asyncio's
`StreamWriter` does, and counts everything.
''')

code(r'''
class SlowPeerWriter:
    "A StreamWriter stand-in whose peer reads 16 KiB every 0.1 s; marks 64 KiB / 16 KiB."
    HIGH, LOW, READ = 64 * 1024, 16 * 1024, 16 * 1024

    def __init__(self, loop, lose_after=None, reset=True):
        self.loop, self.transport, self.lose_after, self.reset = loop, self, lose_after, reset
        self.buffered = self.written = self.peak = self.reads = self.after_lost = 0
        self.after_close = self.after_cancel = self.retried = self.timed_out = 0
        self.closed = self.lost = self.paused = self.cancelled = self.failing = False
        self.drains, self.waiters, self.together = [], [], 0   # drain() coroutines, Futures
        loop.call_later(0.1, self.peer_reads)

    def get_write_buffer_size(self):
        return self.buffered

    def write(self, data):
        self.after_close += self.closed
        self.after_cancel += self.cancelled
        self.failing = False                  # a drain() that failed, then no write: a retry
        if self.lost:                     # asyncio drops it (and logs from the 5th one on)
            self.after_lost += 1
            return
        self.buffered += len(data)
        self.written += len(data)
        self.peak = max(self.peak, self.buffered)
        self.paused = self.paused or self.buffered > self.HIGH
''')

code(r'''
def peer_reads(self):
    self.buffered -= min(self.READ, self.buffered)
    self.reads += 1
    if self.reads == self.lose_after:                     # the peer is gone
        self.lost = True
        self.wake(None if not self.reset else self.reset if isinstance(self.reset, Exception)
                  else ConnectionResetError(104, "Connection reset by peer"))
        return
    if self.paused and self.buffered <= self.LOW:
        self.paused = False
        self.wake(None)
    self.loop.call_later(0.1, self.peer_reads)

def wake(self, exc):
    "As asyncio's FlowControlMixin: every waiting drain() gets the error, or None."
    for waiter in self.waiters:
        if not waiter.done():
            waiter.set_exception(exc) if exc else waiter.set_result(None)

SlowPeerWriter.peer_reads, SlowPeerWriter.wake = peer_reads, wake
''')

code(r'''
def drain(self):
    coro = self._drain()
    self.drains.append(coro)
    return coro

async def _drain(self):
    if self.lost:
        self.retried += self.failing
        if self.retried > 20:             # retried a failed drain 20 times: let the check end
            return
        self.failing = True
        raise ConnectionResetError("Connection lost")
    if not self.paused:
        return
    self.together += any(not w.done() for w in self.waiters)   # another drain() waits
    waiter = self.loop.create_future()
    self.waiters.append(waiter)
    try:
        await waiter
    except minloop.CancelledError:
        self.timed_out += not self.cancelled  # cancelled, though send_file was not: a timeout
        raise
    except Exception:
        self.failing = True
        raise
    finally:
        self.waiters.remove(waiter)

SlowPeerWriter.drain, SlowPeerWriter._drain = drain, _drain
SlowPeerWriter.close = lambda self: setattr(self, "closed", True)
SlowPeerWriter.wait_closed = lambda self: minloop.sleep(0)
''')

code(r'''
def run_send_file(chunks, lose_after=None, reset=True, limit=3000, cancel_at=None):
    """Run send_file on a SlowPeerWriter (cancelled at `cancel_at` if given): (writer,
    exception or None, Task steps, drains not awaited)."""
    loop = minloop.new_event_loop(clock=VirtualClock())
    writer = SlowPeerWriter(loop, lose_after, reset)
    counts = guard_steps(loop, limit, no_sleep=True)
    def cancel():
        writer.cancelled = True
        task.cancel()
    with real_time_limit():
        task = loop.create_task(call_exercise(send_file, writer, chunks))
        if cancel_at is not None:
            loop.call_at(cancel_at, cancel)
        try:
            loop.run_until_complete(task)
            error = None
        except (Exception, minloop.CancelledError) as exc:
            error = exc
        finally:
            finish(loop)
    never = [c for c in writer.drains if inspect.getcoroutinestate(c) == inspect.CORO_CREATED]
    for coro in never:
        coro.close()                                      # no "never awaited" warning here
    return writer, error, counts[id(task)], len(never)
''')

check(r'''
KiB, CHUNKS = 1024, [b"x" * 16384] * 64                  # 1 MiB
check(inspect.iscoroutinefunction(send_file), "send_file must be `async def`: it waits with "
      "`await writer.drain()`, and the check runs it as a Task.")
no_forgotten_await(send_file, "send_file")
def retried(writer, how):
    check(writer.retried == 0 and not (writer.failing and isinstance(error, Polling)),
          f"The connection was lost at t=0.3 ({how}), and send_file called drain() again "
          "after it raised: retrying a drain() that failed cannot help, the connection is gone "
          "for good. Let the exception out of send_file.")
def polled(error):
    check(not isinstance(error, Polling), "send_file waited in sleep(): that is polling (a loop "
          "of sleep() calls that checks the buffer size). It wakes for nothing and cannot "
          "learn that the peer is gone. `await writer.drain()` after each write is all the "
          "waiting needed: it waits on a Future that the transport completes when the buffer "
          "has drained to the low-water mark.")
def after_close(writer):
    check(writer.after_close == 0, f"send_file wrote {writer.after_close} time(s) after "
          "writer.close(): once closed, a writer takes nothing more (asyncio drops it). "
          "Close last, after every write.")
writer, error, steps, never = run_send_file(chunk for chunk in CHUNKS)   # any iterable
if isinstance(error, CheckFailed):
    raise error
if isinstance(error, NotImplementedError):
    raise CheckFailed("`send_file` is not written yet: replace the `raise NotImplementedError()` "
                      "in the exercise cell.")
polled(error)
check(not isinstance(error, TypeError) or "generator" not in str(error), f"send_file raised "
      f"{error!r}: chunks may be any iterable, here a generator, which has no len() and no "
      "slices. Loop over it once: `for chunk in chunks:`.")
check(never == 0, f"writer.drain() was called {never} time(s) but never awaited. drain() is "
      "a coroutine: calling it without `await` only creates it (Python warns 'coroutine ... "
      "was never awaited'). Write `await writer.drain()`.")
check(writer.together == 0, f"{writer.together + 1} drain() calls waited at the same time "
      "(drains gathered, or run as Tasks, after the writes). By the time they run, everything "
      "is already written, so they hold nothing back. Drain one at a time: `await "
      "writer.drain()` right after each write, before the next write.")
check(not isinstance(error, Spinning), "The loop ran thousands of callbacks while your send_file "
      "waited: that is polling (a loop of sleep() calls that checks the buffer size). "
      "`await writer.drain()` waits on a Future that the transport completes when the buffer "
      "has drained to the low-water mark: no polling needed.")
check(error is None, f"send_file raised {error!r} with a slow (but alive) peer.")
check(writer.timed_out == 0, "A drain() was cancelled by a timeout (wait_for?), and send_file "
      "went on writing as if the buffer had drained: a timeout on drain() means the peer is "
      "not reading, so swallowing it floods the buffer. Await drain() itself, with no "
      "timeout (or let the TimeoutError out).")
after_close(writer)
check(steps <= 2 * len(CHUNKS) + 5, f"Your send_file Task ran {steps} times to write "
      f"{len(CHUNKS)} chunks: it is polling (a loop of sleep() calls that checks the buffer). "
      "`await writer.drain()` wakes the Task once, when the buffer has drained.")
check(writer.written, "send_file wrote nothing. chunks is a generator here: it can be "
      "iterated only once, so going over it first (to count, say) leaves nothing to send. "
      "Loop over it once: `for chunk in chunks:`.")
check_equal(writer.written, len(CHUNKS) * 16 * KiB, "the bytes written",
            hint="write every chunk, once.")
limit = SlowPeerWriter.HIGH + 16 * KiB
check(writer.peak <= limit,
      f"The transport's buffer grew to {writer.peak // KiB} KiB (high-water mark: 64 KiB)." + (
          " You never awaited drain(): with a slow reader, everything you write piles up in "
          "memory. `await writer.drain()` after each write." if not writer.drains else
          " You awaited drain() only once, after all the writes: by then the whole file was "
          "in the buffer. Drain after *each* write." if len(writer.drains) == 1 else
          " Await drain() after each write."))
check(writer.drains, "send_file kept the buffer small without drain(): it polled "
      "get_write_buffer_size() with sleep(). Polling wakes the Task for nothing, and it cannot "
      "learn that the peer is gone: after a lost connection the buffer never drains, and a "
      "poll would wait forever. `await writer.drain()` after each write.")
check(writer.closed, "send_file did not close the writer: call writer.close() at the end.")

for reset, how in ((True, "by a reset"), (False, "cleanly, without an error")):
    writer, error, steps, never = run_send_file(CHUNKS, lose_after=3, reset=reset)
    retried(writer, how)
    polled(error)
    after_close(writer)
    check(writer.timed_out == 0, "A drain() was cancelled by a timeout (wait_for?), and "
          "send_file went on writing: do not put a timeout on drain() and swallow it.")
    check(not isinstance(error, Spinning), f"The connection was lost at t=0.3 ({how}), and "
          "send_file went on running for thousands of callbacks: is it polling, or looping "
          "on drain() while catching its ConnectionResetError? Let the exception out.")
    check(writer.after_lost <= (0 if reset else 1), f"The connection was lost at t=0.3 "
          f"({how}), and send_file wrote {writer.after_lost} more chunk(s) into it (asyncio "
          "drops them silently): drain() raised ConnectionResetError, but send_file went on "
          "writing. Do not catch that exception: let it out of send_file.")
    check(isinstance(error, ConnectionResetError), f"The connection was lost at t=0.3 ({how}), "
          "but send_file " + ("returned normally: the caller would think the file arrived. Let "
                              "the ConnectionResetError from drain() out." if error is None
                              else f"raised {error!r}."))
    check(writer.closed, "After the connection was lost, the writer was not closed: close it "
          "in a `finally:` block so that it is closed whatever happens.")

writer, error, steps, never = run_send_file(CHUNKS, lose_after=3,
                                            reset=BrokenPipeError(32, "Broken pipe"))
retried(writer, "BrokenPipeError")
check(isinstance(error, BrokenPipeError), "drain() raised BrokenPipeError at t=0.3, but "
      f"send_file " + ("returned normally" if error is None else f"raised {error!r}") + ": let "
      "every error out of send_file, not only ConnectionResetError.")
check(writer.closed, "drain() raised BrokenPipeError at t=0.3, and the writer was not closed: "
      "you closed it only on ConnectionResetError. Close it in a `finally:` block, whatever "
      "the error.")

writer, error, steps, never = run_send_file(CHUNKS, cancel_at=0.25)
check(writer.after_cancel == 0 and isinstance(error, minloop.CancelledError),
      f"send_file was cancelled at t=0.25 while it waited in drain(), but it "
      + (f"wrote {writer.after_cancel} more chunk(s)" if writer.after_cancel else
         "returned normally" if error is None else f"raised {error!r}") + ": it swallowed the "
      "cancellation (an `except CancelledError`, or `except BaseException`, around drain() "
      "that does not re-raise). Let CancelledError out: whoever cancelled wants it to stop.")
check(writer.closed, "send_file was cancelled at t=0.25 while it waited in drain(), and the "
      "writer was not closed: CancelledError is a BaseException, so `except Exception` (or "
      "`except ConnectionResetError`) does not see it. Close in a `finally:` block, which "
      "runs on every way out, cancellation included.")
passed("Exercise 2")
''')

md(r'''
### Exercise 3: a heartbeat that stops with the connection

Protocols often do things on their own time: a heartbeat, a keep-alive, a timeout. Complete
`Heartbeat`: once connected, it writes `b"beat 1\n"`, `b"beat 2\n"`, ... one a second, the
first one second after `connection_made` (use `loop.call_later`, which counts from now).
When the connection is lost, it must stop: after `connection_lost` nothing may write to the
transport any more, and no timer of yours may stay scheduled. Each connection gets its own
`Heartbeat`, and their heartbeats are independent: losing one connection stops that one
only. (asyncio's real transport
would silently drop such writes, and from the fifth one on log a warning for each, so the bug
would go unnoticed: the check's transport raises instead.)

The check connects it at t=0.5 to a transport that records each write with its time, loses
the connection at t=3.75 (after an EOF), and in a second run connects at t=0.25 and loses the
connection at t=2.5 with an error and no EOF, in a third at t=2.75 cleanly
(`connection_lost(None)`) with no EOF. Right after `connection_lost` returns, and again
2.25 s later, it looks for timers and Tasks of yours still alive (a flag that makes the next
beat do nothing is not enough: cancel the timer); then it runs the loop on to t=8. A last run
connects two Heartbeats and loses only the first: the second must beat on. A Task that
loops on `sleep(1)`, cancelled in `connection_lost`, is a right answer too.
''')

code(r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        ### BEGIN SOLUTION
        self.transport = transport
        self.count = 0
        self.timer = minloop.get_running_loop().call_later(1, self.beat)
        ### END SOLUTION

    def beat(self):
        ### BEGIN SOLUTION
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = minloop.get_running_loop().call_later(1, self.beat)
        ### END SOLUTION

    def connection_lost(self, exc):
        ### BEGIN SOLUTION
        self.timer.cancel()
        ### END SOLUTION
''')

code(r'''
class StrictTransport:
    "Records (time, data) for each write; refuses a write after connection_lost()."

    def __init__(self, loop):
        self.loop, self.writes, self.lost, self.closing = loop, [], False, False

    def write(self, data):
        if self.lost:
            raise RuntimeError(f"write({bytes(data)!r}) called after connection_lost()")
        self.writes.append((self.loop.time(), bytes(data)))

    def is_closing(self):
        return self.lost or self.closing

    def close(self):                      # harmless, as asyncio's after connection_lost
        self.closing = True
''')

code(r'''
def still_alive(loop, main):
    "Timers not cancelled (a sleep()'s aside: its Task counts) and Tasks not being cancelled."
    timers = [h for h in loop._scheduled if not h.cancelled()
              and h._callback is not minloop.futures._set_result_unless_cancelled]
    tasks = [t for t in minloop.all_tasks(loop) if t is not main and not t.cancelling()]
    return timers + tasks


def passed_a_call(cls):
    """`call_later(1, self.beat())` and the like in cls's methods: a method of the class
    called on self where a callback is due. [(source, line)]"""
    found = []
    for fn in vars(cls).values():
        try:
            source = textwrap.dedent(inspect.getsource(fn))
            tree = ast.parse(source)
        except (OSError, TypeError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("call_later", "call_at", "call_soon")):
                callback = node.args[0 if node.func.attr == "call_soon" else 1:][:1]
                if (callback and isinstance(callback[0], ast.Call)
                        and isinstance(callback[0].func, ast.Attribute)
                        and getattr(callback[0].func.value, "id", "") == "self"
                        and callable(getattr(cls, callback[0].func.attr, None))):
                    found.append((ast.get_source_segment(source, node),
                                  fn.__code__.co_firstlineno + node.lineno - 1))
    return found
''', id="ch07-128a")

code(r'''
def run_heartbeat(connect_at, lose_at, exc=None, eof=True, beside=None, until=8, limit=500):
    """Connect a Heartbeat (made inside the loop, as asyncio calls a protocol factory), lose
    the connection at `lose_at` (after an EOF if `eof`). `beside`: when a second Heartbeat
    connects, to a transport of its own, never lost. Return a namespace: the writes (and the
    second one's), the errors, the timers and Tasks left right after connection_lost and 2.25 s
    later, the TimerHandles the protocol held then, and the handles it tampered with."""
    loop = minloop.new_event_loop(clock=VirtualClock())
    run = types.SimpleNamespace(errors=[], left=[], later=[], held=[], removed=[], flagged=[])
    loop.set_exception_handler(lambda loop, context: run.errors.append(context["exception"]))
    transport, other, protocols, tasks = StrictTransport(loop), StrictTransport(loop), [], []
    run.writes, run.other_writes = transport.writes, other.writes
    def connect(transport):
        protocols.append(Heartbeat())
        protocols[-1].connection_made(transport)
    def lose():
        protocol = protocols[0]
        tasks.extend(t for t in minloop.all_tasks(loop) if t is not main)
        if eof:
            protocol.eof_received()
        transport.lost = True
        try:
            protocol.connection_lost(exc)
        finally:                                # what is left, and the handles it holds
            if beside is None:
                run.left.extend(still_alive(loop, main))
            run.held.extend(v for v in vars(protocol).values() if isinstance(v, minloop.TimerHandle))
            run.removed.extend(h for h in run.held if not h.cancelled() and h not in loop._scheduled
                               and h.when() > loop.time())
            run.flagged.extend(h for h in loop._scheduled if h._cancelled and h._callback)
            if beside is None:
                loop.call_later(2.25, later)
    def later():
        run.later.extend(h for h in loop._scheduled if not h.cancelled()
                         and h._callback is not minloop.futures._set_result_unless_cancelled)
        run.later.extend(t for t in minloop.all_tasks(loop) if t is not main and not t.done())
    loop.call_at(connect_at, connect, transport)
    if beside is not None:
        loop.call_at(beside, connect, other)
    loop.call_at(lose_at, lose)
    guard_steps(loop, limit)
    with real_time_limit():
        main = loop.create_task(minloop.sleep(until))
        try:
            loop.run_until_complete(main)
        except Spinning as spin:
            run.errors.append(spin)
        finally:
            run.errors.extend(t.exception() for t in tasks      # a Task's error is an error too
                              if t.done() and not t.cancelled() and t.exception())
            finish(loop)
    return run
''')

check(r'''
def explain(errors, when):
    "The errors that say it all, first."
    for error in errors:
        if isinstance(error, NotImplementedError):
            raise CheckFailed("Heartbeat is not written yet: replace the `raise "
                              "NotImplementedError()` in its methods.")
        if isinstance(error, Spinning):
            raise CheckFailed("The loop ran hundreds of callbacks in a few seconds: is beat "
                              "rescheduling itself with call_soon and checking the time (busy "
                              "polling)? Use loop.call_later(1, self.beat).")
        if isinstance(error, TypeError) and "callable" in str(error):
            raise CheckFailed(f"{error} ({when}): pass the method, don't call it: "
                              "call_later(1, self.beat), without ().")
        frames = [f.name for f in traceback.extract_tb(error.__traceback__)]
        if "after connection_lost" in str(error) and "connection_lost" in frames:
            raise CheckFailed(f"{error} ({when}): connection_lost itself wrote. The connection "
                              "is gone by then, so nothing can be sent.")

def explain_late_write(errors, when):
    "A write after connection_lost from elsewhere: a Task's goodbye, a beat left scheduled."
    for error in errors:
        frames = [f.name for f in traceback.extract_tb(error.__traceback__)]
        if "after connection_lost" in str(error):
            raise CheckFailed(f"{error} ({when}), in {frames[-2] if len(frames) > 1 else 'beat'}: "
                              "a write after connection_lost. Once the connection is lost "
                              "nothing may write, not even a goodbye in a `finally:` block or "
                              "an `except CancelledError:` of a Task being cancelled.")

def explain_left(left, held, when, no_eof=False):
    "What is still scheduled right after connection_lost, and why."
    if not left:
        return
    names = ", ".join(getattr(h, "get_name", lambda: repr(h))() for h in left)
    if any(isinstance(h, minloop.Task) for h in left):
        raise CheckFailed(f"Right after connection_lost ({when}), a Task of yours was still "
                          f"running ({names}): cancel() it in connection_lost.")
    raise CheckFailed(f"Right after connection_lost ({when}), a timer of yours was still "
        f"scheduled ({names}). " + (
        "You cancelled a TimerHandle, but not the latest one: every call_later returns a new "
        "handle, so update self's handle in each beat (self.timer = loop.call_later(1, "
        "self.beat)) and cancel that one." if any(h.cancelled() for h in held)
        and not any(h is x for h in held for x in left) else
        "You stopped the heartbeat in eof_received, but this time no EOF came: stop it in "
        "connection_lost, which is always called, not in eof_received." if no_eof else
        "Keep the TimerHandle that call_later returns and cancel() it in connection_lost: a "
        "flag or an is_closing() test in beat stops the writes, but leaves a timer that fires "
        "for nothing (and swallowing the write error keeps the heartbeat alive forever)."))

for call, line in passed_a_call(Heartbeat):
    raise CheckFailed(f"`{call}` (line {line} of its cell) calls beat now and passes what it "
                      "returns (None) to the loop: pass the method, don't call it: "
                      "call_later(1, self.beat), without ().")
for name, method in vars(Heartbeat).items():
    if inspect.isfunction(method):
        no_forgotten_await(method, f"Heartbeat.{name}")

def expect_beats(connect_at, lose_at, exc, when, eof=True):
    "Run once; check errors, what is left, then the writes."
    run = run_heartbeat(connect_at, lose_at, exc, eof)
    writes, errors, left, held = run.writes, run.errors, run.left, run.held
    explain(errors, when)
    check(not run.removed, f"Your connection_lost took the timer out of loop._scheduled by "
          f"hand ({when}): that is the loop's private heap, and removing an item breaks its "
          "order. Call the TimerHandle's cancel(): the loop skips and drops cancelled timers.")
    check(not run.flagged, f"Your connection_lost set a TimerHandle's _cancelled by hand "
          f"({when}): call its cancel() method, which also tells the loop (it counts the "
          "cancelled timers in its heap, to clean them up) and drops the callback.")
    explain_left(left, held, when, no_eof=not eof)
    explain_late_write(errors, when)
    for error in errors:
        raise CheckFailed(f"A Heartbeat callback raised {error!r} ({when}).")
    if run.later:
        names = ", ".join(getattr(h, "get_name", lambda: repr(h))() for h in run.later)
        raise CheckFailed(f"2.25 s after connection_lost ({when}), " + (
            f"a Task of yours was still running ({names}): it caught the CancelledError and "
            "went on. Let the cancellation end it (re-raise CancelledError, or do not catch it)."
            if any(isinstance(h, minloop.Task) for h in run.later) else
            f"a timer of yours was scheduled again ({names}), although none was left right "
            "after connection_lost: something re-armed the heartbeat after the loss (a beat "
            "scheduled from connection_lost with call_soon, say). After connection_lost, "
            "nothing of yours may run again."))
    expected = [(connect_at + n, f"beat {n}\n".encode()) for n in range(1, 4)
                if connect_at + n < lose_at]
    if writes and writes[0][0] != connect_at + 1:
        raise CheckFailed(f"The first beat was written at t={writes[0][0]:g}, and "
                          f"connection_made ran at t={connect_at:g}: the first beat must come "
                          "1 s after connection_made. Schedule it with call_later(1, ...), "
                          "which counts from now (call_at takes a time on the loop's clock), "
                          "and do not write at once.")
    check_equal(writes, expected, f"(time, data) of each write ({when})",
                hint="count from 1, and reschedule the next beat in each beat."
                if writes else "schedule the first beat with loop.call_later(1, self.beat).")

expect_beats(0.5, 3.75, None, "connected at t=0.5, lost at t=3.75 after an EOF")
expect_beats(0.25, 2.5, ConnectionResetError("reset by peer"),
             "connected at t=0.25, lost at t=2.5 with ConnectionResetError, no EOF", eof=False)
expect_beats(0.5, 2.75, None, "connected at t=0.5, lost cleanly at t=2.75 "
             "(connection_lost(None)) with no EOF", eof=False)

run = run_heartbeat(0.5, 2.75, beside=0.75)       # two connections; only the first is lost
explain(run.errors, "two connections, the first lost at t=2.75")
expected = [(0.75 + n, f"beat {n}\n".encode()) for n in range(1, 8)]
check(run.other_writes == expected, "Two Heartbeats ran at once, connected at t=0.5 and "
      "t=0.75; the first connection was lost at t=2.75. The second one's writes were "
      f"{run.other_writes}, expected {expected}: " + (
      "its beats stopped when the *other* connection was lost. Each protocol stops only its "
      "own heartbeat: keep the handle (or Task) in self, not in the class (a list or counter "
      "in the class body is shared by every connection)."
      if len(run.other_writes) < len(expected) else
      "each connection counts its own beats, from 1: keep the count in self, not in the class."))
passed("Exercise 3")
''')

md(r'''
**Next:** chapter 08 coordinates Tasks with each other rather than with sockets: queues,
locks, events, conditions and semaphores, and the Futures inside them.
''')


if __name__ == "__main__":
    nb.write()
