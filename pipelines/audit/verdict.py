"""What a load came to, in words an auditor reads correctly.

A load that published with some rows quarantined is normal and correct: its verdict says
"published", never "failed". The words:
  passed                                        published, nothing quarantined
  published, N rows quarantined (k rules)       published; k rules each refused some rows
  rejected: <reason>                            the whole file refused, nothing loaded
  not published (<why>)                         abandoned, failed or a duplicate delivery
  in progress                                   still running
A load since replaced by a corrected file keeps its verdict, with "; superseded (...)".
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Verdict:
    load_id: str
    word: str  # passed | published | rejected | not published | in progress
    text: str  # the whole verdict, as the index and reports print it


def verdict_of(
    load_id: str, status: str, rows_quarantined: int | None, rules_quarantining: int,
    message: str | None, file_name: str | None = None,
) -> Verdict:
    """The verdict of one audit.load row; `rules_quarantining`: its rules that refused rows."""
    why = _without_file(message, file_name)
    if status in ("published", "superseded"):
        n = rows_quarantined or 0
        if n == 0:
            word, text = "passed", "passed"
        else:
            word = "published"
            text = (f"published, {n} {_plural(n, 'row')} quarantined "
                    f"({rules_quarantining} {_plural(rules_quarantining, 'rule')})")
        if status == "superseded":
            text += f"; superseded ({why})" if why else "; superseded"
        return Verdict(load_id, word, text)
    if status == "rejected":
        return Verdict(load_id, "rejected", f"rejected: {why or 'no reason recorded'}")
    if status == "running":
        return Verdict(load_id, "in progress", "in progress")
    return Verdict(load_id, "not published", f"not published ({why})" if why else "not published")


def load_verdicts(
    con: duckdb.DuckDBPyConnection, load_ids: list[str] | None = None
) -> dict[str, Verdict]:
    """{load_id: Verdict} from audit.load and audit.validation_result; every load if None."""
    where, params = "", []
    if load_ids is not None:
        if not load_ids:
            return {}
        where, params = f"WHERE l.load_id IN ({', '.join('?' * len(load_ids))})", list(load_ids)
    rows = con.execute(
        f"""SELECT l.load_id, l.status, l.rows_quarantined, coalesce(v.rules, 0), l.message,
                   l.file_name
            FROM audit.load AS l
            LEFT JOIN (SELECT load_id, count(*) FILTER (WHERE unexpected_count > 0) AS rules
                       FROM audit.validation_result GROUP BY load_id) AS v USING (load_id)
            {where}""",
        params,
    ).fetchall()
    return {r[0]: verdict_of(*r) for r in rows}


def load_verdict(con: duckdb.DuckDBPyConnection, load_id: str) -> Verdict:
    """The verdict of one load (KeyError if audit.load has no such load)."""
    found = load_verdicts(con, [load_id])
    if load_id not in found:
        raise KeyError(f"no load {load_id!r} in audit.load")
    return found[load_id]


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _without_file(message: str | None, file_name: str | None) -> str:
    """Rejection messages start with the file's name, which sits beside the verdict already."""
    message = (message or "").strip()
    if file_name and message.startswith(f"{file_name}: "):
        return message[len(file_name) + 2:]
    return message
