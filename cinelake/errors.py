"""The kinds of error a user sees, their exit statuses, and their text kept to one line.

Each is printed by the CLI as one `cinelake: error: ...` line, never as a traceback:

- `UsageError` (exit 2): the command or a setting is wrong; nothing was attempted.
- `CinelakeError` (exit 1): something failed that the user can fix (a missing Java, a taken
  port, a service that will not start, a source that cannot be read); the message says what.
- `Locked` (exit 75, sysexits' EX_TEMPFAIL: try again later): another run holds the lock this
  one needs (cinelake/runlock.py); the message names that run. A scheduler can tell it from a
  failure: nothing was attempted, nothing failed.

`printable()` keeps an error text to one line of printable characters: texts quote files and
answers (a binary file's first line, a server's body), which may hold line breaks, NULs or
terminal escape sequences.
"""

from __future__ import annotations

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75


class CinelakeError(RuntimeError):
    """A failure the user can fix; the message names it and, where known, the fix."""


class UsageError(ValueError):
    """A wrong command line or setting: the message names it and what is accepted."""


class Locked(CinelakeError):
    """Another run holds the lock this one needs: the message names it (pid, command, host)."""


def printable(text: str) -> str:
    """The text with every non-printable character (control characters, line breaks, NUL,
    escape sequences, unassigned code points) as its Python escape: `\\n`, `\\x1b`."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )
