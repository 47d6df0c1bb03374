"""Placeholder while chapter 07 is built."""

__all__ = ()
