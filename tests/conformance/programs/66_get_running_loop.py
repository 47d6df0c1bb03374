"""get_running_loop(): RuntimeError 'no running event loop' outside; inside it is the running loop, and get_event_loop() agrees.
"""


async def main():
    loop = asyncio.get_running_loop()
    print('is_running:', loop.is_running(), 'is_closed:', loop.is_closed())
    print('get_event_loop() is running loop:', asyncio.get_event_loop() is loop)
    loop.call_soon(lambda: print('in callback too:', asyncio.get_running_loop() is loop))
    await asyncio.sleep(0)
    return loop


try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print('outside:', e)
loop = asyncio.run(main())
print('after run closed:', loop.is_closed())
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print('outside again:', e)
manual = asyncio.new_event_loop()
asyncio.set_event_loop(manual)
print('get_event_loop() returns the set loop:', asyncio.get_event_loop() is manual)
fresh = asyncio.new_event_loop()
print('new_event_loop gives a fresh loop:', fresh is not manual)
fresh.close()
asyncio.set_event_loop(None)
manual.close()
