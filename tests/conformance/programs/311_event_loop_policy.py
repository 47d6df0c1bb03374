"""Event loop policies: get_event_loop(), set_event_loop() and new_event_loop() go through the global policy; a custom policy is used; bad input is rejected; None restores the default.
"""
import threading

policy = asyncio.get_event_loop_policy()
print('default policy:', type(policy).__name__,
      isinstance(policy, asyncio.AbstractEventLoopPolicy))
print('same object twice:', asyncio.get_event_loop_policy() is policy)

for bad in (42, 'policy', object()):
    try:
        asyncio.set_event_loop_policy(bad)
    except TypeError as e:
        print('TypeError:', e)
print('still the same policy:', asyncio.get_event_loop_policy() is policy)

# (Not shown: the loop the main thread gets on first use; 3.12 warns about it.) A
# set_event_loop(bad) that fails still counts as "set_event_loop was called": CPython sets
# the flag before the type check.
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print('main thread loop, same twice:', asyncio.get_event_loop() is loop)
asyncio.set_event_loop(None)
try:
    asyncio.get_event_loop()
except RuntimeError as e:
    print('RuntimeError:', e)
loop.close()

fresh = asyncio.DefaultEventLoopPolicy()
try:
    fresh.set_event_loop(5)
except TypeError as e:
    print('TypeError:', e)
try:
    fresh.get_event_loop()
except RuntimeError as e:
    print('after a failed set_event_loop:', e)


def in_thread():
    try:
        asyncio.get_event_loop()
    except RuntimeError as e:
        print('thread:', e)

t = threading.Thread(target=in_thread, name='worker')
t.start()
t.join()


class CountingPolicy(asyncio.DefaultEventLoopPolicy):
    made = 0

    def new_event_loop(self):
        CountingPolicy.made += 1
        return super().new_event_loop()


asyncio.set_event_loop_policy(CountingPolicy())
loop = asyncio.new_event_loop()
print('custom policy made loops:', CountingPolicy.made)
loop.close()


async def main():
    return asyncio.get_event_loop() is asyncio.get_running_loop()

print('run() uses the policy:', asyncio.run(main()), CountingPolicy.made)
asyncio.set_event_loop_policy(None)
print('None restores the default:', type(asyncio.get_event_loop_policy()).__name__,
      asyncio.get_event_loop_policy() is not policy)
