"""The compose stack's S3 stand-in: moto's S3 server, its buckets kept on disk between runs.

moto keeps what it stores in memory, so a lake on it was gone after `docker compose down` and
`up`, while the catalog (in MariaDB's volume) still named its tables. The stand-in keeps the
buckets in a file of its home (the `s3` service's volume): it loads them at start and saves
them when compose stops it (SIGTERM), after the server has stopped taking requests, so the
save is of a quiet store. A save is written whole beside the last one and then renamed over
it: a stop cut short leaves the previous save. A kill (SIGKILL, a host that dies) loses what
was written since the last save, as a stand-in may; a lake that must outlive anything belongs
in a real bucket (docs/containers.md).

The file is a pickle of moto's bucket objects (moto's keys say how they pickle, their contents
included): it is read only by this server, from a volume only this container mounts. A save
it cannot read (a damaged file, or one of a moto too different after an image update) stops
the stand-in with one error saying so, rather than serving an empty lake under a catalog that
names its tables; a save that fails at stop says so and leaves the previous one.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from pathlib import Path
from typing import Any

from cinelake.stack.process import ServiceError

STATE_FILE = "buckets.pickle"


def _backends() -> Any:
    from moto.s3.models import s3_backends  # here: moto is slow to import, and only this needs it

    return s3_backends


def snapshot() -> dict[tuple[str, str], dict[str, Any]]:
    """Every bucket of every account and partition moto holds, by (account, partition)."""
    return {
        (account, partition): dict(backend.buckets)
        for account, backends in _backends().items()
        for partition, backend in backends.items()
        if backend.buckets
    }


def restore(saved: dict[tuple[str, str], dict[str, Any]]) -> None:
    backends = _backends()
    for (account, partition), buckets in saved.items():
        backends[account][partition].buckets.update(buckets)


def save(state_dir: Path) -> int:
    """The buckets, written whole and then renamed over the last save; the number saved."""
    buckets = snapshot()
    state_dir.mkdir(parents=True, exist_ok=True)
    partial = state_dir / f".{STATE_FILE}.partial"
    with partial.open("wb") as out:
        pickle.dump(buckets, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(state_dir / STATE_FILE)
    return sum(len(b) for b in buckets.values())


def load(state_dir: Path) -> int:
    """The buckets of the last save, if any; the number loaded."""
    path = state_dir / STATE_FILE
    if not path.is_file():
        return 0
    try:
        with path.open("rb") as saved_file:
            saved = pickle.load(saved_file)  # this server's own file, see above
        restore(saved)
    except Exception as exc:  # noqa: BLE001 - any unreadable save is the same error
        raise ServiceError(
            f"the S3 stand-in cannot read its saved buckets {path} ({type(exc).__name__}: "
            f"{exc}); `docker compose down -v` starts over with an empty lake and catalog"
        ) from None
    return sum(len(b) for b in saved.values())


def serve(host: str, port: int, state_dir: Path) -> None:
    """Serve S3 on host:port until SIGTERM or SIGINT, then save and return."""
    from moto.server import ThreadedMotoServer

    print(f"s3 stand-in: {load(state_dir)} bucket(s) loaded from {state_dir}", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    print(f"s3 stand-in: serving on {host}:{port}", flush=True)
    while not stop.wait(1):
        pass
    server.stop()  # no request is half-served while the buckets are saved
    try:
        saved = save(state_dir)
    except OSError as exc:
        raise ServiceError(
            f"the S3 stand-in could not save its buckets to {state_dir} ({exc}): the previous "
            "save is kept, and what came after it is lost"
        ) from None
    print(f"s3 stand-in: {saved} bucket(s) saved to {state_dir}", flush=True)
