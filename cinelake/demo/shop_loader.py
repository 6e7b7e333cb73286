"""The MySQL "shop" database: generated history, then one simulated day at a time.

The initial load covers the HISTORY_DAYS before `as_of` (every timestamp is earlier than
`as_of` 00:00 UTC). Day k of `--advance-day` covers [as_of + k-1 days, as_of + k days), so every
`updated_at` it writes is later than anything before: an incremental extractor finds exactly
that day's new and changed rows. Rows are generated and inserted in batches (memory stays flat
at any scale); each load and each day is one transaction, so a failure leaves no half day.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pymysql

from cinelake.config import SHOP_TABLES
from cinelake.demo.catalog import FIRST_NAMES, LAST_NAMES, stream

SCHEMA_FILE = Path(__file__).with_name("shop_schema.sql")
TABLES = SHOP_TABLES
HISTORY_DAYS = 90
BATCH_ROWS = 5_000
CUSTOMERS_PER_SF = 20_000
SESSIONS_PER_SF = 300_000
DEVICES = ("tv", "mobile", "web", "tablet", "console")
PAYMENT_METHODS = ("credit_card", "pix", "boleto", "paypal")
EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "yahoo.com.br", "outlook.com", "uol.com.br")
CITIES = (
    ("São Paulo", "SP", "BR"),
    ("Rio de Janeiro", "RJ", "BR"),
    ("Belo Horizonte", "MG", "BR"),
    ("Porto Alegre", "RS", "BR"),
    ("Curitiba", "PR", "BR"),
    ("Salvador", "BA", "BR"),
    ("Recife", "PE", "BR"),
    ("Fortaleza", "CE", "BR"),
    ("Brasília", "DF", "BR"),
    ("Manaus", "AM", "BR"),
    ("Belém", "PA", "BR"),
    ("Goiânia", "GO", "BR"),
    ("Florianópolis", "SC", "BR"),
    ("Natal", "RN", "BR"),
    ("Lisboa", None, "PT"),
    ("Porto", None, "PT"),
    ("Miami", "FL", "US"),
)
# (plan_id, name, monthly price, max screens, has 4k)
PLANS = (
    (1, "Móvel", "12.90", 1, 0),
    (2, "Básico", "19.90", 1, 0),
    (3, "Padrão", "39.90", 2, 0),
    (4, "Premium", "55.90", 4, 1),
)
# Event-table dirt the silver layer must quarantine (rate per generated session).
SESSION_DEFECTS = {
    "session_unknown_customer": 0.001,
    "session_unknown_title": 0.001,
    "session_negative_minutes": 0.0005,
    "session_rating_out_of_range": 0.0005,
}
UNKNOWN_ID_OFFSET = 50_000_000


@dataclass(frozen=True)
class CatalogEntry:
    """A title of the service's catalog (loaded into catalog_titles)."""

    catalog_title_id: int
    service_title: str
    title_type: str
    release_year: int | None
    runtime_minutes: int
    imdb_id: str | None
    tmdb_id: int | None


def _sql_statements(text: str) -> Iterator[str]:
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    yield from (s.strip() for s in body.split(";") if s.strip())


def create_schema(conn: pymysql.Connection) -> None:
    with conn.cursor() as cursor:
        for statement in _sql_statements(SCHEMA_FILE.read_text()):
            cursor.execute(statement)
    conn.commit()


def _insert(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if rows:
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"insert into {table} ({', '.join(columns)}) values ({placeholders})", rows
        )


class Batcher:
    """Buffers rows of one table and inserts them BATCH_ROWS at a time."""

    def __init__(self, cursor, table: str, columns: Sequence[str], parents: Sequence[Batcher] = ()):
        self.cursor, self.table, self.columns = cursor, table, columns
        self.parents = parents  # flushed first, so foreign keys always find their rows
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for parent in self.parents:
            parent.flush()
        _insert(self.cursor, self.table, self.columns, self.rows)
        self.rows = []


CUSTOMER_COLUMNS = (
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "birth_date",
    "city",
    "state",
    "country",
    "created_at",
    "updated_at",
)
SUBSCRIPTION_COLUMNS = (
    "subscription_id",
    "customer_id",
    "plan_id",
    "status",
    "auto_renew",
    "started_at",
    "cancelled_at",
    "updated_at",
)
SESSION_COLUMNS = (
    "session_id",
    "customer_id",
    "catalog_title_id",
    "device",
    "started_at",
    "minutes_watched",
    "completed",
    "rating",
    "updated_at",
)
PAYMENT_COLUMNS = (
    "payment_id",
    "subscription_id",
    "customer_id",
    "amount",
    "currency",
    "status",
    "payment_method",
    "paid_at",
    "updated_at",
)
CATALOG_COLUMNS = (
    "catalog_title_id",
    "service_title",
    "title_type",
    "release_year",
    "runtime_minutes",
    "imdb_id",
    "tmdb_id",
    "is_available",
    "added_at",
    "updated_at",
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _email(rng: random.Random, first: str, last: str, customer_id: int) -> str:
    return f"{_ascii(first)}.{_ascii(last)}{customer_id}@{rng.choice(EMAIL_DOMAINS)}"


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A whole-second instant in [start, end)."""
    span = int((end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.randrange(max(span, 1)))


def _customer(rng: random.Random, customer_id: int, start: dt.datetime, end: dt.datetime) -> tuple:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city, state, country = rng.choice(CITIES)
    created = _moment(rng, start, end)
    birth = (
        None
        if rng.random() < 0.02
        else dt.date(rng.randint(1950, 2007), rng.randint(1, 12), rng.randint(1, 28))
    )
    return (
        customer_id,
        first,
        last,
        _email(rng, first, last, customer_id),
        birth,
        city,
        state,
        country,
        created,
        created,
    )


@dataclass
class Subscription:
    subscription_id: int
    customer_id: int
    plan_id: int
    started_at: dt.datetime
    cancelled_at: dt.datetime | None
    status: str


def _payments(
    rng: random.Random, sub: Subscription, until: dt.datetime, next_id: int
) -> list[tuple]:
    """Monthly charges from the start of a subscription to its end (or `until`)."""
    price = dict((p[0], p[2]) for p in PLANS)[sub.plan_id]
    end = min(sub.cancelled_at or until, until)
    rows, month, payment_id = [], 0, next_id
    while True:
        paid_at = sub.started_at + dt.timedelta(days=30 * month, minutes=rng.randint(0, 90))
        if paid_at >= end:
            return rows
        status = rng.choices(("paid", "failed", "refunded"), weights=(95, 4, 1))[0]
        rows.append(
            (
                payment_id,
                sub.subscription_id,
                sub.customer_id,
                price,
                "BRL",
                status,
                rng.choice(PAYMENT_METHODS),
                paid_at,
                paid_at,
            )
        )
        payment_id += 1
        month += 1


def _session(
    rng: random.Random,
    session_id: int,
    customer_ids: Sequence[int],
    catalog: Sequence[CatalogEntry],
    start: dt.datetime,
    end: dt.datetime,
    defects: Counter[str],
) -> tuple:
    customer_id = rng.choice(customer_ids)
    title = rng.choice(catalog)
    started = _moment(rng, start, end)
    minutes = max(1, int(title.runtime_minutes * min(1.05, rng.betavariate(2.0, 1.2))))
    completed = minutes >= 0.9 * title.runtime_minutes
    rating = rng.randint(1, 5) if completed and rng.random() < 0.3 else None
    title_id = title.catalog_title_id
    roll = rng.random()
    cumulative = 0.0
    for kind, rate in SESSION_DEFECTS.items():
        cumulative += rate
        if roll < cumulative:
            defects[kind] += 1
            if kind == "session_unknown_customer":
                customer_id = UNKNOWN_ID_OFFSET + rng.randrange(1000)
            elif kind == "session_unknown_title":
                title_id = UNKNOWN_ID_OFFSET + rng.randrange(1000)
            elif kind == "session_negative_minutes":
                minutes, completed = -rng.randint(1, 30), False
            else:
                rating = rng.choice((0, 6, 9))
            break
    return (
        session_id,
        customer_id,
        title_id,
        rng.choice(DEVICES),
        started,
        minutes,
        int(completed),
        rating,
        # the player reports at the end of the session; never later than the generated period
        min(started + dt.timedelta(minutes=abs(minutes)), end - dt.timedelta(seconds=1)),
    )


def load_initial(
    conn: pymysql.Connection,
    seed: int,
    scale: float,
    as_of: dt.date,
    catalog: Sequence[CatalogEntry],
) -> dict:
    """Create the schema and load the history; return the manifest's `shop` entry."""
    rng = stream(seed, "shop")
    end = dt.datetime.combine(as_of, dt.time())
    history_start = end - dt.timedelta(days=HISTORY_DAYS)
    signup_start = end - dt.timedelta(days=730)
    n_customers = max(50, round(CUSTOMERS_PER_SF * scale))
    defects: Counter[str] = Counter()
    create_schema(conn)
    with conn.cursor() as cursor:
        plan_rows = [
            (pid, name, price, "BRL", screens, has_4k, signup_start, signup_start)
            for pid, name, price, screens, has_4k in PLANS
        ]
        _insert(
            cursor,
            "plans",
            (
                "plan_id",
                "plan_name",
                "monthly_price",
                "currency",
                "max_screens",
                "has_4k",
                "created_at",
                "updated_at",
            ),
            plan_rows,
        )

        catalog_rows = Batcher(cursor, "catalog_titles", CATALOG_COLUMNS)
        for entry in catalog:
            added = _moment(rng, signup_start - dt.timedelta(days=365), history_start)
            catalog_rows.add(
                (
                    entry.catalog_title_id,
                    entry.service_title,
                    entry.title_type,
                    entry.release_year,
                    entry.runtime_minutes,
                    entry.imdb_id,
                    entry.tmdb_id,
                    1,
                    added,
                    added,
                )
            )
        catalog_rows.flush()

        customers = Batcher(cursor, "customers", CUSTOMER_COLUMNS)
        subscriptions = Batcher(cursor, "subscriptions", SUBSCRIPTION_COLUMNS, [customers])
        payments = Batcher(cursor, "payments", PAYMENT_COLUMNS, [subscriptions])
        subscription_id = payment_id = 1
        for customer_id in range(1, n_customers + 1):
            row = _customer(rng, customer_id, signup_start, history_start)
            customers.add(row)
            created = row[-2]
            started = created
            if rng.random() < 0.1:  # an earlier, cancelled subscription
                cancelled = _moment(
                    rng, created + dt.timedelta(days=31), created + dt.timedelta(days=200)
                )
                cancelled = min(cancelled, end - dt.timedelta(days=1))
                subs = [
                    Subscription(
                        subscription_id,
                        customer_id,
                        rng.choice((1, 2)),
                        created,
                        cancelled,
                        "cancelled",
                    )
                ]
                subscription_id += 1
                resubscribed = cancelled + dt.timedelta(hours=rng.randint(1, 72))
                started = min(resubscribed, end - dt.timedelta(hours=1))
            else:
                subs = []
            status = rng.choices(("active", "cancelled", "paused"), weights=(85, 12, 3))[0]
            cancelled_at = _moment(rng, started, end) if status == "cancelled" else None
            subs.append(
                Subscription(
                    subscription_id,
                    customer_id,
                    rng.choice((1, 2, 3, 3, 4)),
                    started,
                    cancelled_at,
                    status,
                )
            )
            subscription_id += 1
            for sub in subs:
                subscriptions.add(
                    (
                        sub.subscription_id,
                        sub.customer_id,
                        sub.plan_id,
                        sub.status,
                        int(sub.status == "active"),
                        sub.started_at,
                        sub.cancelled_at,
                        sub.cancelled_at or sub.started_at,
                    )
                )
                rows = _payments(rng, sub, end, payment_id)
                for payment in rows:
                    payments.add(payment)
                payment_id += len(rows)
        payments.flush()

        sessions = Batcher(cursor, "viewing_sessions", SESSION_COLUMNS)
        customer_ids = range(1, n_customers + 1)
        for session_id in range(1, round(SESSIONS_PER_SF * scale) + 1):
            sessions.add(
                _session(rng, session_id, customer_ids, catalog, history_start, end, defects)
            )
        sessions.flush()
    conn.commit()
    return {
        "history_days": HISTORY_DAYS,
        "tables": {
            "plans": len(PLANS),
            "customers": customers.count,
            "subscriptions": subscriptions.count,
            "catalog_titles": catalog_rows.count,
            "viewing_sessions": sessions.count,
            "payments": payments.count,
        },
        "defects": {kind: defects[kind] for kind in SESSION_DEFECTS},
        "days": [],
    }


def _max_id(cursor, table: str, column: str) -> int:
    cursor.execute(f"select coalesce(max({column}), 0) from {table}")
    return int(cursor.fetchone()[0])


def advance_day(
    conn: pymysql.Connection,
    seed: int,
    scale: float,
    as_of: dt.date,
    day: int,
    catalog: Sequence[CatalogEntry],
) -> dict:
    """Apply simulated day `day` (1, 2, ...): returns what was inserted and updated."""
    rng = stream(seed, f"shop:day:{day}")
    start = dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=day - 1)
    end = start + dt.timedelta(days=1)
    inserted: Counter[str] = Counter()
    updated: Counter[str] = Counter()
    defects: Counter[str] = Counter()
    with conn.cursor() as cursor:
        n_customers = _max_id(cursor, "customers", "customer_id")
        # Changed customers: a new e-mail or a move to another city (SCD2 material).
        changed = rng.sample(range(1, n_customers + 1), k=max(2, n_customers // 200))
        for customer_id in changed:
            when = _moment(rng, start, end)
            if rng.random() < 0.5:
                cursor.execute(
                    "select first_name, last_name from customers where customer_id = %s",
                    (customer_id,),
                )
                first, last = cursor.fetchone()
                domain = rng.choice(EMAIL_DOMAINS)
                email = f"{_ascii(first)}.{_ascii(last)}{customer_id}.d{day}@{domain}"
                cursor.execute(
                    "update customers set email = %s, updated_at = %s where customer_id = %s",
                    (email, when, customer_id),
                )
            else:
                city, state, country = rng.choice(CITIES)
                cursor.execute(
                    "update customers set city = %s, state = %s, country = %s, updated_at = %s "
                    "where customer_id = %s",
                    (city, state, country, when, customer_id),
                )
            updated["customers"] += 1

        # New customers, each with a subscription and its first payment.
        next_sub = _max_id(cursor, "subscriptions", "subscription_id") + 1
        next_payment = _max_id(cursor, "payments", "payment_id") + 1
        for offset in range(max(1, n_customers // 500)):
            customer = _customer(rng, n_customers + 1 + offset, start, end)
            _insert(cursor, "customers", CUSTOMER_COLUMNS, [customer])
            sub = Subscription(
                next_sub, customer[0], rng.choice((1, 2, 3, 4)), customer[-2], None, "active"
            )
            _insert(
                cursor,
                "subscriptions",
                SUBSCRIPTION_COLUMNS,
                [
                    (
                        sub.subscription_id,
                        sub.customer_id,
                        sub.plan_id,
                        sub.status,
                        1,
                        sub.started_at,
                        None,
                        sub.started_at,
                    )
                ],
            )
            rows = _payments(rng, sub, end, next_payment)
            _insert(cursor, "payments", PAYMENT_COLUMNS, rows)
            next_sub, next_payment = next_sub + 1, next_payment + len(rows)
            inserted["customers"] += 1
            inserted["subscriptions"] += 1
            inserted["payments"] += len(rows)

        # Cancellations (at least one per day).
        cursor.execute(
            "select subscription_id from subscriptions where status = 'active' "
            "and started_at < %s order by subscription_id",
            (start,),
        )
        active = [row[0] for row in cursor.fetchall()]
        for subscription_id in rng.sample(active, k=min(len(active), max(1, len(active) // 1000))):
            when = _moment(rng, start, end)
            cursor.execute(
                "update subscriptions set status = 'cancelled', auto_renew = 0, "
                "cancelled_at = %s, updated_at = %s where subscription_id = %s",
                (when, when, subscription_id),
            )
            updated["subscriptions"] += 1

        # Renewals: active subscriptions whose monthly billing day is today.
        cursor.execute(
            "select s.subscription_id, s.customer_id, p.monthly_price from subscriptions s "
            "join plans p on p.plan_id = s.plan_id where s.status = 'active' and s.started_at < %s "
            "and mod(datediff(%s, s.started_at), 30) = 0 order by s.subscription_id",
            (start, start),
        )
        renewals = []
        for subscription_id, customer_id, price in cursor.fetchall():
            paid_at = _moment(rng, start, end)
            renewals.append(
                (
                    next_payment,
                    subscription_id,
                    customer_id,
                    price,
                    "BRL",
                    "paid",
                    rng.choice(PAYMENT_METHODS),
                    paid_at,
                    paid_at,
                )
            )
            next_payment += 1
        _insert(cursor, "payments", PAYMENT_COLUMNS, renewals)
        inserted["payments"] += len(renewals)

        # A title leaves the catalog.
        leaving = rng.choice(catalog).catalog_title_id
        cursor.execute(
            "update catalog_titles set is_available = 0, updated_at = %s "
            "where catalog_title_id = %s and is_available = 1",
            (_moment(rng, start, end), leaving),
        )
        updated["catalog_titles"] += cursor.rowcount

        # The day's viewing sessions.
        sessions = Batcher(cursor, "viewing_sessions", SESSION_COLUMNS)
        next_session = _max_id(cursor, "viewing_sessions", "session_id") + 1
        customer_ids = range(1, n_customers + 1 + inserted["customers"])
        for session_id in range(
            next_session, next_session + max(10, round(SESSIONS_PER_SF * scale / HISTORY_DAYS))
        ):
            sessions.add(_session(rng, session_id, customer_ids, catalog, start, end, defects))
        sessions.flush()
        inserted["viewing_sessions"] += sessions.count
    conn.commit()
    return {
        "day": day,
        "date": start.date().isoformat(),
        "inserted": {t: inserted[t] for t in TABLES if inserted[t]},
        "updated": {t: updated[t] for t in TABLES if updated[t]},
        "defects": {kind: defects[kind] for kind in SESSION_DEFECTS},
    }
