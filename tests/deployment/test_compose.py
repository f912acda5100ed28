"""docker-compose.yml, checked statically (no Docker engine runs here; test_deployment.py
runs its services as plain processes)."""

from __future__ import annotations

import re

import yaml

from pipelines.settings import PROJECT_ROOT

SERVICES = {"postgres", "redis", "airflow-init", "airflow-apiserver", "airflow-scheduler",
            "airflow-dag-processor", "airflow-triggerer", "airflow-worker"}


def _compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


def test_compose_defines_airflow_on_celery() -> None:
    compose = _compose()
    assert set(compose["services"]) == SERVICES
    for name in SERVICES - {"postgres", "redis"}:
        svc = compose["services"][name]
        env = svc["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:") or \
            env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:@redis:"), name
        assert "@postgres/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        # The package finds the mounted dags, suites and SQL through this setting.
        assert env["KONEKTIVITAS_PROJECT_ROOT"] == "/opt/konektivitas", name
        mounts = {v.split(":")[1]: v.split(":")[0] for v in svc["volumes"]}
        assert mounts["/opt/konektivitas/dags"] == "./dags"
        assert mounts["/opt/konektivitas/expectations"] == "./expectations"
        assert mounts["/opt/konektivitas/warehouse"] == "./warehouse"
        assert mounts["/opt/konektivitas/data"] == "konektivitas-data"
        assert svc["build"] == "."
    assert "konektivitas-data" in compose["volumes"]
    commands = {n: compose["services"][n].get("command") for n in SERVICES}
    assert commands["airflow-worker"] == "celery worker"
    assert commands["airflow-dag-processor"] == "dag-processor"
    assert "airflow db migrate" in commands["airflow-init"][1]
    # The warehouse is migrated once, before any task opens it (opening never migrates).
    assert "konektivitas migrate" in commands["airflow-init"][1]


def test_compose_carries_no_secret() -> None:
    text = (PROJECT_ROOT / "docker-compose.yml").read_text()
    # Every credential is an environment reference, never a literal.
    assert re.search(r"JWT_SECRET: \$\{", text)
    assert "AIRFLOW_CONN_PLN_PARTNER_API: ${" in text


def test_image_extends_official_airflow_at_locked_version() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    *build_stages, base = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert [s.split(":")[0] for s in build_stages] == ["node"]  # Data Docs' assets only
    locked = re.search(r"^apache-airflow==(\S+)", (PROJECT_ROOT / "requirements.lock").read_text(),
                       re.M).group(1)
    assert base == f"apache/airflow:{locked}-python3.11"
    assert "requirements.lock" in dockerfile


def test_image_carries_the_data_docs_assets() -> None:
    """Data Docs pages link vendor files from npm; the image installs them from the lock."""
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assets = "pipelines/audit/datadocs_assets"
    stage = re.search(r"^FROM node:\S+ AS (\S+)\n(.*?)^FROM ", dockerfile, re.M | re.S)
    assert stage, "no node build stage"
    name, body = stage.groups()
    assert f"{assets}/package-lock.json" in body and re.search(r"^RUN npm ci\b", body, re.M)
    assert re.search(
        rf"^COPY .*--from={name} \S+/node_modules \./{assets}/node_modules$", dockerfile, re.M
    )
    # The final stage copies them after `COPY pipelines` (which .dockerignore keeps them out of).
    assert dockerfile.index(f"./{assets}/node_modules") > dockerfile.index("COPY --chown=airflow:root pipelines")
    assert "**/node_modules/" in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()


def test_writer_pool_lets_lake_writers_commit_concurrently() -> None:
    """The `duckdb_writer` pool serialises writers only for a DuckDB file (the embedded
    runner's pool has 1 slot); compose's warehouse is DuckLake, whose pool has room."""
    import inspect

    from pipelines import runner

    compose = _compose()
    init = compose["services"]["airflow-init"]["command"][1]
    slots = int(re.search(r"airflow pools set duckdb_writer (\d+) ", init).group(1))
    assert slots > 1
    assert compose["x-airflow-common"]["environment"]["KONEKTIVITAS_WAREHOUSE"] == "ducklake"
    assert "WRITER_POOL, 1," in inspect.getsource(runner.init_metadata)
    # ... and the file says why.
    assert "serialises writers only for a DuckDB-file warehouse" in (
        PROJECT_ROOT / "docker-compose.yml").read_text()
