"""The generated title catalog: movies and series with their credits (title x artist).

Everything is drawn from `random.Random` streams seeded by (seed, purpose), so a given seed
always yields the same catalog, whatever else is generated around it. Titles are generated
one at a time (a generator), so the CSV writer streams them to disk.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

# IMDb genres as written in the CSV files; horror gets a realistic (if horror-leaning:
# the demo's analyses are about horror) share of titles.
GENRES = (
    "Drama",
    "Comedy",
    "Thriller",
    "Action",
    "Romance",
    "Crime",
    "Documentary",
    "Adventure",
    "Mystery",
    "Fantasy",
    "Sci-Fi",
    "Animation",
    "Family",
    "Biography",
    "History",
    "Music",
    "War",
    "Western",
    "Sport",
)
HORROR = "Horror"
HORROR_SHARE = 0.12
PROFESSIONS = ("actor", "actress", "director", "writer", "producer", "composer")

TITLE_WORDS_EN = (
    "House",
    "Night",
    "Shadow",
    "Curse",
    "Lake",
    "Forest",
    "Revenge",
    "Heart",
    "Road",
    "Dream",
    "City",
    "Secret",
    "Winter",
    "Memory",
    "Island",
    "Mirror",
    "Ghost",
    "Blood",
    "River",
    "Storm",
    "Silence",
    "Witch",
    "Door",
    "Garden",
    "Hunter",
    "Promise",
    "Signal",
    "Harvest",
    "Tide",
    "Echo",
)
TITLE_ADJECTIVES_EN = (
    "Dark",
    "Last",
    "Silent",
    "Hidden",
    "Broken",
    "Lost",
    "Red",
    "Cold",
    "Wild",
    "Final",
    "Endless",
    "Sacred",
    "Hollow",
    "Burning",
    "Crimson",
)
TITLE_WORDS_PT = (
    "Noite",
    "Sombra",
    "Maldição",
    "Casa",
    "Floresta",
    "Vingança",
    "Coração",
    "Estrada",
    "Órfã",
    "Ilha",
    "Herança",
    "Memória",
    "Canção",
    "Lição",
    "Fúria",
    "Espírito",
    "Açude",
    "Sertão",
    "Paixão",
    "Véu",
)
TITLE_PATTERNS_EN = (
    "The {adj} {noun}",
    "{noun} of the {noun2}",
    "{adj} {noun}",
    "The {noun}",
    "{noun}",
)
# Brazilian, French and Spanish titles: accents and other non-ASCII letters.
TITLE_PATTERNS_OTHER = (
    "A {noun_pt} {adj_pt}",
    "O {noun_pt}",
    "{noun_pt} de {noun_pt2}",
    "Les {noun_fr}",
    "El {noun_es}",
)
NON_ENGLISH_TITLE_SHARE = 0.2
TITLE_WORDS_FR = ("Misérables", "Démons", "Éternels", "Fantômes", "Rêveurs")
TITLE_WORDS_ES = ("Niño", "Año Perdido", "Señor", "Corazón", "Último Día")
ADJECTIVES_PT = ("Sombria", "Perdida", "Última", "Proibida", "Esquecida", "Maldita")
FIRST_NAMES = (
    "Ana",
    "João",
    "Maria",
    "José",
    "Fernanda",
    "Lucas",
    "Júlia",
    "André",
    "Beatriz",
    "Tomás",
    "Inês",
    "Renée",
    "Zoë",
    "Søren",
    "Björn",
    "Chloé",
    "James",
    "Mary",
    "Robert",
    "Linda",
    "Akira",
    "Yuki",
    "Olga",
    "Ivan",
    "Nuno",
    "Célia",
    "Raúl",
    "Agnès",
    "Peter",
    "Grace",
)
LAST_NAMES = (
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Lima",
    "Gonçalves",
    "Araújo",
    "Müller",
    "Smith",
    "Johnson",
    "Brown",
    "García",
    "Martínez",
    "López",
    "Dubois",
    "Lefèvre",
    "Tanaka",
    "Sato",
    "Ivanova",
    "Kowalski",
    "Nuñez",
    "Brandão",
    "Falcão",
    "Conceição",
    "Rossi",
)
CHARACTERS = (
    "Detective",
    "Mother",
    "The Stranger",
    "Priest",
    "Doctor",
    "Survivor",
    "Sheriff",
    "Ghost",
    "Girl",
    "Boy",
    "Professor",
    "Nurse",
    "Killer",
    "Neighbor",
    "Captain",
    "Self",
)


def stream(seed: int, purpose: str) -> random.Random:
    """An independent, reproducible random stream for one purpose."""
    return random.Random(f"cinelake:{seed}:{purpose}")


@dataclass
class Credit:
    artist_id: str | None
    artist_name: str | None
    artist_gender: str | None
    character: str | None
    birth_year: int | None
    death_year: int | None
    profession: str | None
    known_for: list[str] = field(default_factory=list)


@dataclass
class Title:
    imdb_id: str
    kind: str  # "movie" or "series"
    primary_title: str
    original_title: str
    start_year: int
    end_year: int | None  # series only
    runtime_minutes: int | None
    genres: list[str]
    average_rating: float
    num_votes: int
    credits: list[Credit]

    @property
    def is_horror(self) -> bool:
        return HORROR in self.genres


def imdb_title_id(kind: str, index: int) -> str:
    """Movies and series get disjoint, IMDb-shaped id ranges (tt + 7 digits)."""
    base = 1_000_000 if kind == "movie" else 7_000_000
    return f"tt{base + index:07d}"


def _title_text(rng: random.Random) -> str:
    patterns = TITLE_PATTERNS_OTHER if rng.random() < NON_ENGLISH_TITLE_SHARE else TITLE_PATTERNS_EN
    pattern = rng.choice(patterns)
    text = pattern.format(
        adj=rng.choice(TITLE_ADJECTIVES_EN),
        noun=rng.choice(TITLE_WORDS_EN),
        noun2=rng.choice(TITLE_WORDS_EN),
        adj_pt=rng.choice(ADJECTIVES_PT),
        noun_pt=rng.choice(TITLE_WORDS_PT),
        noun_pt2=rng.choice(TITLE_WORDS_PT),
        noun_fr=rng.choice(TITLE_WORDS_FR),
        noun_es=rng.choice(TITLE_WORDS_ES),
    )
    if rng.random() < 0.35:  # sequels and numbered titles keep title+year mostly unique
        text += rng.choice((" II", " III", ": Part 2", " Returns", f" {rng.randint(2, 9)}"))
    return text


def _genres(rng: random.Random) -> list[str]:
    count = rng.choice((1, 1, 2, 2, 3))
    chosen = rng.sample(GENRES, count)
    if rng.random() < HORROR_SHARE:
        chosen[rng.randrange(count)] = HORROR
    return sorted(set(chosen))


def _credit(rng: random.Random, n_titles_total: int) -> Credit:
    profession = rng.choices(PROFESSIONS, weights=(40, 35, 9, 7, 6, 3))[0]
    gender = "F" if profession == "actress" else rng.choice("MF") if profession != "actor" else "M"
    birth = rng.randint(1900, 2005) if rng.random() > 0.08 else None
    death = rng.randint(birth + 20, 2025) if birth and birth < 1960 and rng.random() < 0.4 else None
    known = [
        imdb_title_id(rng.choice(("movie", "series")), rng.randrange(n_titles_total))
        for _ in range(rng.randint(0, 4))
    ]
    return Credit(
        artist_id=f"nm{rng.randrange(10_000_000):07d}",
        artist_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        artist_gender=gender,
        character=rng.choice(CHARACTERS) if profession in ("actor", "actress") else None,
        birth_year=birth,
        death_year=death,
        profession=profession,
        known_for=known,
    )


def generate_titles(seed: int, kind: str, count: int) -> Iterator[Title]:
    """`count` titles of one kind, with 1-6 credits each (3 % have no credited artist)."""
    rng = stream(seed, f"titles:{kind}")
    for index in range(count):
        primary = _title_text(rng)
        original = primary if rng.random() < 0.8 else _title_text(rng)
        start = rng.randint(1920, 2025)
        end = None
        if kind == "series" and rng.random() < 0.7:
            end = min(2025, start + rng.randint(0, 12))
        runtime = (
            None
            if rng.random() < 0.05
            else (rng.randint(70, 190) if kind == "movie" else rng.randint(20, 65))
        )
        credits = (
            [Credit(None, None, None, None, None, None, None)]
            if rng.random() < 0.03
            else [_credit(rng, count) for _ in range(rng.randint(1, 6))]
        )
        yield Title(
            imdb_id=imdb_title_id(kind, index),
            kind=kind,
            primary_title=primary,
            original_title=original,
            start_year=start,
            end_year=end,
            runtime_minutes=runtime,
            genres=[] if rng.random() < 0.02 else _genres(rng),
            average_rating=round(rng.triangular(1.0, 10.0, 6.5), 1),
            num_votes=int(rng.paretovariate(1.2) * 5),
            credits=credits,
        )
