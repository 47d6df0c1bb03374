"""repr() of Handles from call_soon: '<Handle fn(args) at file:line>' naming the callback and where it is defined in this program; '<Handle cancelled>' once cancelled.

TimerHandle reprs include the deadline (when=...), a wall-clock figure, so they are not printed.
"""
import functools

loop = asyncio.new_event_loop()


def say(word, *, loud=False):
    print(word.upper() if loud else word)


class Greeter:
    def hello(self, who):
        print('hello', who)


h1 = loop.call_soon(say, 'plain')
h2 = loop.call_soon(functools.partial(say, 'partial', loud=True))
h3 = loop.call_soon(Greeter().hello, 'method')
h4 = loop.call_soon(print, 'builtin', 3)
h5 = loop.call_soon(lambda: None)
for h in (h1, h2, h3, h4, h5):
    print(repr(h))
h1.cancel()
print('cancelled:', repr(h1))
loop.call_soon(loop.stop)
loop.run_forever()
print('after running:', repr(h2))
loop.close()
