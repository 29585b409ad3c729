"""Factories for trust and safety tests: moderators (made as the command line makes
them), reports and resolutions through the API."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from graph.settings import Settings
from resolvers.safety.moderators import create_moderator
from tests.factories.accounts import PASSWORD, Actor
from tests.graphql import GraphQLClient

_ids = itertools.count(1)

LOG_IN = """
mutation($input: LogInInput!) { logIn(input: $input) { token viewer { id role } userErrors { code message } } }
"""
REPORT = """
mutation($input: ReportContentInput!) {
  reportContent(input: $input) {
    report { id reason comment status targetKind targetId action reporter { id } }
    userErrors { code field message }
  }
}
"""
QUEUE = """
query($reason: ReportReason, $first: Int, $after: String) {
  moderationQueue(reason: $reason, first: $first, after: $after) {
    totalCount
    edges { cursor node { id targetKind targetId status filingCount snapshot subjectUserId subjectCompanyId
                          filings { reason comment reporter { id } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
RESOLVE = """
mutation($input: ResolveReportInput!) {
  resolveReport(input: $input) { report { id status action note resolvedAt } userErrors { code field message } }
}
"""
LIFT = "mutation($input: LiftSuspensionInput!) { liftSuspension(input: $input) { lifted userErrors { code message } } }"
MY_REPORTS = "{ myReports { totalCount edges { node { id reason status action targetKind targetId } } } }"
AUDIT = """
query($action: String, $target: ID) {
  auditLog(action: $action, targetId: $target) { totalCount edges { node { action actorId targetType targetId companyId details } } }
}
"""


async def make_moderator(settings: Settings, gql: GraphQLClient) -> Actor:
    """A moderator, created the way ``openforwork create-moderator`` does, signed in through the API."""
    email = f"moderator{next(_ids)}@openforwork.test"
    await create_moderator(settings, email=email, password=PASSWORD, display_name="Mo Derator")
    payload = await gql.mutate(LOG_IN, {"email": email, "password": PASSWORD})
    return Actor(token=payload["token"], id=payload["viewer"]["id"], email=email, display_name="Mo Derator")


async def report(
    gql: GraphQLClient, reporter: Actor, target: str, reason: str = "SCAM", *, ok: bool = True, **extra: Any
) -> dict[str, Any]:
    return await gql.mutate(REPORT, {"target": target, "reason": reason, **extra}, token=reporter.token, ok=ok)


async def queue(gql: GraphQLClient, moderator: Actor, **variables: Any) -> list[dict[str, Any]]:
    data = await gql.execute(QUEUE, variables, token=moderator.token)
    return [edge["node"] for edge in data["moderationQueue"]["edges"]]


async def resolve(gql: GraphQLClient, moderator: Actor, report_id: str, action: str, **extra: Any) -> dict[str, Any]:
    return await gql.mutate(RESOLVE, {"reportId": report_id, "action": action, **extra}, token=moderator.token)


def create_moderator_from_command_line(database_url: str, email: str) -> None:
    """``openforwork create-moderator`` in its own process, as an operator runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "create-moderator", "--email", email, "--password", PASSWORD],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert f"Created moderator {email.lower()}" in result.stdout
