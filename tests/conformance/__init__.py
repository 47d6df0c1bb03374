"""Conformance suite: small asyncio programs run on asyncio and on minloop, outputs compared.

See ``runner.py`` for how a program is run and ``programs/`` for the programs.
"""
