-- The "shop" database of a streaming service, as its engineers would have built it:
-- surrogate primary keys, foreign keys where the application enforces them, TINYINT(1)
-- booleans, DATETIME columns in UTC, DECIMAL money and `updated_at` on every table (indexed:
-- incremental extraction filters on it).
-- viewing_sessions has no foreign keys on purpose: it is a high-volume event table written
-- by the players, and real ones carry orphans (deleted titles, test accounts) that the
-- lakehouse must quarantine, not lose.

drop table if exists payments;
drop table if exists viewing_sessions;
drop table if exists subscriptions;
drop table if exists catalog_titles;
drop table if exists customers;
drop table if exists plans;

create table plans (
    plan_id        int           not null primary key,
    plan_name      varchar(40)   not null,
    monthly_price  decimal(8, 2) not null,
    currency       char(3)       not null,
    max_screens    tinyint       not null,
    has_4k         tinyint(1)    not null,
    created_at     datetime      not null,
    updated_at     datetime      not null,
    key ix_plans_updated_at (updated_at)
) engine = InnoDB;

create table customers (
    customer_id    int           not null primary key,
    first_name     varchar(80)   not null,
    last_name      varchar(80)   not null,
    email          varchar(255)  not null,
    birth_date     date          null,
    city           varchar(80)   not null,
    state          char(2)       null,
    country        char(2)       not null,
    created_at     datetime      not null,
    updated_at     datetime      not null,
    unique key uq_customers_email (email),
    key ix_customers_updated_at (updated_at)
) engine = InnoDB;

create table subscriptions (
    subscription_id int          not null primary key,
    customer_id    int           not null,
    plan_id        int           not null,
    status         varchar(12)   not null,  -- active | cancelled | paused
    auto_renew     tinyint(1)    not null,
    started_at     datetime      not null,
    cancelled_at   datetime      null,
    updated_at     datetime      not null,
    key ix_subscriptions_updated_at (updated_at),
    constraint fk_subscriptions_customer foreign key (customer_id) references customers (customer_id),
    constraint fk_subscriptions_plan foreign key (plan_id) references plans (plan_id)
) engine = InnoDB;

create table catalog_titles (
    catalog_title_id int          not null primary key,
    service_title  varchar(300)  not null,
    title_type     varchar(10)   not null,  -- movie | series
    release_year   smallint      null,
    runtime_minutes smallint     not null,
    imdb_id        varchar(12)   null,      -- null: not matched to IMDb (own productions, ...)
    tmdb_id        int           null,
    is_available   tinyint(1)    not null,
    added_at       datetime      not null,
    updated_at     datetime      not null,
    key ix_catalog_titles_updated_at (updated_at),
    key ix_catalog_titles_imdb_id (imdb_id)
) engine = InnoDB;

create table viewing_sessions (
    session_id     bigint        not null primary key,
    customer_id    int           not null,
    catalog_title_id int         not null,
    device         varchar(20)   not null,  -- tv | mobile | web | tablet | console
    started_at     datetime      not null,
    minutes_watched int          not null,
    completed      tinyint(1)    not null,
    rating         tinyint       null,      -- 1-5 stars, optional
    updated_at     datetime      not null,
    key ix_viewing_sessions_updated_at (updated_at),
    key ix_viewing_sessions_started_at (started_at)
) engine = InnoDB;

create table payments (
    payment_id     bigint        not null primary key,
    subscription_id int          not null,
    customer_id    int           not null,
    amount         decimal(10, 2) not null,
    currency       char(3)       not null,
    status         varchar(10)   not null,  -- paid | failed | refunded
    payment_method varchar(12)   not null,  -- credit_card | pix | boleto | paypal
    paid_at        datetime      not null,
    updated_at     datetime      not null,
    key ix_payments_updated_at (updated_at),
    constraint fk_payments_subscription foreign key (subscription_id) references subscriptions (subscription_id),
    constraint fk_payments_customer foreign key (customer_id) references customers (customer_id)
) engine = InnoDB;
