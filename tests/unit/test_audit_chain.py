"""The audit hash chain: records sealed as written, an older warehouse converted, and
aggregates whose bits do not depend on row order."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import duckdb

from pipelines.audit import records as audit
from pipelines.audit.verify import chain_links, sealed_records
from pipelines.io.archive import archive_file
from pipelines.settings import PROJECT_ROOT
from pipelines.warehouse import _sql_environment, migrate

MIGRATIONS = PROJECT_ROOT / "warehouse" / "migrations"
CHAIN_MIGRATION = "450_audit_hash_chain.sql"


def test_every_load_state_is_an_appended_sealed_event(con, settings, tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("x\n1\n")
    archived = archive_file(con, settings.home, settings.archive, "registry", f)
    load = audit.start_load(con, "registry", "d", "2025-07-01", archived.sha256, "a.csv")
    audit.set_rows_read(con, load.load_id, 5)
    audit.finish_load(con, load.load_id, "published", None, 4, 1)
    retry = audit.start_load(con, "registry", "d", "2025-08-01", archived.sha256, "a.csv")
    later = audit.start_load(con, "registry", "d", "2025-08-01", archived.sha256, "a.csv")
    events = con.execute(
        "SELECT status FROM audit.load_event WHERE load_id = ? ORDER BY event_no", [load.load_id]
    ).fetchall()
    assert [s for (s,) in events] == ["running", "running", "published"]
    assert con.execute("SELECT status, rows_read, rows_published FROM audit.load WHERE load_id = ?",
                       [load.load_id]).fetchone() == ("published", 5, 4)
    # The later attempt overtook the retry without writing to its history.
    assert audit.get_load(con, retry.load_id).status == "abandoned"
    assert con.execute("SELECT message FROM audit.load WHERE load_id = ?",
                       [retry.load_id]).fetchone() == (f"superseded by retry {later.load_id}",)
    assert con.execute("SELECT list(status) FROM audit.load_event WHERE load_id = ?",
                       [retry.load_id]).fetchone() == (["running"],)
    kinds = con.execute("SELECT list(kind ORDER BY seq) FROM audit.chain").fetchone()[0]
    assert kinds == ["file"] + ["load_event"] * 5
    assert chain_links(con) == [] and sealed_records(con) == []


def test_an_edit_a_deletion_and_an_unsealed_record_are_named(con, settings) -> None:
    a = audit.start_load(con, "registry", "d", "2025-07-01", None, "a.csv")
    b = audit.start_load(con, "registry", "d", "2025-08-01", None, "b.csv")
    con.execute("UPDATE audit.load_event SET file_name = 'z.csv' WHERE load_id = ?", [a.load_id])
    con.execute("DELETE FROM audit.load_event WHERE load_id = ?", [b.load_id])
    con.execute("INSERT INTO audit.validation_result VALUES ('x', 's', 't', '{}', 'r', true, 1, 0, now(), NULL, NULL, NULL)")
    problems = sealed_records(con)
    assert any(f"audit.load_event record {a.load_id}#1 (chain entry 1): edited" in p for p in problems)
    assert any(f"audit.load_event record {b.load_id}#2 (chain entry 2): deleted" in p for p in problems)
    assert any("audit.validation_result batch of load x: not in the chain" in p for p in problems)
    assert chain_links(con) == []  # the chain itself is intact: the records changed


def test_the_migration_chains_an_older_warehouses_records(tmp_path: Path) -> None:
    before = tmp_path / "before"
    before.mkdir()
    for path in MIGRATIONS.glob("*.sql"):
        if path.name < CHAIN_MIGRATION:
            shutil.copy(path, before / path.name)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET TimeZone = 'UTC'")
    migrate(con, before)
    con.execute("INSERT INTO audit.file VALUES ('f1', 3, 'archive/x/f1', 'landing/a.csv', now())")
    for i, status in enumerate(("published", "rejected", "superseded")):
        con.execute(
            "INSERT INTO audit.load VALUES (?, 'registry', 'd', ?, 'f1', 'landing/a.csv', ?, "
            "3, 2, 1, NULL, now() + INTERVAL (?) SECOND, now() + INTERVAL (?) SECOND)",
            [f"L{i}", f"2025-0{i + 1}-01", status, i, i + 1])
    con.execute("INSERT INTO audit.quarantine VALUES ('L0', 'd', 3, ['bad'], '{}', now())")
    con.execute("INSERT INTO audit.validation_result VALUES ('L0', 'd', 't', '{}', 'r', false, 3, 1, now())")
    con.execute("INSERT INTO audit.mart_build VALUES (DATE '2025-01-01', ['m'], 'r', now(), now())")
    loads_before = con.execute("SELECT * FROM audit.load ORDER BY load_id").fetchall()

    assert migrate(con, MIGRATIONS) == [CHAIN_MIGRATION] + [
        p.name for p in sorted(MIGRATIONS.glob("*.sql")) if p.name > CHAIN_MIGRATION]
    assert con.execute("SELECT * FROM audit.load ORDER BY load_id").fetchall() == loads_before
    assert con.execute("SELECT count(*), max(seq) FROM audit.chain").fetchone() == (7, 7)
    assert chain_links(con) == [] and sealed_records(con) == []
    # Appending after the conversion continues the same chain.
    audit.finish_load(con, "L1", "rejected", "again")
    assert chain_links(con) == [] and sealed_records(con) == []
    con.close()


def _render(sql: str) -> str:
    return _sql_environment(str(PROJECT_ROOT / "warehouse" / "models")).from_string(sql).render()


def test_exact_aggregates_give_the_same_bits_in_any_row_order() -> None:
    rng = random.Random(7)
    values = [rng.uniform(0, 100) * 10 ** rng.randint(-3, 6) for _ in range(20_000)]
    sql = _render("{% from 'macros/exact.sql' import exact_avg, exact_sum %}"
                  "SELECT {{ exact_avg('x') }}, {{ exact_sum('x') }}, avg(x), sum(x) FROM t")
    results = []
    for order in range(4):
        con = duckdb.connect()
        con.execute(f"SET threads = {1 + order % 2}")
        shuffled = values[:]
        random.Random(order).shuffle(shuffled)
        con.execute("CREATE TABLE t (x DOUBLE)")
        con.executemany("INSERT INTO t VALUES (?)", [[v] for v in shuffled])
        results.append(con.execute(sql).fetchone())
        con.close()
    exact = {r[:2] for r in results}
    plain = {r[2:] for r in results}
    assert len(exact) == 1, exact
    # The plain float sum is the problem being solved: its bits do depend on the order.
    assert len(plain) > 1, plain


def test_columns_added_to_a_sealed_table_reseal_only_untouched_batches(tmp_path: Path) -> None:
    """500 added columns to audit.validation_result, which changes every batch's canonical
    content: 510 seals again the batches still as sealed, not one altered before it."""
    before = tmp_path / "before"
    before.mkdir()
    for path in MIGRATIONS.glob("*.sql"):
        if path.name < "500":
            shutil.copy(path, before / path.name)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET TimeZone = 'UTC'")
    migrate(con, before)
    for load_id in ("kept", "altered"):
        con.execute("INSERT INTO audit.validation_result VALUES (?, 'd', 't', '{}', 'r', true, 3, 0, now())",
                    [load_id])
    con.execute("""INSERT INTO audit.chain
        SELECT row_number() OVER (ORDER BY load_id), 'validation_result', load_id, h, '', '', now()
        FROM (SELECT t.load_id, sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10))) AS h
              FROM audit.validation_result AS t GROUP BY 1)""")
    con.execute("UPDATE audit.validation_result SET success = false WHERE load_id = 'altered'")

    migrate(con, MIGRATIONS)
    problems = sealed_records(con)
    assert [p for p in problems if "batch of load" in p] == [
        "audit.validation_result batch of load altered (chain entry 1): edited since sealed"]
    con.close()
