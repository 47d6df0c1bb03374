"""Chapter 07's exercise checks reject the wrong answers learners write, and say why.

Each case runs the notebook's own check cell (through tests/exercise_harness.py, in a real
kernel) against an answer in place of the solution, and asserts that the check rejects it
with a CheckFailed whose message names the mistake. The notebook's solution must pass and the
student stub must be rejected.
"""

import time

import pytest

from exercise_harness import Chapter

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def ch07():
    chapter = Chapter("07_streams")
    yield chapter
    chapter.close()


# ---------------------------------------------------------------- Exercise 1: read_until

READ_UNTIL_WRONG = {
    "returns after one wake-up (a line split across two reads comes back cut)": ("""
        if separator not in reader._buffer and not reader._eof:
            await reader._wait_for_data()
        end = reader._buffer.find(separator)
        size = end + len(separator) if end >= 0 else len(reader._buffer)
        data = bytes(reader._buffer[:size])
        del reader._buffer[:size]
        return data
        """, "wait again"),
    "off-by-one slice: + 1 instead of + len(separator)": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                data = bytes(reader._buffer[:end + 1])
                del reader._buffer[:end + 1]
                return data
            if reader._eof:
                raise asyncio.IncompleteReadError(bytes(reader._buffer), None)
            await reader._wait_for_data()
        """, "len(separator)"),
    "forgets to remove the bytes it returns": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                return bytes(reader._buffer[:end + len(separator)])
            if reader._eof:
                raise asyncio.IncompleteReadError(bytes(reader._buffer), None)
            await reader._wait_for_data()
        """, "remove what you return"),
    "searches only the new bytes: misses a separator cut between two reads": ("""
        start = 0
        while True:
            end = reader._buffer.find(separator, start)
            if end >= 0:
                size = end + len(separator)
                data = bytes(reader._buffer[:size])
                del reader._buffer[:size]
                return data
            if reader._eof:
                partial = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(partial, None)
            start = len(reader._buffer)
            await reader._wait_for_data()
        """, "split across two reads"),
    "returns the partial data at EOF instead of raising IncompleteReadError": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0 or reader._eof:
                size = end + len(separator) if end >= 0 else len(reader._buffer)
                data = bytes(reader._buffer[:size])
                del reader._buffer[:size]
                return data
            await reader._wait_for_data()
        """, "IncompleteReadError"),
    "ignores EOF and waits forever": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                size = end + len(separator)
                data = bytes(reader._buffer[:size])
                del reader._buffer[:size]
                return data
            await reader._wait_for_data()
        """, "waited for data after EOF"),
    "busy polling with sleep(0)": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                size = end + len(separator)
                data = bytes(reader._buffer[:size])
                del reader._buffer[:size]
                return data
            if reader._eof:
                raise asyncio.IncompleteReadError(bytes(reader._buffer), None)
            await minloop.sleep(0)
        """, "polling"),
    "waits for EOF first, then splits (right bytes, too late)": ("""
        while not reader._eof:
            await reader._wait_for_data()
        end = reader._buffer.find(separator)
        if end < 0:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        data = bytes(reader._buffer[:end + len(separator)])
        del reader._buffer[:end + len(separator)]
        return data
        """, "as soon as the separator is in the buffer"),
    "waits before looking: calls 2 and 3 wait although the buffer holds their lines": ("""
        while True:
            if not reader._eof:
                await reader._wait_for_data()
            i = reader._buffer.find(separator)
            if i >= 0:
                out = bytes(reader._buffer[:i + len(separator)])
                del reader._buffer[:i + len(separator)]
                return out
            if reader._eof:
                p = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(p, None)
        """, ["look in the buffer", "t=2"]),
    "checks EOF before searching: data and EOF together raise although a line is there": ("""
        while True:
            if reader._eof:
                p = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(p, None)
            i = reader._buffer.find(separator)
            if i >= 0:
                out = bytes(reader._buffer[:i + len(separator)])
                del reader._buffer[:i + len(separator)]
                return out
            await reader._wait_for_data()
        """, ["arrived together", "search the buffer for the separator first"]),
    "does not empty the buffer at EOF": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                data = bytes(reader._buffer[:end + len(separator)])
                del reader._buffer[:end + len(separator)]
                return data
            if reader._eof:
                raise asyncio.IncompleteReadError(bytes(reader._buffer), None)
            await reader._wait_for_data()
        """, ["empty the buffer", "b'Host'"]),
    "IncompleteReadError(partial, len(separator)): expected must be None": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                data = bytes(reader._buffer[:end + len(separator)])
                del reader._buffer[:end + len(separator)]
                return data
            if reader._eof:
                partial = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(partial, len(separator))
            await reader._wait_for_data()
        """, ["expected", "pass None"]),
    "returns a bytearray, not bytes": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                data = reader._buffer[:end + len(separator)]
                del reader._buffer[:end + len(separator)]
                return data
            if reader._eof:
                partial = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(partial, None)
            await reader._wait_for_data()
        """, ["return bytes", "bytearray"]),
    "leaves the separator out of the result": ("""
        while True:
            i = reader._buffer.find(separator)
            if i >= 0:
                out = bytes(reader._buffer[:i])
                del reader._buffer[:i + len(separator)]
                return out
            if reader._eof:
                p = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(p, None)
            await reader._wait_for_data()
        """, ["include the separator"]),
    "leaves the separator out, and returns a bytearray": ("""
        while True:
            i = reader._buffer.find(separator)
            if i >= 0:
                out = reader._buffer[:i]
                del reader._buffer[:i + len(separator)]
                return out
            if reader._eof:
                p = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(p, None)
            await reader._wait_for_data()
        """, ["include the separator"]),
    "if instead of while: waits once, then gives up": ("""
        i = reader._buffer.find(separator)
        if i < 0 and not reader._eof:
            await reader._wait_for_data()
            i = reader._buffer.find(separator)
        if i >= 0:
            out = bytes(reader._buffer[:i + len(separator)])
            del reader._buffer[:i + len(separator)]
            return out
        p = bytes(reader._buffer)
        reader._buffer.clear()
        raise asyncio.IncompleteReadError(p, None)
        """, ["before EOF", "loop: look for the separator, else wait, and look again"]),
    "raises EOFError instead of IncompleteReadError (no noise after the message)": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                data = bytes(reader._buffer[:end + len(separator)])
                del reader._buffer[:end + len(separator)]
                return data
            if reader._eof:
                reader._buffer.clear()
                raise EOFError("no separator")
            await reader._wait_for_data()
        """, ["EOFError", "IncompleteReadError"]),
    "forgotten await on _wait_for_data (used to hang)": ("""
        while True:
            end = reader._buffer.find(separator)
            if end >= 0:
                data = bytes(reader._buffer[:end + len(separator)])
                del reader._buffer[:end + len(separator)]
                return data
            if reader._eof:
                partial = bytes(reader._buffer)
                reader._buffer.clear()
                raise asyncio.IncompleteReadError(partial, None)
            reader._wait_for_data()
        """, ["reader._wait_for_data()", "without `await`", "line 12"]),
}

# A synchronous endless loop that no static look can name: the real-time backstop stops it.
NEVER_YIELDS = """
    while separator not in reader._buffer:
        pass
    end = reader._buffer.find(separator) + len(separator)
    data = bytes(reader._buffer[:end])
    del reader._buffer[:end]
    return data
    """

# ---------------------------------------------------------------- Exercise 2: send_file

SEND_FILE_WRONG = {
    "never drains": ("""
        for chunk in chunks:
            writer.write(chunk)
        writer.close()
        """, "never awaited drain()"),
    "forgotten await on drain()": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                writer.drain()
        finally:
            writer.close()
        """, ["writer.drain()", "without `await`"]),
    "drains once, after all the writes": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
            await writer.drain()
        finally:
            writer.close()
        """, "only once, after all the writes"),
    "busy polling on the buffer size with sleep(0) (used to hang the check forever)": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                while writer.transport.get_write_buffer_size() > 64 * 1024:
                    await minloop.sleep(0)
        finally:
            writer.close()
        """, "polling"),
    "polling with a short sleep": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                while writer.transport.get_write_buffer_size() > 16 * 1024:
                    await minloop.sleep(0.005)
        finally:
            writer.close()
        """, "polling"),
    "swallows ConnectionResetError and keeps writing": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                try:
                    await writer.drain()
                except ConnectionResetError:
                    pass
        finally:
            writer.close()
        """, "went on writing"),
    "swallows ConnectionResetError and returns as if all went well": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                try:
                    await writer.drain()
                except ConnectionResetError:
                    break
        finally:
            writer.close()
        """, "returned normally"),
    "closes the writer only on success (no finally)": ("""
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
        writer.close()
        """, "finally"),
    "polls the buffer with sleep(0.05), never calls drain()": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                while writer.transport.get_write_buffer_size() > 64 * 1024:
                    await minloop.sleep(0.05)
        finally:
            writer.close()
        """, ["polling", "await writer.drain()"]),
    "gathers the drains after the writes (several drains waiting at once)": ("""
        try:
            drains = []
            for chunk in chunks:
                writer.write(chunk)
                drains.append(writer.drain())
            await minloop.gather(*drains)
        finally:
            writer.close()
        """, ["at the same time", "one at a time"]),
    "drains every second write (no noise after the message)": ("""
        try:
            for i, chunk in enumerate(chunks):
                writer.write(chunk)
                if i % 2:
                    await writer.drain()
        finally:
            writer.close()
        """, ["after each write"]),
    "catches the error, retries drain() forever": ("""
        try:
            for chunk in chunks:
                writer.write(chunk)
                while True:
                    try:
                        await writer.drain()
                        break
                    except ConnectionResetError:
                        await minloop.sleep(0.1)
        finally:
            writer.close()
        """, ["lost at t=0.3", "let the exception out"]),
}

# A synchronous wait on the buffer: the real-time backstop stops it.
SEND_FILE_NEVER_YIELDS = """
    try:
        for chunk in chunks:
            writer.write(chunk)
            while writer.transport.get_write_buffer_size() > 64 * 1024:
                pass
    finally:
        writer.close()
    """

# Draining before each write bounds the buffer the same way, and close() sends the last chunk:
# accepted (the brief says so).
SEND_FILE_ACCEPTED = {
    "drain before each write": """
        try:
            for chunk in chunks:
                await writer.drain()
                writer.write(chunk)
        finally:
            writer.close()
        """,
    "drain after each write, close and wait_closed": """
        try:
            for chunk in chunks:
                writer.write(chunk)
                await writer.drain()
        finally:
            writer.close()
            await writer.wait_closed()
        """,
}

# ---------------------------------------------------------------- Exercise 3: Heartbeat

_MADE = """
    self.transport = transport
    self.count = 0
    self.timer = minloop.get_running_loop().call_later(1, self.beat)
    """
_BEAT = """
    self.count += 1
    self.transport.write(f"beat {self.count}\\n".encode())
    self.timer = minloop.get_running_loop().call_later(1, self.beat)
    """

HEARTBEAT_WRONG = {
    "never stops: writes after connection_lost": (
        [None, None, "pass"], ["still scheduled", "cancel() it in connection_lost"]),
    "says goodbye in connection_lost": (
        [None, None, 'self.timer.cancel()\nself.transport.write(b"bye\\n")'],
        "connection_lost itself wrote"),
    "busy polling with call_soon": ([
        """
        self.transport, self.count = transport, 0
        self.next = minloop.get_running_loop().time() + 1
        self.timer = minloop.get_running_loop().call_soon(self.beat)
        """, """
        loop = minloop.get_running_loop()
        if loop.time() >= self.next:
            self.count += 1
            self.transport.write(f"beat {self.count}\\n".encode())
            self.next += 1
        self.timer = loop.call_soon(self.beat)
        """, None], "busy polling"),
    "eager: the first beat at once": ([
        """
        self.transport, self.count = transport, 0
        self.beat()
        """, None, None], ["at t=0.5", "1 s after connection_made", "do not write at once"]),
    "swallows the write error, so the timer lives on": ([
        None, """
        self.count += 1
        try:
            self.transport.write(f"beat {self.count}\\n".encode())
        except Exception:
            pass
        self.timer = minloop.get_running_loop().call_later(1, self.beat)
        """, "pass"], ["still scheduled", "swallowing the write error"]),
    "off by one: counts from 0": ([
        None, """
        self.transport.write(f"beat {self.count}\\n".encode())
        self.count += 1
        self.timer = minloop.get_running_loop().call_later(1, self.beat)
        """, None], "count from 1"),
    "forgets to reschedule": ([
        None, """
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        """, None], "reschedule"),
    "absolute times: call_at(count + 1)": ([
        """
        self.transport, self.count = transport, 0
        self.timer = minloop.get_running_loop().call_at(1, self.beat)
        """, """
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        self.timer = minloop.get_running_loop().call_at(self.count + 1, self.beat)
        """, None], ["first beat was written at t=1,", "call_later(1, ...)", "counts from now"]),
    "a stop flag, the timer never cancelled": ([
        """
        self.transport, self.count, self.stopped = transport, 0, False
        minloop.get_running_loop().call_later(1, self.beat)
        """, """
        if self.stopped:
            return
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        minloop.get_running_loop().call_later(1, self.beat)
        """, "self.stopped = True"], ["still scheduled", "cancel() it", "flag"]),
    "is_closing() test in beat, the timer never cancelled": ([
        None, """
        if self.transport.is_closing():
            return
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        self.timer = minloop.get_running_loop().call_later(1, self.beat)
        """, "pass"], ["still scheduled", "is_closing()"]),
    "stale handle: cancels the first timer, not the latest": ([
        None, """
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        minloop.get_running_loop().call_later(1, self.beat)
        """, None], ["still scheduled", "not the latest one", "in each beat"]),
    "calls beat instead of passing it: call_later(1, self.beat())": ([
        """
        self.transport, self.count = transport, 0
        self.timer = minloop.get_running_loop().call_later(1, self.beat())
        """, """
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        self.timer = minloop.get_running_loop().call_later(1, self.beat())
        """, None], ["pass the method, don't call it", "call_later(1, self.beat)"]),
}

# A Task that loops on sleep(1), cancelled in connection_lost, is a right answer too.
HEARTBEAT_TASK = '''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.task = minloop.get_running_loop().create_task(self.beats())

    async def beats(self):
        for n in itertools.count(1):
            await minloop.sleep(1)
            self.transport.write(f"beat {n}\\n".encode())

    def connection_lost(self, exc):
        self.task.cancel()
'''

HEARTBEAT_TASK_FORGOTTEN_AWAIT = HEARTBEAT_TASK.replace(
    "await minloop.sleep(1)", "minloop.sleep(1)")

HEARTBEAT_TASK_NOT_CANCELLED = HEARTBEAT_TASK.replace(
    "self.task.cancel()", "self.stopped = True").replace(
    "for n in itertools.count(1):", "for n in itertools.count(1):\n            if getattr(self, 'stopped', False):\n                return")

EOF_ONLY = '''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.count = 0
        self.timer = minloop.get_running_loop().call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\\n".encode())
        self.timer = minloop.get_running_loop().call_later(1, self.beat)

    def eof_received(self):
        self.timer.cancel()

    def connection_lost(self, exc):
        pass
'''

# ---------------------------------------------------------------- a second learner's answers
# From a learner who worked the student edition: wrong answers that used to pass, crash or
# get a misleading message, and right answers that used to be rejected. Whole cells.

# Wrong answers from the second learner's report, as whole cells.
READ_UNTIL_WRONG_CELLS = {
    'polls with a coarse sleep(1) instead of _wait_for_data': (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await minloop.sleep(1)
''', ['waited in sleep()', 'polling', '_wait_for_data()']),
    'polls with sleep(0.25)': (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await minloop.sleep(0.25)
''', ['waited in sleep()', 'polling']),
    "ignores separator, cuts at b'\\n'": (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(b"\n")
        if i >= 0:
            data = bytes(reader._buffer[:i + 1])
            del reader._buffer[:i + 1]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
''', ["cut at b'\\n'", 'separator it is given']),
    'hard-coded + 2 instead of len(separator)': (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            data = bytes(reader._buffer[:i + 2])
            del reader._buffer[:i + 2]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
''', ['len(separator)', 'any length']),
    'rescans from len(buffer) - 1 (right for 2-byte separators only)': (r'''
async def read_until(reader, separator):
    offset = 0
    while True:
        i = reader._buffer.find(separator, offset)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        offset = max(0, len(reader._buffer) - 1)
        await reader._wait_for_data()
''', ['cut in three', 'len(buffer) - len(separator) + 1']),
    'searches separator[:1] only': (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator[:1])
        if i >= 0 and len(reader._buffer) >= i + len(separator):
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
''', ['first byte only', 'whole separator']),
    'swallows CancelledError around _wait_for_data': (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        try:
            await reader._wait_for_data()
        except asyncio.CancelledError:
            pass
''', ['cancelled at t=1.5', 'swallowed the cancellation', 'let CancelledError out']),
    'decode/encode round trip': (r'''
async def read_until(reader, separator):
    while True:
        text = reader._buffer.decode()
        i = text.find(separator.decode())
        if i >= 0:
            line = text[:i + len(separator.decode())].encode()
            del reader._buffer[:len(line)]
            return line
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
''', ['UnicodeDecodeError', 'decoded the bytes', 'not UTF-8']),
    "partial is the reader's bytearray": (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial, reader._buffer = reader._buffer, bytearray()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
''', ['partial was a bytearray', 'pass bytes']),
    'coroutine assigned, never awaited (used to print six tracebacks)': (r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        waiting = reader._wait_for_data()
''', ['`reader._wait_for_data()`', 'without `await`', 'line 13']),
    'written without async': (r'''
def read_until(reader, separator):
    i = reader._buffer.find(separator)
    n = i + len(separator)
    data = bytes(reader._buffer[:n])
    del reader._buffer[:n]
    return data
''', ['must be `async def`']),
}


# 
SEND_FILE_WRONG_CELLS = {
    'closes only on ConnectionResetError, no finally': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    except ConnectionResetError:
        writer.close()
        raise
    writer.close()
''', ['BrokenPipeError', 'not closed', 'finally']),
    'closes in except ConnectionResetError around drain only': (r'''
async def send_file(writer, chunks):
    for chunk in chunks:
        writer.write(chunk)
        try:
            await writer.drain()
        except ConnectionResetError:
            writer.close()
            raise
    writer.close()
''', ['BrokenPipeError', 'not closed', 'finally']),
    'except Exception: close (a cancellation leaks the writer)': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    except Exception:
        writer.close()
        raise
    else:
        writer.close()
''', ['cancelled at t=0.25', 'not closed', 'BaseException', 'finally']),
    'swallows CancelledError from drain and keeps writing': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            try:
                await writer.drain()
            except asyncio.CancelledError:
                pass
    finally:
        writer.close()
''', ['cancelled at t=0.25', 'swallowed the cancellation', 'let CancelledError out']),
    'iterates chunks twice (a generator sends nothing)': (r'''
async def send_file(writer, chunks):
    total = sum(len(c) for c in chunks)
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    finally:
        writer.close()
    return total
''', ['wrote nothing', 'generator', 'only once']),
    'len() and slices of chunks': (r'''
async def send_file(writer, chunks):
    try:
        for i in range(0, len(chunks), 2):
            writer.write(b"".join(chunks[i:i + 2]))
            await writer.drain()
    finally:
        writer.close()
''', ['generator', 'any iterable']),
    'close before the last drain, chunks[:-1]': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks[:-1]:
            writer.write(chunk)
            await writer.drain()
        writer.write(chunks[-1])
        writer.close()
        await writer.drain()
    finally:
        writer.close()
''', ['generator', 'any iterable']),
    'a write after close()': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    finally:
        writer.close()
        writer.write(b"")
''', ['after writer.close()', 'close last']),
    'wait_for timeout on drain swallowed': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            try:
                await minloop.wait_for(writer.drain(), 0.15)
            except (TimeoutError, asyncio.TimeoutError):
                pass
    finally:
        writer.close()
''', ['timeout', 'went on writing']),
    'polls, one drain at the end': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            while writer.transport.get_write_buffer_size() > 48 * 1024:
                await minloop.sleep(0.1)
            writer.write(chunk)
        await writer.drain()
    finally:
        writer.close()
''', ['waited in sleep()', 'polling']),
    'polls before each drain (redundant polling)': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            while writer.transport.get_write_buffer_size() > 64 * 1024:
                await minloop.sleep(0.1)
            await writer.drain()
    finally:
        writer.close()
''', ['waited in sleep()', 'polling']),
    'retries drain on any error, 3 times': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            for attempt in range(3):
                try:
                    await writer.drain()
                    break
                except BaseException:
                    if attempt == 2:
                        raise
    finally:
        writer.close()
''', ['retrying a drain() that failed']),
    'retries drain forever on ConnectionResetError': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            while True:
                try:
                    await writer.drain()
                    break
                except ConnectionResetError:
                    continue
    finally:
        writer.close()
''', ['retrying a drain() that failed']),
    'retries drain forever under except BaseException': (r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            while True:
                try:
                    await writer.drain()
                    break
                except BaseException:
                    continue
    finally:
        writer.close()
''', ['retrying a drain() that failed']),
    'written without async': (r'''
def send_file(writer, chunks):
    for chunk in chunks:
        writer.write(chunk)
    writer.close()
''', ['must be `async def`']),
}


# A drain Task awaited at once is the same wait (wasteful, not wrong): accepted.
SEND_FILE_ACCEPTED_CELLS = {
    'await ensure_future(writer.drain())': r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            await minloop.ensure_future(writer.drain())
    finally:
        writer.close()
''',
    "the learner's solution": r'''
async def send_file(writer, chunks):
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    finally:
        writer.close()
''',
}


# 
HEARTBEAT_WRONG_CELLS = {
    're-arms from connection_lost with call_soon': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.timer = self.loop.call_later(1, self.beat)
        if self.transport.is_closing():
            return
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())

    def connection_lost(self, exc):
        self.timer.cancel()
        self.loop.call_soon(self.beat)
''', ['2.25 s after connection_lost', 'scheduled again', 'call_soon']),
    'a Task that swallows its cancellation': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.task = minloop.get_running_loop().create_task(self.run())

    async def run(self):
        n = 0
        while True:
            try:
                await minloop.sleep(1)
            except asyncio.CancelledError:
                continue
            n += 1
            try:
                self.transport.write(f"beat {n}\n".encode())
            except Exception:
                pass

    def beat(self):
        pass

    def connection_lost(self, exc):
        self.task.cancel()
''', ['2.25 s after connection_lost', 'Task of yours', 'caught the CancelledError']),
    'a Task that says bye in finally': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.task = minloop.get_running_loop().create_task(self.run())

    async def run(self):
        n = 0
        try:
            while True:
                await minloop.sleep(1)
                n += 1
                self.transport.write(f"beat {n}\n".encode())
        finally:
            self.transport.write(b"bye\n")

    def beat(self):
        pass

    def connection_lost(self, exc):
        self.task.cancel()
''', ["write(b'bye\\n')", 'a write after connection_lost', 'finally']),
    'handles in a class-level list': (r'''
class Heartbeat(minloop.Protocol):
    timers = []
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timers.append(self.loop.call_later(1, self.beat))

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timers.append(self.loop.call_later(1, self.beat))

    def connection_lost(self, exc):
        for t in self.timers:
            t.cancel()
''', ['two heartbeats', 'the *other* connection', 'not in the class']),
    'a counter in the class': (r'''
import itertools
class Heartbeat(minloop.Protocol):
    counter = itertools.count(1)
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.transport.write(f"beat {next(self.counter)}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
''', ['beat 4', 'count from 1']),
    'cancels in eof_received, and in connection_lost only with an error': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def eof_received(self):
        self.timer.cancel()

    def connection_lost(self, exc):
        if exc is not None:
            self.timer.cancel()
''', ['connection_lost(None)', 'no EOF came', 'connection_lost, which is always called']),
    'removes the timer from loop._scheduled': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.loop._scheduled.remove(self.timer)
''', ['loop._scheduled by hand', 'cancel()']),
    'sets timer._cancelled by hand': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer._cancelled = True
''', ['_cancelled by hand', 'cancel() method']),
    'arms the next beat through call_soon, cancels that Handle': (r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_soon(self._arm)

    def _arm(self):
        self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
''', ['still scheduled']),
}


# Right answers the check used to reject or crash on.
HEARTBEAT_ACCEPTED_CELLS = {
    'functools.partial(self.beat, n)': r'''
import functools
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.timer = self.loop.call_later(1, functools.partial(self.beat, 1))

    def beat(self, n=1):
        self.transport.write(f"beat {n}\n".encode())
        self.timer = self.loop.call_later(1, functools.partial(self.beat, n + 1))

    def connection_lost(self, exc):
        self.timer.cancel()
''',
    'getattr(self, "beat")': r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, getattr(self, "beat"))

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
''',
    'transport.close() in connection_lost': r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
        self.transport.close()
''',
    'the loop got in __init__': r'''
class Heartbeat(minloop.Protocol):
    def __init__(self):
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = None

    def connection_made(self, transport):
        self.transport = transport
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
''',
    'connection_lost as a parenthesised lambda': r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    connection_lost = (
        lambda self, exc: self.timer.cancel())
''',
    'a Task, cancelled': r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.task = minloop.get_running_loop().create_task(self.run())

    async def run(self):
        n = 0
        while True:
            await minloop.sleep(1)
            n += 1
            self.transport.write(f"beat {n}\n".encode())

    def beat(self):
        pass

    def connection_lost(self, exc):
        self.task.cancel()
''',
    'call_at from the intended time': r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.next = self.loop.time() + 1
        self.timer = self.loop.call_at(self.next, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.next += 1
        self.timer = self.loop.call_at(self.next, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
''',
    "the learner's solution": r'''
class Heartbeat(minloop.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.loop = minloop.get_running_loop()
        self.count = 0
        self.timer = self.loop.call_later(1, self.beat)

    def beat(self):
        self.count += 1
        self.transport.write(f"beat {self.count}\n".encode())
        self.timer = self.loop.call_later(1, self.beat)

    def connection_lost(self, exc):
        self.timer.cancel()
''',
}


# 
READ_UNTIL_ACCEPTED_CELLS = {
    "the learner's solution": r'''
async def read_until(reader, separator):
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        await reader._wait_for_data()
''',
}


# ---------------------------------------------------------------- the tests (in notebook order)


NOISE = ("Task was destroyed", "never awaited", "Traceback", "exception was never retrieved")


def _quiet(result):
    """Only the check's message shows: no warning or log line printed beside it."""
    noise = [n for n in NOISE if n.lower() in result.output.lower()]
    assert not noise, f"the check printed {noise} beside its message:\n{result.output}"


def _rejected(result, needles):
    assert result.rejected, f"not rejected: {result}\n{result.output}"
    needles = [needles] if isinstance(needles, str) else needles
    missing = [n for n in needles if n.lower() not in result.message.lower()]
    assert not missing, f"the message does not name the mistake ({missing}): {result.message}"
    _quiet(result)


def _passed(result):
    assert result.passed, f"not passed: {result}\n{result.output}"
    _quiet(result)


def test_ex1_solution_passes_and_stub_fails(ch07):
    _passed(ch07.try_answer(1, ch07.solution(1)))
    _rejected(ch07.try_answer(1, ch07.student(1)), "not written yet")


@pytest.mark.parametrize("mistake", list(READ_UNTIL_WRONG))
def test_ex1_rejects(ch07, mistake):
    answer, needles = READ_UNTIL_WRONG[mistake]
    _rejected(ch07.try_answer(1, answer), needles)


def test_ex1_code_that_never_yields_is_stopped(ch07):
    """A synchronous endless loop used to hang the cell: the real-time backstop ends it."""
    started = time.monotonic()
    _rejected(ch07.try_answer(1, NEVER_YIELDS), ["never gives control back to the loop"])
    assert time.monotonic() - started < 30
    _passed(ch07.try_answer(1, ch07.solution(1)))      # the alarm is disarmed afterwards


@pytest.mark.parametrize("mistake", list(READ_UNTIL_WRONG_CELLS))
def test_ex1_rejects_cell(ch07, mistake):
    answer, needles = READ_UNTIL_WRONG_CELLS[mistake]
    _rejected(ch07.try_answer(1, answer, whole_cell=True), needles)


@pytest.mark.parametrize("variant", list(READ_UNTIL_ACCEPTED_CELLS))
def test_ex1_accepts_cell(ch07, variant):
    _passed(ch07.try_answer(1, READ_UNTIL_ACCEPTED_CELLS[variant], whole_cell=True))


# Coroutines made in a loop that never yields, out of the static look's sight (the name is read): the
# real-time limit stops it, and the "Exception ignored in: <coroutine ...>" lines its alarm used
# to cause (six tracebacks before the message) no longer show.
HIDDEN_UNAWAITED = """
    while True:
        i = reader._buffer.find(separator)
        if i >= 0:
            n = i + len(separator)
            data = bytes(reader._buffer[:n])
            del reader._buffer[:n]
            return data
        if reader._eof:
            partial = bytes(reader._buffer)
            reader._buffer.clear()
            raise asyncio.IncompleteReadError(partial, None)
        waiting = reader._wait_for_data()
        if waiting is None:
            break
    """


def test_ex1_real_time_limit_is_quiet(ch07):
    _rejected(ch07.try_answer(1, HIDDEN_UNAWAITED), ["never gives control back to the loop"])
    # Nothing of the stopped code is left to warn later, at a garbage collection (once IPython
    # lets go of the last error, here when the next one comes).
    _rejected(ch07.try_answer(1, ch07.student(1)), "not written yet")
    cell = "import gc\ngc.collect()\n" + ch07.solution_cell(1)
    _passed(ch07.try_answer(1, cell, whole_cell=True))


def test_ex2_solution_passes_and_stub_fails(ch07):
    _passed(ch07.try_answer(2, ch07.solution(2)))
    _rejected(ch07.try_answer(2, ch07.student(2)), "not written yet")


@pytest.mark.parametrize("mistake", list(SEND_FILE_WRONG))
def test_ex2_rejects(ch07, mistake):
    answer, needles = SEND_FILE_WRONG[mistake]
    _rejected(ch07.try_answer(2, answer), needles)


def test_ex2_code_that_never_yields_is_stopped(ch07):
    started = time.monotonic()
    _rejected(ch07.try_answer(2, SEND_FILE_NEVER_YIELDS), ["never gives control back to the loop"])
    assert time.monotonic() - started < 30
    _passed(ch07.try_answer(2, ch07.solution(2)))


@pytest.mark.parametrize("variant", list(SEND_FILE_ACCEPTED))
def test_ex2_accepts(ch07, variant):
    _passed(ch07.try_answer(2, SEND_FILE_ACCEPTED[variant]))


@pytest.mark.parametrize("mistake", list(SEND_FILE_WRONG_CELLS))
def test_ex2_rejects_cell(ch07, mistake):
    answer, needles = SEND_FILE_WRONG_CELLS[mistake]
    _rejected(ch07.try_answer(2, answer, whole_cell=True), needles)

@pytest.mark.parametrize("variant", list(SEND_FILE_ACCEPTED_CELLS))
def test_ex2_accepts_cell(ch07, variant):
    _passed(ch07.try_answer(2, SEND_FILE_ACCEPTED_CELLS[variant], whole_cell=True))


def test_ex3_solution_passes_and_stub_fails(ch07):
    _passed(ch07.try_answer(3, ch07.solution(3)))
    _rejected(ch07.try_answer(3, ch07.student(3)), "not written yet")


@pytest.mark.parametrize("mistake", list(HEARTBEAT_WRONG))
def test_ex3_rejects(ch07, mistake):
    answer, needles = HEARTBEAT_WRONG[mistake]
    _rejected(ch07.try_answer(3, answer), needles)


def test_ex3_rejects_stopping_only_in_eof_received(ch07):
    _rejected(ch07.try_answer(3, EOF_ONLY, whole_cell=True),
              ["no EOF came", "not in eof_received", "connection_lost, which is always called"])


def test_ex3_accepts_a_task_cancelled_in_connection_lost(ch07):
    _passed(ch07.try_answer(3, HEARTBEAT_TASK, whole_cell=True))


def test_ex3_rejects_a_task_left_running(ch07):
    _rejected(ch07.try_answer(3, HEARTBEAT_TASK_NOT_CANCELLED, whole_cell=True),
              ["Task of yours", "cancel() it in connection_lost"])


def test_ex3_rejects_a_forgotten_await_in_a_task(ch07):
    """sleep(1) without await in a Task's loop never gives control back: named, no hang."""
    _rejected(ch07.try_answer(3, HEARTBEAT_TASK_FORGOTTEN_AWAIT, whole_cell=True),
              ["`minloop.sleep(1)`", "without `await`", "Heartbeat.beats"])


@pytest.mark.parametrize("mistake", list(HEARTBEAT_WRONG_CELLS))
def test_ex3_rejects_cell(ch07, mistake):
    answer, needles = HEARTBEAT_WRONG_CELLS[mistake]
    _rejected(ch07.try_answer(3, answer, whole_cell=True), needles)


@pytest.mark.parametrize("variant", list(HEARTBEAT_ACCEPTED_CELLS))
def test_ex3_accepts_cell(ch07, variant):
    _passed(ch07.try_answer(3, HEARTBEAT_ACCEPTED_CELLS[variant], whole_cell=True))
