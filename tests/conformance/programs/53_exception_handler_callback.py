"""An exception in a call_soon callback goes to the loop's exception handler (context with message/exception/handle) and the loop keeps running.

The message is 'Exception in callback <callback source>'; the callback source names the
function and where it is defined in this program (file:line), never loop internals.
"""

loop = asyncio.new_event_loop()
print('default handler is None:', loop.get_exception_handler() is None)


def handler(lp, context):
    print('handler called; loop is ours:', lp is loop)
    print('  keys:', sorted(context))
    print('  message:', context['message'])
    exc = context['exception']
    print('  exception:', type(exc).__name__, exc.args)
    print('  handle is a Handle:', isinstance(context['handle'], asyncio.Handle))


def bad_callback(x):
    raise ZeroDivisionError(f'bad {x}')


loop.set_exception_handler(handler)
print('get_exception_handler is handler:', loop.get_exception_handler() is handler)
loop.call_soon(bad_callback, 1)
loop.call_soon(print, 'next callback still runs')
loop.call_later(0.001, bad_callback, 'timer')
loop.call_later(0.01, loop.stop)
loop.run_forever()
print('loop survived')
loop.set_exception_handler(None)
print('reset to default:', loop.get_exception_handler() is None)
try:
    loop.set_exception_handler('not callable')
except TypeError as e:
    print('TypeError:', e)
loop.close()
