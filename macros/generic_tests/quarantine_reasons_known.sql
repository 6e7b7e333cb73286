{#-
    Fails for every reason code of a quarantine model that its rules do not give (nulls pass:
    not_null says whether they may be). The codes are the meta quarantine_reasons of the model,
    which shop_quarantine sets from shop_rules: the accepted codes are derived from the rules,
    never listed by hand, and the contract check of the staging column meta reads the same meta.
    A model without that meta is an error, not a test that accepts nothing.
-#}
{% test quarantine_reasons_known(model, column_name) %}
    {%- set reasons = [] -%}
{%- if execute -%}
    {%- set tested = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', model.identifier)
        | list -%}
    {%- set reasons = tested[0].config.meta.get('quarantine_reasons') if tested else none -%}
    {%- if not reasons -%}
        {{ exceptions.raise_compiler_error(
            'quarantine_reasons_known: ' ~ model.identifier
            ~ ' has no meta quarantine_reasons (set by shop_quarantine)'
        ) }}
    {%- endif -%}
{%- endif %}

with

all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)

select * from all_values
where value_field not in ('{{ reasons | join("', '") }}')

{% endtest %}
