"""add_done_callback(fn, context=ctx) runs fn in ctx; without context= it runs in a copy of the context current at registration.
"""
import contextvars

var = contextvars.ContextVar('var', default='default')
loop = asyncio.new_event_loop()
fut = loop.create_future()

var.set('at-registration')
fut.add_done_callback(lambda f: print('plain callback sees', var.get()))
ctx = contextvars.Context()
ctx.run(var.set, 'explicit')
fut.add_done_callback(lambda f: print('context=ctx callback sees', var.get()), context=ctx)
var.set('at-completion')
fut.set_result(1)
loop.call_soon(loop.stop)
loop.run_forever()
loop.close()
