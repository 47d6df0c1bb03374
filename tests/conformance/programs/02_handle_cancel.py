"""Handle.cancel(): a cancelled handle never runs, cancelled() reports it, cancel is idempotent.

Also: a callback that cancels another handle already queued for the same iteration stops it.
"""

loop = asyncio.new_event_loop()


def say(msg):
    print('run', msg)


h1 = loop.call_soon(say, 'one')
h2 = loop.call_soon(say, 'two')
h3 = loop.call_soon(say, 'three')
print('h2.cancelled() before:', h2.cancelled())
h2.cancel()
h2.cancel()
print('h2.cancelled() after:', h2.cancelled())


def canceller():
    print('canceller cancels victim (queued in the same iteration)')
    victim.cancel()


loop.call_soon(canceller)
victim = loop.call_soon(say, 'victim')
loop.call_soon(loop.stop)
loop.run_forever()
print('victim.cancelled():', victim.cancelled())
print('h1.cancelled() after running:', h1.cancelled())
loop.close()
