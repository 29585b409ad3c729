"""A company's responsiveness to candidates, computed in SQL over the last 90 days.

For every message a candidate wrote in one of the company's conversations, the reply is
the first later message written by anyone else but the candidate (a company member;
system messages do not count). ``answered_share`` is the share of those candidate
messages answered within 7 days — a message younger than 7 days without a reply yet is
not counted, it is not late yet. ``median_reply_seconds`` is the median delay of all
replies. Both are ``None`` when there is no data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from tortoise import connections

from resolvers.chat.append import utcnow

WINDOW = timedelta(days=90)
ANSWER_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class Responsiveness:
    answered_share: float | None
    median_reply_seconds: float | None
    candidate_messages: int


NO_DATA = Responsiveness(None, None, 0)


def _sql(dialect: str, n_companies: int) -> str:
    if dialect == "postgres":
        marks = [f"${i}" for i in range(1, n_companies + 4)]
        delay = "EXTRACT(EPOCH FROM (replied_at - asked_at))"
        since = f"cm.created_at >= {marks[n_companies]}"
    else:
        marks = ["?"] * (n_companies + 3)
        delay = "((julianday(replied_at) - julianday(asked_at)) * 86400.0)"
        since = f"julianday(cm.created_at) >= julianday({marks[n_companies]})"
    company_list = ", ".join(marks[:n_companies])
    within = marks[n_companies + 1]
    due = marks[n_companies + 2]  # questions asked before this are due an answer
    due_cond = (
        f"asked_at < {due}" if dialect == "postgres" else f"julianday(asked_at) < julianday({due})"
    )
    return f"""
WITH asked AS (
    SELECT c.company_id AS company_id, cm.created_at AS asked_at,
           (SELECT MIN(r.created_at) FROM message r
             WHERE r.conversation_id = cm.conversation_id AND r.seq > cm.seq
               AND r.kind = 'USER' AND r.sender_id IS NOT NULL AND r.sender_id <> c.candidate_id
           ) AS replied_at
      FROM message cm JOIN conversation c ON c.id = cm.conversation_id
     WHERE c.company_id IN ({company_list}) AND cm.sender_id = c.candidate_id
       AND cm.kind = 'USER' AND {since}
), timed AS (
    SELECT company_id, replied_at, asked_at,
           CASE WHEN replied_at IS NULL THEN NULL ELSE {delay} END AS delay
      FROM asked
), counted AS (
    SELECT company_id,
           SUM(CASE WHEN delay IS NOT NULL AND delay <= {within} THEN 1 ELSE 0 END) AS answered,
           SUM(CASE WHEN delay IS NOT NULL OR {due_cond} THEN 1 ELSE 0 END) AS due_total,
           COUNT(*) AS total
      FROM timed GROUP BY company_id
), ranked AS (
    SELECT company_id, delay,
           ROW_NUMBER() OVER (PARTITION BY company_id ORDER BY delay) AS rn,
           COUNT(*) OVER (PARTITION BY company_id) AS n
      FROM timed WHERE delay IS NOT NULL
), medians AS (
    SELECT company_id, AVG(delay) AS median
      FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY company_id
)
SELECT counted.company_id, counted.answered, counted.due_total, counted.total, medians.median
  FROM counted LEFT JOIN medians ON medians.company_id = counted.company_id
"""


async def responsiveness_of(company_ids: Sequence[int]) -> list[Responsiveness]:
    """Responsiveness of each company, in order; ``NO_DATA`` for companies without any."""
    if not company_ids:
        return []
    unique = list(dict.fromkeys(company_ids))
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    now = utcnow()
    since, due = now - WINDOW, now - ANSWER_WITHIN
    # SQLite compares the stored text with julianday(): hand it the same text form.
    bounds = (since, due) if dialect == "postgres" else (since.isoformat(sep=" "), due.isoformat(sep=" "))
    params: list[object] = [*unique, bounds[0], ANSWER_WITHIN.total_seconds(), bounds[1]]
    _, rows = await connection.execute_query(_sql(dialect, len(unique)), params)
    found: dict[int, Responsiveness] = {}
    for row in rows:
        answered, due_total, total, median = row["answered"], row["due_total"], row["total"], row["median"]
        found[row["company_id"]] = Responsiveness(
            answered_share=(answered / due_total) if due_total else None,
            median_reply_seconds=float(median) if median is not None else None,
            candidate_messages=int(total),
        )
    return [found.get(company_id, NO_DATA) for company_id in company_ids]
