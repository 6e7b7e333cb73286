"""The two kinds of error a user sees, and the exit status of each.

Both are printed by the CLI as one `cinelake: error: ...` line, never as a traceback:

- `UsageError` (exit 2): the command or a setting is wrong; nothing was attempted.
- `CinelakeError` (exit 1): something failed that the user can fix (a missing Java, a taken
  port, a service that will not start, a source that cannot be read); the message says what.
"""

from __future__ import annotations

EXIT_FAILURE = 1
EXIT_USAGE = 2


class CinelakeError(RuntimeError):
    """A failure the user can fix; the message names it and, where known, the fix."""


class UsageError(ValueError):
    """A wrong command line or setting: the message names it and what is accepted."""
