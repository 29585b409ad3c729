"""The numbers an employer asks about a role, computed in SQL (SQLite and PostgreSQL),
never by loading rows: candidates per stage, conversion between the stages of the main
path, median days in each stage, median time to first reply.

Definitions:

- *reached* a stage: the entry was ever moved (or added) to it or to a later stage of the
  main path (SOURCED → CONTACTED → REPLIED → INTERVIEWING → OFFER → HIRED; a company stage
  counts as past INTERVIEWING). Conversion from A to B = reached B / reached A.
- *days in stage*: completed stays only (from the move into a stage to the next move),
  per stage, the median over the role's entries.
- *time to first reply*: from an entry's first move to CONTACTED to its first move to
  REPLIED, in hours, the median over entries that have both.

Medians are the mean of the middle one or two values (``ROW_NUMBER`` over the sorted
values), which both engines compute the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import connections

from models.hiring import PipelineStage
from resolvers.hiring.stages import MAIN_PATH, RANK


@dataclass(frozen=True)
class Conversion:
    from_stage: PipelineStage
    to_stage: PipelineStage
    reached_from: int
    reached_to: int

    @property
    def rate(self) -> float | None:
        return self.reached_to / self.reached_from if self.reached_from else None


@dataclass(frozen=True)
class StageDuration:
    stage: PipelineStage
    custom_stage_id: int | None
    median_days: float
    stays: int


@dataclass(frozen=True)
class RoleNumbers:
    conversions: list[Conversion]
    days_in_stage: list[StageDuration]
    median_hours_to_first_reply: float | None
    replies: int


def _dialect() -> tuple[bool, str]:
    postgres = connections.get("default").capabilities.dialect == "postgres"
    return postgres, "$1" if postgres else "?"


def _seconds_between(start: str, end: str, postgres: bool) -> str:
    if postgres:
        return f"EXTRACT(EPOCH FROM ({end} - {start}))"
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def _median_sql(values: str, group: str) -> str:
    """The median of ``values`` (a subquery with columns ``{group}`` and ``v``) per group."""
    return (
        f"SELECT {group}, AVG(v) AS median, MAX(n) AS n FROM ("
        f"SELECT {group}, v, ROW_NUMBER() OVER (PARTITION BY {group} ORDER BY v) AS rn, "
        f"COUNT(*) OVER (PARTITION BY {group}) AS n FROM ({values}) vs) ranked "
        f"WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY {group}"
    )


_RANK_CASE = "CASE m.to_stage " + " ".join(
    f"WHEN '{stage.value}' THEN {RANK[stage]}" for stage in (*MAIN_PATH, PipelineStage.CUSTOM)
) + " ELSE 0 END"


async def role_numbers(role_id: int) -> RoleNumbers:
    """Three statements, whatever the number of entries."""
    postgres, param = _dialect()
    connection = connections.get("default")
    reached_columns = ", ".join(f"SUM(CASE WHEN r >= {RANK[stage]} THEN 1 ELSE 0 END) AS s{i}" for i, stage in enumerate(MAIN_PATH))
    reached_sql = (
        f"SELECT {reached_columns} FROM (SELECT m.entry_id, MAX({_RANK_CASE}) AS r FROM hiring_pipeline_move m "
        f"JOIN hiring_pipeline_entry e ON e.id = m.entry_id WHERE e.role_id = {param} GROUP BY m.entry_id) reached"
    )
    [reached] = await connection.execute_query_dict(reached_sql, [role_id])
    counts = [int(reached[f"s{i}"] or 0) for i in range(len(MAIN_PATH))]
    conversions = [
        Conversion(MAIN_PATH[i], MAIN_PATH[i + 1], counts[i], counts[i + 1]) for i in range(len(MAIN_PATH) - 1)
    ]
    stays = (
        "SELECT m.to_stage || ':' || COALESCE(CAST(m.to_custom_stage_id AS TEXT), '') AS stage_key, "
        f"{_seconds_between('m.created_at', 'LEAD(m.created_at) OVER (PARTITION BY m.entry_id ORDER BY m.created_at, m.id)', postgres)} / 86400.0 AS v "
        f"FROM hiring_pipeline_move m JOIN hiring_pipeline_entry e ON e.id = m.entry_id WHERE e.role_id = {param}"
    )
    durations = await connection.execute_query_dict(
        _median_sql(f"SELECT stage_key, v FROM ({stays}) s WHERE v IS NOT NULL", "stage_key"), [role_id]
    )
    first_reply = (
        f"SELECT 1 AS k, {_seconds_between('c', 'r', postgres)} / 3600.0 AS v FROM ("
        "SELECT m.entry_id, MIN(CASE WHEN m.to_stage = 'CONTACTED' THEN m.created_at END) AS c, "
        "MIN(CASE WHEN m.to_stage = 'REPLIED' THEN m.created_at END) AS r FROM hiring_pipeline_move m "
        f"JOIN hiring_pipeline_entry e ON e.id = m.entry_id WHERE e.role_id = {param} GROUP BY m.entry_id) t "
        "WHERE c IS NOT NULL AND r IS NOT NULL AND r >= c"
    )
    replies = await connection.execute_query_dict(_median_sql(first_reply, "k"), [role_id])
    return RoleNumbers(
        conversions=conversions,
        days_in_stage=[_duration(row) for row in sorted(durations, key=lambda row: str(row["stage_key"]))],
        median_hours_to_first_reply=float(replies[0]["median"]) if replies else None,
        replies=int(replies[0]["n"]) if replies else 0,
    )


def _duration(row: dict[str, object]) -> StageDuration:
    stage, _, custom = str(row["stage_key"]).partition(":")
    return StageDuration(
        PipelineStage(stage), int(custom) if custom else None, float(str(row["median"])), int(str(row["n"]))
    )
