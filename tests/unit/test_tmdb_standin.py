"""The TMDB stand-in answers tmdbv3api like the real API, and injects faults as configured."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request

import pytest
from tmdbv3api.exceptions import TMDbException
from tmdbv3api.objs.discover import Discover
from tmdbv3api.objs.genre import Genre

from cinelake.demo.tmdb_server import DEFAULT_API_KEY, serve
from tests.helpers.stack import free_port

N_HORROR, N_OTHER = 45, 12


def movie(movie_id: int, genre_ids: list[int]) -> dict:
    return {
        "id": movie_id,
        "imdb_id": None,
        "title_pt_br": f"Filme {movie_id}",
        "title_en": f"Movie {movie_id}",
        "original_title": f"Movie {movie_id}",
        "original_language": "en",
        "release_date": "2001-02-03",
        "genre_ids": genre_ids,
        "popularity_base": float(movie_id),
        "vote_average": 6.5,
        "vote_count": 100,
        "overview_pt_br": "...",
        "overview_en": "...",
        "poster_path": None,
        "backdrop_path": None,
    }


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    demo_dir = tmp_path_factory.mktemp("demo")
    movies = [movie(i, [27]) for i in range(1, N_HORROR + 1)]
    movies += [movie(1000 + i, [18, 35]) for i in range(N_OTHER)]
    (demo_dir / "tmdb_movies.jsonl").write_text("".join(json.dumps(m) + "\n" for m in movies))
    (demo_dir / "state.json").write_text(json.dumps({"as_of": "2026-01-10", "day": 0}))
    port = free_port()
    server = serve(port, demo_dir, DEFAULT_API_KEY)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"base": f"http://127.0.0.1:{port}", "demo_dir": demo_dir}
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(standin):
    """tmdbv3api pointed at the stand-in, its response cache off. Its setters write
    os.environ (TMDB_API_KEY, TMDB_LANGUAGE, page...): the environment is restored afterwards,
    or the next test of this worker would read TMDB_API_KEY, which Settings refuses."""
    environment = dict(os.environ)

    def make(kind):
        obj = kind()
        obj._base = standin["base"] + "/3"
        obj.api_key = DEFAULT_API_KEY
        obj.language = "pt-BR"
        obj.cache = False
        return obj

    set_faults(standin, {})
    yield make
    os.environ.clear()
    os.environ.update(environment)


def set_faults(standin, config: dict) -> dict:
    request = urllib.request.Request(
        standin["base"] + "/_cinelake/faults", data=json.dumps(config).encode(), method="PUT"
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def get(standin, path: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(standin["base"] + path) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_discover_pages_twenty_at_a_time_by_genre(client):
    discover = client(Discover)
    seen = []
    for page in (1, 2, 3):
        results = discover.discover_movies(
            {"with_genres": 27, "page": page, "sort_by": "popularity.desc"}
        )
        seen += [m.id for m in results]
        assert len(results) == (20 if page < 3 else N_HORROR - 40)
    assert int(discover.total_results) == N_HORROR and int(discover.total_pages) == 3
    assert len(set(seen)) == N_HORROR  # no overlap, no gap between pages
    assert all(27 in m.genre_ids for m in results)
    assert results[0].title.startswith("Filme")  # pt-BR titles


def test_sorting_is_honoured(client):
    discover = client(Discover)
    ascending = [
        m.popularity
        for m in discover.discover_movies({"with_genres": 27, "sort_by": "popularity.asc"})
    ]
    assert ascending == sorted(ascending)


def test_page_beyond_500_is_the_real_apis_error(client, standin):
    with pytest.raises(TMDbException, match="Invalid page"):
        client(Discover).discover_movies({"with_genres": 27, "page": 501})
    status, _, body = get(standin, f"/3/discover/movie?api_key={DEFAULT_API_KEY}&page=0")
    assert status == 400 and json.loads(body)["status_code"] == 22


def test_bad_key_is_401_status_code_7(client, standin):
    discover = client(Discover)
    discover.api_key = "not-the-key"
    with pytest.raises(TMDbException, match="Invalid API key"):
        discover.discover_movies({"with_genres": 27})
    status, _, body = get(standin, "/3/discover/movie")
    assert status == 401 and json.loads(body)["status_code"] == 7


def test_genre_list_in_pt_br(client):
    names = {g.id: g.name for g in client(Genre).movie_list()}
    assert names[27] == "Terror" and names[878] == "Ficção científica" and len(names) == 19


def test_popularity_changes_from_day_to_day(standin):
    path = f"/3/discover/movie?api_key={DEFAULT_API_KEY}&with_genres=27&sort_by=title.asc"

    def popularity() -> list[float]:
        return [m["popularity"] for m in json.loads(get(standin, path)[2])["results"]]

    state = standin["demo_dir"] / "state.json"
    day0 = popularity()
    assert popularity() == day0  # stable within a day
    state.write_text(json.dumps({"as_of": "2026-01-10", "day": 1}))
    time.sleep(0.01)
    try:
        assert popularity() != day0
    finally:
        state.write_text(json.dumps({"as_of": "2026-01-10", "day": 0}))


def test_rate_limit_every_third_request_with_retry_after(standin):
    set_faults(standin, {"rate_limit_every": 3, "retry_after_s": 2})
    path = f"/3/genre/movie/list?api_key={DEFAULT_API_KEY}"
    statuses = [get(standin, path) for _ in range(6)]
    assert [s for s, _, _ in statuses] == [200, 200, 429, 200, 200, 429]
    assert statuses[2][1]["Retry-After"] == "2"
    assert json.loads(statuses[2][2])["status_code"] == 25
    stats = json.load(urllib.request.urlopen(standin["base"] + "/_cinelake/stats"))
    assert stats["faults"]["rate_limit"] == 2 and stats["requests"] == 6


def test_server_errors_and_malformed_json(standin):
    set_faults(standin, {"server_error_every": 2, "malformed_every": 3})
    path = f"/3/discover/movie?api_key={DEFAULT_API_KEY}&with_genres=27"
    answers = [get(standin, path) for _ in range(3)]
    assert [status for status, _, _ in answers] == [200, 503, 200]
    json.loads(answers[0][2])
    with pytest.raises(json.JSONDecodeError):
        json.loads(answers[2][2])  # the third request: a truncated body


def test_slow_responses(standin):
    set_faults(standin, {"slow_every": 2, "slow_s": 0.6})
    path = f"/3/genre/movie/list?api_key={DEFAULT_API_KEY}"
    durations = []
    for _ in range(2):
        began = time.monotonic()
        assert get(standin, path)[0] == 200
        durations.append(time.monotonic() - began)
    assert durations[1] >= 0.6 > durations[0]


def test_unknown_fault_setting_is_refused(standin):
    request = urllib.request.Request(
        standin["base"] + "/_cinelake/faults", data=b'{"explode_every": 1}', method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 400
