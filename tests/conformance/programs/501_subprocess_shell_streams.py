"""create_subprocess_shell: exit codes, a signal's negative returncode, stderr=STDOUT merges, DEVNULL, and readline/async-for on stdout.
"""


async def run(cmd, **kw):
    proc = await asyncio.create_subprocess_shell(cmd, **kw)
    return proc, await proc.communicate()


async def main():
    sub = asyncio.subprocess
    proc, (out, err) = await run('exit 7')
    print('exit 7 ->', proc.returncode, out, err)
    proc, _ = await run('kill -9 $$')
    print('killed by signal 9 ->', proc.returncode)
    proc, (out, err) = await run('printf out; printf err >&2', stdout=sub.PIPE,
                                 stderr=sub.STDOUT)
    print('stderr=STDOUT:', sorted(out.decode()), err)
    proc, (out, err) = await run('printf gone', stdout=sub.DEVNULL, stderr=sub.PIPE)
    print('DEVNULL:', out, err, proc.stdout)
    proc = await asyncio.create_subprocess_shell("printf 'a\\nbb\\nccc'", stdout=sub.PIPE)
    print('readline:', await proc.stdout.readline())
    print('async for:', [line async for line in proc.stdout])
    print('at_eof:', proc.stdout.at_eof(), 'wait:', await proc.wait())


asyncio.run(main())
