"""KeyboardInterrupt raised in a plain callback propagates out of run_forever (not to the exception handler); the loop can run again afterwards.
"""

loop = asyncio.new_event_loop()
loop.set_exception_handler(lambda lp, ctx: print('handler (should not be called):', ctx['message']))


def interrupt():
    raise KeyboardInterrupt('ctrl-c')


loop.call_soon(print, 'before')
loop.call_soon(interrupt)
loop.call_soon(print, 'after (same iteration)')
try:
    loop.run_forever()
except KeyboardInterrupt as e:
    print('run_forever raised KeyboardInterrupt', e.args)
print('is_running:', loop.is_running())
loop.call_soon(loop.stop)
loop.run_forever()
print('ran again')
loop.close()
