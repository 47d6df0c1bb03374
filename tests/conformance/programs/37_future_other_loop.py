"""Awaiting a Future that belongs to another event loop raises RuntimeError '... attached to a different loop' inside the task.

The full message is 'Task <Task ...> got Future <Future pending> attached to a different loop';
the task repr's cb=[...] (loop internals) is stripped before printing.
"""
import re


def strip_internals(text):
    text = re.sub(r' cb=\[[^\]]*\]', '', text)
    return re.sub(r' at 0x[0-9a-f]+', '', text)


async def main():
    other = asyncio.new_event_loop()
    foreign = other.create_future()
    print('foreign.get_loop() is other:', foreign.get_loop() is other)
    print('running loop is other:', asyncio.get_running_loop() is other)
    try:
        await foreign
    except RuntimeError as e:
        msg = str(e)
        print('RuntimeError:', strip_internals(msg))
        print('mentions different loop:', 'attached to a different loop' in msg)
    print('foreign still pending:', not foreign.done())
    other.close()


asyncio.run(main())
