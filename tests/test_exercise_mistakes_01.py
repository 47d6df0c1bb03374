"""Chapter 01's exercise checks against the wrong answers learners write (see
tests/exercise_harness.py): each must be rejected with a message naming the mistake.

    .venv/bin/python -m pytest tests/test_exercise_mistakes_01.py -q
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from exercise_harness import make_accepted_test, make_tests  # noqa: E402

SHOUT = '''
data = conn.recv(1024)
if not data:
    self.close_client(conn)
elif {test}:
    conn.send(b"BYE\\n")
    {close}
else:
    conn.send({reply})
'''

def shout(test="data.strip() == b'bye'", close="self.close_client(conn)", reply="data.upper()"):
    return SHOUT.format(test=test, close=close, reply=reply)

LOOP = '''
while {cond}:
    events = sel.select({timeout})
    if not events:
        raise TimeoutError("idle")
    for key, mask in events{slice}:
        key.data()
'''

def loop(cond='stats["accepted"] < expected or stats["open"] > 0', timeout="idle_timeout",
         slice=""):
    return LOOP.format(cond=cond, timeout=timeout, slice=slice)

BUSY = '''
idle_since = time.monotonic()
while stats["accepted"] < expected or stats["open"] > 0:
    events = sel.select(0)
    if events:
        idle_since = time.monotonic()
    elif time.monotonic() - idle_since > idle_timeout:
        raise TimeoutError("idle")
    for key, mask in events:
        key.data()
'''

READABLE = '''
fut = loop.create_future()
fd = sock.fileno()
def on_readable():
    {body}
loop.add_reader(fd, on_readable)
fut.add_done_callback({done})
return fut
'''

def readable(body="if not fut.done():\n        fut.set_result(None)",
             done="lambda _: loop.remove_reader(fd)"):
    return READABLE.format(body=body, done=done)

WRONG = {
    1: [
        ("compares b'bye' without stripping the newline (issue)",
         shout(test="data == b'bye'"), ["newline", "strip"]),
        ("closes with conn.close()", shout(close="conn.close()"), ["conn.close()", "close_client"]),
        ("drops the newline of the reply", shout(reply="data.strip().upper()"),
         ["b'hello\\n'", "newline"]),
        ("ignores the hang-up",
         "data = conn.recv(1024)\nif data.strip() == b'bye':\n    conn.send(b'BYE\\n')\n"
         "    self.close_client(conn)\nelif data:\n    conn.send(data.upper())",
         ["hung up", "close_client"]),
        ("closes before replying BYE",
         shout().replace('conn.send(b"BYE\\n")\n    self.close_client(conn)',
                         'self.close_client(conn)'), ["reply b'bye\\n' first"]),
    ],
    2: [
        ("busy polling with select(0) (issue)", BUSY, ["busy polling", "select(idle_timeout)"]),
        ("loop condition ignores `expected` (issue)",
         loop(cond='stats["open"] > 0 or stats["accepted"] == 0'), ["expected", "c arrives"]),
        ("handles only the first ready key", loop(slice="[:1]"), ["every (key, mask)"]),
        ("waits only for the count of accepted clients",
         loop(cond='stats["accepted"] < expected'), ["still open"]),
        ("returns instead of raising on idle",
         loop().replace('raise TimeoutError("idle")', 'return'), ["raise timeouterror"]),
    ],
    3: [
        ("defers set_result with call_soon (issue)",
         readable(body="loop.call_soon(fut.set_result, None)"), ["call_soon"]),
        ("a done-callback written `lambda:` (issue)",
         readable(done="lambda: loop.remove_reader(fd)"), ["lambda fut", "one argument"]),
        ("sets the result without checking done()",
         readable(body="fut.set_result(None)"), ["fut.done()", "invalidstateerror"]),
        ("a Future of no particular loop",
         readable().replace("loop.create_future()", "minloop.Future()"), ["another event loop"]),
        ("reads the data",
         readable(body="sock.recv(10)\n    if not fut.done():\n        fut.set_result(None)"),
         ["must not read"]),
        ("removes the reader only when readable",
         readable(body="loop.remove_reader(fd)\n    if not fut.done():\n        fut.set_result(None)",
                  done="lambda _: None"), ["cancelled", "still watched"]),
    ],
}

# Answers a learner may write that are right: each must pass the check.
SELECT_FIRST = '''
import select
fut = loop.create_future()
fd = sock.fileno()
readable, _, _ = select.select([sock], [], [], 0)
if readable:                         # readable already: no need to wait for a round
    fut.set_result(None)
    return fut
def on_readable():
    if not fut.done():
        fut.set_result(None)
loop.add_reader(fd, on_readable)
fut.add_done_callback(lambda _: loop.remove_reader(fd))
return fut
'''

ACCEPTED = {
    3: [("completes at once when already readable (issue: was rejected)", SELECT_FIRST),
        ("removes the reader in the reader callback too",
         readable(body="loop.remove_reader(fd)\n    if not fut.done():\n        fut.set_result(None)"))],
}

chapter, test_check = make_tests("01_io_multiplexing", WRONG)


test_accepted = make_accepted_test(ACCEPTED)
