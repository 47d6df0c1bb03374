"""(chapter 08-10 work in progress: this module is being written)."""

__all__ = ()
