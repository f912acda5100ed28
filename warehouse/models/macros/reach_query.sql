{#- tower_reach alone, for pipelines/marts/coverage.py (not a model: macros/ is not built). -#}
{% from 'macros/coverage.sql' import tower_reach %}
WITH {{ tower_reach(places, towers, threshold, method) }}
SELECT * FROM tower_reach ORDER BY code
