"""call_soon/call_later run callbacks in a copy of the caller's context, or in the context= given.

A ContextVar set after scheduling is not seen by the callback; a value set inside a callback
does not leak back to the scheduler; context= runs the callback inside that exact Context.
"""
import contextvars

var = contextvars.ContextVar('var', default='default')
loop = asyncio.new_event_loop()


def show(tag):
    print(tag, 'sees', var.get())


def setter():
    var.set('set-in-callback')
    show('setter')


var.set('before-schedule')
loop.call_soon(show, 'plain call_soon')
loop.call_later(0.001, show, 'plain call_later')
var.set('after-schedule')

ctx = contextvars.Context()
ctx.run(var.set, 'in-explicit-ctx')
loop.call_soon(show, 'call_soon context=ctx', context=ctx)
loop.call_soon(setter, context=ctx)
loop.call_soon(lambda: print('ctx after setter callback:', ctx[var]))
loop.call_soon(setter)
loop.call_later(0.01, loop.stop)
loop.run_forever()
print('scheduler still sees', var.get())
loop.close()
