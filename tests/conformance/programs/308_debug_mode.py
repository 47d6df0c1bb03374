"""Debug mode as in asyncio: set_debug(1) makes get_debug() return 1; slow callbacks and slow
Task steps are logged ("Executing <Handle ...> took 0.260 seconds"); Handles, Futures and
Tasks record where they were made ("created at" in reprs, the source_traceback context key,
"Object created at" in the default handler's log); call_soon, call_at and
call_soon_threadsafe check their callback; closing logs "Close <loop>".

The loop's own file paths and line numbers, the measured seconds and the loop's class name are
normalized: they differ between the two by nature.

conformance: traceback-ok (the default handler logs the traceback of a failing callback)
"""
import io
import logging
import re
import time

buf = io.StringIO()
log_handler = logging.StreamHandler(buf)
log_handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
logging.getLogger("asyncio").addHandler(log_handler)
logging.getLogger("asyncio").setLevel(logging.DEBUG)


def clean(text):
    text = re.sub(r"\S*/(asyncio|minloop)/(\w+\.py)[:\", line]*\d+", r"<loop>/\2", text)
    text = re.sub(r"took \d\.\d+ seconds", "took N seconds", text)
    text = re.sub(r"<\w*SelectorEventLoop ", "<LOOP ", text)
    # The first frames of a recorded stack are the conformance runner's.
    text = re.sub(r"(created at \(most recent call last\):\n)(?:.*\n)*?(  File \"PROG\")",
                  r"\1  ...\n\2", text.replace(__file__, "PROG"))
    return text


def flush_log(title):
    print(f"--- {title}")
    print(clean(buf.getvalue()).rstrip())
    buf.truncate(0)
    buf.seek(0)


def deep(n, fn):
    return fn() if n == 0 else deep(n - 1, fn)


loop = asyncio.new_event_loop()
print("debug by default:", loop.get_debug())
loop.set_debug(1)
print("get_debug after set_debug(1):", loop.get_debug())
# Well above what a quick callback may take on a loaded machine, and well under the sleeps.
loop.slow_callback_duration = 0.25
flush_log("creating the loop")


def slow():
    time.sleep(0.26)


h = loop.call_soon(slow)
print(clean(repr(h)))
f = asyncio.Future(loop=loop)
print(clean(repr(f)))
print("a Future deep in the stack records", len(deep(15, lambda: asyncio.Future(loop=loop))
                                                 ._source_traceback) - len(f._source_traceback),
      "more frames")
print("a Handle deep in the stack records", len(deep(15, lambda: loop.call_soon(print))
                                                 ._source_traceback), "frames")
cancelled = loop.call_soon(print, "never")
cancelled.cancel()
print(clean(repr(cancelled)))
timer = loop.call_later(10, print)
print(clean(repr(timer)).split(" created at ")[1])
timer.cancel()


async def slow_step():
    time.sleep(0.26)
    await asyncio.sleep(0)


t = loop.create_task(slow_step())
print(clean(repr(t)))
loop.run_until_complete(t)
flush_log("slow callback and slow Task step")


def fails():
    raise ValueError("x")


loop.call_soon(fails)
loop.call_soon(loop.stop)
loop.run_forever()
flush_log("exception in a callback")

f = loop.create_future()
f.set_exception(KeyError(1))
del f
flush_log("Future exception never retrieved")


async def coro_fn():
    pass

for method, call in [("call_soon", lambda cb: loop.call_soon(cb)),
                     ("call_later", lambda cb: loop.call_later(1, cb)),
                     ("call_soon_threadsafe", lambda cb: loop.call_soon_threadsafe(cb))]:
    for cb in (coro_fn, 5):
        try:
            call(cb)
        except TypeError as exc:
            print(method, "TypeError:", exc)

loop.close()
flush_log("closing")
