"""repr() of a pending Future lists its done callbacks as cb=[name() at file:line]; with more than three, the middle ones are shown as '<N more>'.
"""


def first(fut):
    pass


def second(fut):
    pass


class Listener:
    def notify(self, fut):
        pass


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.add_done_callback(first)
    print(repr(f))
    f.add_done_callback(second)
    print(repr(f))
    f.add_done_callback(Listener().notify)
    f.add_done_callback(print)
    print(repr(f))
    f.cancel()
    print(repr(f))


asyncio.run(main())
