"""`cinelake demo-data`: the three demo sources and the manifest that accounts for them.

Outputs, under `$CINELAKE_HOME/demo/`:
    csv/movies.csv, csv/series.csv    the IMDb-like files (see csv_writer.py)
    tmdb_movies.jsonl                 the TMDB stand-in's movies
    manifest.json                     what was generated: rows, defects, shared titles
    state.json                        seed, scale, as_of and the demo clock's day
and the `shop` database of the local MariaDB (as its owner user).

The files are written under temporary names and renamed only when the whole run succeeded;
MySQL is checked first, so a dead database fails the run before anything is written.
Deterministic: the same seed, scale and as-of date give the same files, rows and manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pymysql

from cinelake.config import Settings
from cinelake.demo import csv_writer, shop_loader
from cinelake.demo.catalog import HORROR, Title, generate_titles, stream
from cinelake.demo.tmdb_server import load_genres
from cinelake.errors import CinelakeError

log = logging.getLogger(__name__)

MOVIES_PER_SF = 20_000
SERIES_PER_SF = 5_000
TMDB_SHARE_OF_CSV_MOVIES = 0.40  # CSV movies that TMDB also knows
TMDB_ONLY_PER_SHARED = 0.25  # TMDB-only movies per shared movie
TMDB_TITLE_VARIANT_SHARE = 0.10  # shared movies whose TMDB title differs in case/accents
SHOP_SHARE_OF_CSV_TITLES = 0.50  # CSV titles in the service's catalog
SHOP_UNMATCHED_PER_MATCHED = 0.08  # own productions etc.: no IMDb/TMDB id
MANIFEST_VERSION = 1


def shop_connection(settings: Settings) -> pymysql.Connection:
    """The shop database as its owner; a dead MariaDB is a clear error."""
    try:
        return pymysql.connect(
            host=settings.mysql_host,
            port=settings.mysql_port,
            user=settings.mysql_owner_user,
            password=settings.mysql_owner_password,
            database=settings.mysql_database,
            charset="utf8mb4",
            autocommit=False,
            connect_timeout=5,
        )
    except pymysql.err.OperationalError as exc:
        raise CinelakeError(
            f"cannot reach the shop database on {settings.mysql_host}:{settings.mysql_port} "
            f"({exc.args[-1]}): start it with `cinelake up`"
        ) from exc


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _variant(rng: random.Random, title: str) -> tuple[str, str]:
    """The same title as TMDB might spell it: other case, or accents dropped."""
    stripped = _strip_accents(title)
    if stripped != title and rng.random() < 0.5:
        return stripped, "accents_removed"
    return (title.upper(), "upper_case") if rng.random() < 0.5 else (title.lower(), "lower_case")


class SourceSelector:
    """Taps the CSV title stream: picks the titles TMDB and the shop catalog also carry."""

    def __init__(self, seed: int, tmdb_out, genre_ids: dict[str, int]):
        self.rng = stream(seed, "selection")
        self.tmdb_out = tmdb_out
        self.genre_ids = genre_ids
        self.next_tmdb_id = 10_000
        self.catalog: list[shop_loader.CatalogEntry] = []
        self.counts: Counter[str] = Counter()

    def tmdb_record(
        self, title: str, original: str, year: int, genres: list[str], imdb_id: str | None
    ) -> int:
        rng = self.rng
        tmdb_id = self.next_tmdb_id
        self.next_tmdb_id += rng.randint(1, 9)
        genre_ids = sorted({self.genre_ids[g] for g in genres if g in self.genre_ids}) or [18]
        record = {
            "id": tmdb_id,
            "imdb_id": imdb_id,  # not served by discover (as in the real API); kept for tests
            "title_pt_br": title,
            "title_en": original,
            "original_title": original,
            "original_language": "pt" if not original.isascii() else "en",
            "release_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "genre_ids": genre_ids,
            "popularity_base": round(rng.paretovariate(1.5) * 5, 3),
            "vote_average": round(rng.uniform(2.0, 9.5), 1),
            "vote_count": int(rng.paretovariate(1.1) * 10),
            "overview_pt_br": f"Um filme sobre {title.lower()}.",
            "overview_en": f"A film about {original.lower()}.",
            "poster_path": f"/{tmdb_id:x}poster.jpg",
            "backdrop_path": None if rng.random() < 0.2 else f"/{tmdb_id:x}backdrop.jpg",
        }
        self.tmdb_out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.counts["tmdb_movies"] += 1
        self.counts["tmdb_horror_movies"] += 27 in genre_ids
        return tmdb_id

    def tap(self, titles: Iterable[Title]) -> Iterator[Title]:
        rng = self.rng
        for title in titles:
            tmdb_id = None
            if title.kind == "movie" and rng.random() < TMDB_SHARE_OF_CSV_MOVIES:
                shown = title.primary_title
                if rng.random() < TMDB_TITLE_VARIANT_SHARE:
                    shown, how = _variant(rng, shown)
                    self.counts[f"tmdb_title_variant_{how}"] += 1
                tmdb_id = self.tmdb_record(
                    shown, title.original_title, title.start_year, title.genres, title.imdb_id
                )
                self.counts["csv_and_tmdb"] += 1
            if rng.random() < SHOP_SHARE_OF_CSV_TITLES:
                self._add_catalog(
                    title.primary_title,
                    title.kind,
                    title.start_year,
                    title.runtime_minutes,
                    title.imdb_id,
                    tmdb_id,
                )
                self.counts["csv_and_shop"] += 1
                self.counts["csv_and_tmdb_and_shop"] += tmdb_id is not None
            yield title

    def _add_catalog(
        self,
        name: str,
        kind: str,
        year: int | None,
        runtime: int | None,
        imdb_id: str | None,
        tmdb_id: int | None,
    ) -> None:
        default_runtime = 110 if kind == "movie" else 45
        self.catalog.append(
            shop_loader.CatalogEntry(
                catalog_title_id=len(self.catalog) + 1,
                service_title=name,
                title_type=kind,
                release_year=year,
                runtime_minutes=runtime or default_runtime,
                imdb_id=imdb_id,
                tmdb_id=tmdb_id,
            )
        )

    def add_tmdb_only(self, seed: int) -> None:
        """Movies TMDB knows that are in no CSV file (some of them in the shop catalog)."""
        count = round(self.counts["csv_and_tmdb"] * TMDB_ONLY_PER_SHARED)
        for title in generate_titles(seed, "tmdb-only", count):
            tmdb_id = self.tmdb_record(
                title.primary_title, title.original_title, title.start_year, title.genres, None
            )
            self.counts["tmdb_only"] += 1
            if self.rng.random() < 0.3:
                self._add_catalog(
                    title.primary_title,
                    "movie",
                    title.start_year,
                    title.runtime_minutes,
                    None,
                    tmdb_id,
                )
                self.counts["shop_tmdb_only"] += 1

    def add_unmatched(self, seed: int) -> None:
        """Titles of the service with no IMDb or TMDB id (own productions, regional titles)."""
        count = max(1, round(len(self.catalog) * SHOP_UNMATCHED_PER_MATCHED))
        for title in generate_titles(seed, "shop-only", count):
            self._add_catalog(
                title.primary_title,
                title.kind if title.kind == "movie" else "series",
                None if self.rng.random() < 0.3 else title.start_year,
                title.runtime_minutes,
                None,
                None,
            )
            self.counts["shop_unmatched"] += 1


def _publish(tmp: Path) -> None:
    tmp.replace(tmp.with_name(tmp.name.removesuffix(".tmp")))


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _publish(tmp)


def generate(settings: Settings, scale: float, seed: int, as_of: dt.date) -> dict:
    """Generate all demo sources; return the manifest (also written to manifest.json)."""
    if scale <= 0:
        raise ValueError("--scale must be positive")
    began = time.monotonic()
    demo_dir = settings.demo_dir
    csv_dir = demo_dir / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    genre_ids = {
        g["imdb_genre_name"]: int(g["genre_id"]) for g in load_genres() if g["imdb_genre_name"]
    }
    genre_ids[HORROR] = 27
    n_movies = max(20, round(MOVIES_PER_SF * scale))
    n_series = max(10, round(SERIES_PER_SF * scale))

    with contextlib.closing(shop_connection(settings)) as conn:
        tmdb_tmp = demo_dir / "tmdb_movies.jsonl.tmp"
        with tmdb_tmp.open("w", encoding="utf-8") as tmdb_out:
            selector = SourceSelector(seed, tmdb_out, genre_ids)
            files = {}
            for layout, count in ((csv_writer.MOVIES, n_movies), (csv_writer.SERIES, n_series)):
                tmp = csv_dir / f"{layout.name}.tmp"
                log.info("writing %s (%d titles)", layout.name, count)
                files[layout.name] = csv_writer.write_csv(
                    tmp, selector.tap(generate_titles(seed, layout.kind, count)), layout, seed
                )
                files[layout.name]["path"] = str(csv_dir / layout.name)
            selector.add_tmdb_only(seed)
            selector.add_unmatched(seed)
        log.info("loading the shop database (%d catalog titles)", len(selector.catalog))
        shop_entry = shop_loader.load_initial(conn, seed, scale, as_of, selector.catalog)

    for layout in (csv_writer.MOVIES, csv_writer.SERIES):
        _publish(csv_dir / f"{layout.name}.tmp")
    _publish(tmdb_tmp)
    counts = selector.counts
    manifest = {
        "version": MANIFEST_VERSION,
        "generator": {"seed": seed, "scale": scale, "as_of": as_of.isoformat()},
        "files": files,
        "defect_kinds": {
            name: {"rate": d.rate, "expect": d.expect, "description": d.description}
            for name, d in csv_writer.DEFECTS.items()
        },
        "tmdb": {
            "path": str(demo_dir / "tmdb_movies.jsonl"),
            "movies": counts["tmdb_movies"],
            "horror_movies": counts["tmdb_horror_movies"],
            "shared_with_csv": counts["csv_and_tmdb"],
            "tmdb_only": counts["tmdb_only"],
            "title_variants": {
                how: counts[f"tmdb_title_variant_{how}"]
                for how in ("upper_case", "lower_case", "accents_removed")
            },
        },
        "shop": {
            **shop_entry,
            "catalog": {
                "matched_to_csv": counts["csv_and_shop"],
                "matched_to_csv_and_tmdb": counts["csv_and_tmdb_and_shop"],
                "tmdb_only": counts["shop_tmdb_only"],
                "unmatched": counts["shop_unmatched"],
            },
        },
        "shared_titles": {
            "csv_and_tmdb": counts["csv_and_tmdb"],
            "csv_and_shop": counts["csv_and_shop"],
            "csv_and_tmdb_and_shop": counts["csv_and_tmdb_and_shop"],
        },
        "seconds": round(time.monotonic() - began, 1),
    }
    _write_json(demo_dir / "manifest.json", manifest)
    _write_json(
        demo_dir / "state.json",
        {"seed": seed, "scale": scale, "as_of": as_of.isoformat(), "day": 0},
    )
    return manifest


def read_json(path: Path, what: str) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CinelakeError(f"no {what} at {path}: run `cinelake demo-data` first") from exc


def advance_day(settings: Settings) -> dict:
    """Apply the next simulated day to the shop database; update state and manifest."""
    state = read_json(settings.demo_dir / "state.json", "demo state")
    manifest = read_json(settings.demo_dir / "manifest.json", "demo manifest")
    day = state["day"] + 1
    catalog = _read_catalog(settings)
    with contextlib.closing(shop_connection(settings)) as conn:
        entry = shop_loader.advance_day(
            conn, state["seed"], state["scale"], dt.date.fromisoformat(state["as_of"]), day, catalog
        )
    tables = manifest["shop"]["tables"]
    for table, count in entry["inserted"].items():
        tables[table] += count
    for kind, count in entry["defects"].items():
        manifest["shop"]["defects"][kind] += count
    manifest["shop"]["days"].append(entry)
    _write_json(settings.demo_dir / "manifest.json", manifest)
    _write_json(settings.demo_dir / "state.json", {**state, "day": day})
    return entry


def _read_catalog(settings: Settings) -> list[shop_loader.CatalogEntry]:
    """The service catalog as loaded (ids, runtimes) for generating new sessions."""
    with contextlib.closing(shop_connection(settings)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "select catalog_title_id, service_title, title_type, release_year, "
            "runtime_minutes, imdb_id, tmdb_id from catalog_titles "
            "order by catalog_title_id"
        )
        return [shop_loader.CatalogEntry(*row) for row in cursor.fetchall()]


def default_as_of(settings: Settings) -> dt.date:
    """Today (UTC) unless CINELAKE_DEMO_AS_OF pins it (tests, reproducible demos)."""
    return settings.demo_as_of or dt.datetime.now(dt.UTC).date()
