"""set_event_loop accepts a loop or None and rejects anything else with TypeError "loop must be an instance of AbstractEventLoop or None, not 'int'".
"""

for bad in (42, 'loop', object()):
    try:
        asyncio.set_event_loop(bad)
        print(type(bad).__name__, 'accepted?!')
    except TypeError as e:
        print('TypeError:', e)
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print('a loop is accepted:', asyncio.get_event_loop() is loop)
asyncio.set_event_loop(None)
loop.close()
