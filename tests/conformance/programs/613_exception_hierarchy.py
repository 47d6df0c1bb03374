"""asyncio's exception hierarchy: an issubclass table of its exception classes against BaseException, Exception and the builtins they extend; the classes' MROs and module; the attributes of the streams' errors.
"""

classes = ['CancelledError', 'TimeoutError', 'InvalidStateError', 'IncompleteReadError',
           'LimitOverrunError', 'BrokenBarrierError', 'SendfileNotAvailableError']
bases = [BaseException, Exception, RuntimeError, EOFError, TimeoutError, OSError]

print('class'.ljust(26), ' '.join(b.__name__[:9].ljust(9) for b in bases))
for name in classes:
    cls = getattr(asyncio, name)
    print(name.ljust(26), ' '.join(str(issubclass(cls, b)).ljust(9) for b in bases))
for name in classes:
    cls = getattr(asyncio, name)
    print(name, [c.__name__ for c in cls.__mro__], cls.__module__)
print('TimeoutError is the builtin:', asyncio.TimeoutError is TimeoutError)
e = asyncio.IncompleteReadError(b'ab', 5)
print(repr(e), str(e), e.partial, e.expected)
e = asyncio.LimitOverrunError('too long', 7)
print(repr(e), str(e), e.consumed)
