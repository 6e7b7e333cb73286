{#-
    Fails for every key of the model (a staging model) that the model downstream of it (to,
    its fact) does not hold under the same column name: a valid row that a join of the fact
    left out, lost from gold with no quarantine to say why. Any build but the daily run
    checks every key. The daily run (CINELAKE_DATA_TESTS_SINCE) checks the keys in the range
    of those the model wrote since (written_keys_range), on both sides: Delta skips the files
    of both tables whose keys lie outside (growing ids). A key the model did not write since
    was checked by the last successful build; one that only the fact lost since (a day it
    recomputed for a late customer version) waits for the next whole build, as the row tests
    of the fact do.
-#}
{% test every_key_reaches(model, column_name, to) %}
    {%- set written = written_keys_range(column_name, model) or 'true' %}

select kept.{{ column_name }}
from (
    select {{ column_name }} from {{ model }}
    where {{ column_name }} is not null and {{ written }}
) as kept
left anti join (
    select {{ column_name }} from {{ to }} where {{ written }}
) as reached
    on kept.{{ column_name }} = reached.{{ column_name }}

{% endtest %}
