"""A load's verdict, from the ledger: words an auditor reads correctly."""

from __future__ import annotations

import json

import pytest

from pipelines.audit import records as audit
from pipelines.audit.verdict import load_verdict, load_verdicts, verdict_of


@pytest.mark.parametrize(
    ("status", "quarantined", "rules", "message", "word", "text"),
    [
        ("published", 0, 0, None, "passed", "passed"),
        ("published", 1, 1, None, "published", "published, 1 row quarantined (1 rule)"),
        ("published", 240, 6, None, "published", "published, 240 rows quarantined (6 rules)"),
        ("superseded", 0, 0, "partition replaced by load b", "passed",
         "passed; superseded (partition replaced by load b)"),
        ("rejected", None, 0, "k.csv: missing required column(s) nama", "rejected",
         "rejected: missing required column(s) nama"),
        ("abandoned", None, 0, "superseded by retry c", "not published",
         "not published (superseded by retry c)"),
        ("duplicate", 0, 0, "same bytes as load a (k.csv); nothing loaded again", "not published",
         "not published (same bytes as load a (k.csv); nothing loaded again)"),
        ("running", None, 0, None, "in progress", "in progress"),
    ],
)
def test_verdict_words(status, quarantined, rules, message, word, text) -> None:
    v = verdict_of("a", status, quarantined, rules, message, "k.csv")
    assert (v.word, v.text) == (word, text)
    assert "fail" not in v.text


def _result(con, load_id: str, rule: str, unexpected: int, success: bool) -> None:
    con.execute(
        """INSERT INTO audit.validation_result (load_id, suite, expectation_type, kwargs, rule,
                                                success, element_count, unexpected_count,
                                                validated_at)
           VALUES (?, 's', 't', ?, ?, ?, 10, ?, now())""",
        [load_id, json.dumps({}), rule, success, unexpected],
    )


def test_verdicts_come_from_the_load_ledger_and_its_validation(con) -> None:
    clean = audit.start_load(con, "registry", "s", "2025-07-01", "h1", "a.csv")
    _result(con, clean.load_id, "r1", 0, True)
    audit.finish_load(con, clean.load_id, "published", None, 10, 0)
    some = audit.start_load(con, "registry", "s", "2025-08-01", "h2", "b.csv")
    # A rule with `mostly` can pass and still quarantine rows: both rules refused rows.
    _result(con, some.load_id, "r1", 2, False)
    _result(con, some.load_id, "r2", 1, True)
    _result(con, some.load_id, "r3", 0, True)
    audit.finish_load(con, some.load_id, "published", None, 7, 3)
    crashed = audit.start_load(con, "registry", "s", "2025-09-01", "h3", "c.csv")
    retry = audit.start_load(con, "registry", "s", "2025-09-01", "h3", "c.csv")

    assert load_verdict(con, clean.load_id).text == "passed"
    assert load_verdict(con, some.load_id).text == "published, 3 rows quarantined (2 rules)"
    assert load_verdict(con, crashed.load_id).text == (
        f"not published (superseded by retry {retry.load_id})"
    )
    assert load_verdict(con, retry.load_id).word == "in progress"
    assert set(load_verdicts(con)) == {clean.load_id, some.load_id, crashed.load_id, retry.load_id}
    assert load_verdicts(con, []) == {}
    with pytest.raises(KeyError, match="no load 'nope'"):
        load_verdict(con, "nope")


GX_STATUS = ('<span class="h6" >Status:</span> <i class="fas fa-times text-danger" '
             'aria-hidden="true"></i> Failed<br><label> Failed Only</label>')


def test_run_page_status_says_the_verdict_and_follows_it() -> None:
    from pipelines.audit.datadocs import verdict_status

    published = verdict_of("a", "published", 3, 2, None)
    page = verdict_status(GX_STATUS, published)
    assert "published, 3 rows quarantined (2 rules)</span><br>" in page
    assert "Failed" not in page and "fa-times" not in page
    # A page already rewritten follows a later verdict (the load superseded).
    later = verdict_status(page, verdict_of("a", "superseded", 3, 2, "partition replaced by load b"))
    assert later.count("konektivitas-verdict") == 1
    assert "published, 3 rows quarantined (2 rules); superseded (partition replaced by load b)" in later


GX_INDEX_ENTRY = (
    "[{'validation_success': '\\n <span><i class=\"fas fa-times text-danger ge-failed-icon\" >"
    "</i></span>\\n ', 'run_time': '2026-12-01 00:00:35 UTC', 'run_name': 'load-abc', "
    "'_table_row_link_path': 'validations/s/load-abc/x/abc.html', "
    "'_validation_success_text': 'Failed', 'asset_name': 's'}]")


def test_index_table_says_the_verdict() -> None:
    from pipelines.audit.datadocs import verdict_index_table

    rejected = verdict_of("abc", "rejected", None, 0, "k.csv: it's not 'UTF-8' \\ at all", "k.csv")
    page = verdict_index_table(GX_INDEX_ENTRY, {"abc": rejected})
    assert "Failed" not in page and "fa-times text-danger\"></i> rejected: it&#x27;s not" in page
    assert "'_validation_success_text': 'rejected: it&#x27;s not &#x27;UTF-8&#x27; &#92; at all'" in page
    # The literal still parses: no quote or backslash of the message breaks out of it.
    import ast
    (entry,) = ast.literal_eval(page)
    assert entry["run_name"] == "load-abc" and entry["asset_name"] == "s"
    assert verdict_index_table(GX_INDEX_ENTRY, {}) == GX_INDEX_ENTRY
