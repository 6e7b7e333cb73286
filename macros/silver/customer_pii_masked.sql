{#-
    Customer columns with the PII masked (used by every silver model over shop.customers):
    the e-mail becomes a salted SHA-256 (joinable, not readable; the salt is read by the Spark
    server at run time, never rendered: pii_salt_sql), the birth date an age band as of today;
    names are not selected at all.
-#}
{% macro customer_pii_masked() %}
        sha2(concat({{ pii_salt_sql() }}, lower(trim(email))), 256) as email_hash,
        case
            when birth_date is null then 'unknown'
            when floor(months_between(current_date(), birth_date) / 12) < 18 then 'under 18'
            when floor(months_between(current_date(), birth_date) / 12) < 25 then '18-24'
            when floor(months_between(current_date(), birth_date) / 12) < 35 then '25-34'
            when floor(months_between(current_date(), birth_date) / 12) < 45 then '35-44'
            when floor(months_between(current_date(), birth_date) / 12) < 55 then '45-54'
            when floor(months_between(current_date(), birth_date) / 12) < 65 then '55-64'
            else '65+'
        end as age_band,
        trim(city) as city,
        nullif(trim(state), '') as state,
        upper(trim(country)) as country
{% endmacro %}
