{#-
    The rows a model stamped with built_at wrote since a build started (since, a timestamp
    text): from the second after it, not built_at > since. Delta keeps the max statistic of a
    timestamp to the millisecond and adds 1 ms when it skips files, so built_at > since
    would read every file the build at since wrote; built_at stamps are whole seconds.
    (The YAML where configs of the row tests write it out: a config cannot call a macro.)
-#}
{% macro built_since(since) -%}
    built_at >= timestamp '{{ since }}' + interval 1 second
{%- endmacro %}
