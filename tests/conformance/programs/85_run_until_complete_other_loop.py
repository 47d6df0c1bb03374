"""run_until_complete / ensure_future with a Future of another loop raise ValueError 'The future belongs to a different loop than the one specified as the loop argument'.
"""

a = asyncio.new_event_loop()
b = asyncio.new_event_loop()
fut = b.create_future()
try:
    a.run_until_complete(fut)
except ValueError as e:
    print('run_until_complete:', e)
try:
    asyncio.ensure_future(fut, loop=a)
except ValueError as e:
    print('ensure_future:', e)
print('ensure_future with its own loop:', asyncio.ensure_future(fut, loop=b) is fut)
a.close()
b.close()
