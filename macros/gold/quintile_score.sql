{#-
    A 1-5 score by quintile of value over the whole result (5 = the highest fifth), where equal
    values always get the same score: a row scores by how many rows rank below it, so ties
    share the quintile where the tie begins. ntile(5) splits ties at random (whichever row the
    sort met first), so two runs over the same data could score a customer differently.
-#}
{% macro quintile_score(value) -%}
    cast(1 + floor(5 * (rank() over (order by {{ value }}) - 1) / count(*) over ()) as int)
{%- endmacro %}
