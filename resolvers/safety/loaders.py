"""Per-request batch functions of trust and safety, named by their key."""

from __future__ import annotations

from models.safety import MessageRedFlag, Report, ReportFiling
from resolvers.loading import by_key, grouped


async def reports_by_id(ids: list[int]) -> list[Report | None]:
    return by_key(await Report.filter(id__in=ids), ids)


async def filings_by_report_id(report_ids: list[int]) -> list[list[ReportFiling]]:
    rows = await ReportFiling.filter(report_id__in=report_ids).order_by("id")
    return grouped(rows, report_ids, "report_id")


async def red_flags_by_message_id(message_ids: list[int]) -> list[MessageRedFlag | None]:
    return by_key(await MessageRedFlag.filter(message_id__in=message_ids), message_ids, "message_id")
