"""The macros' own error: an author's mistake that stops the build, whichever engine renders it.

The message is what the author reads (file, line, field); no traceback. ``macros/engine.py``
turns it into the engine's own error at the edge: MkDocs' ``PluginError``, or left as it is
for Zensical, which prints an exception raised by a macro module and stops.
"""

from __future__ import annotations


class BuildError(Exception):
    """A mistake in the handbook's sources or settings: the build stops with this message."""
