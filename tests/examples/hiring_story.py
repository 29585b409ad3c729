"""What both example clients print and leave in the database after running the hiring
story (examples/typescript/src/steps, examples/python/run.py): the same steps, the same
details, the same rows. Accounts are ``<prefix>-<label>-<run id>@example.com``, the
employer's ``<prefix>-employer-<run id>@acme-<run id>.test`` (a company domain: confirming it
verifies the company, whose candidates' EMPLOYERS-only profiles it may then see)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

# Each printed line starts with one of these, in this order.
STEPS = (
    "ok signUp candidate:",
    "ok signUp employer:",
    "ok logIn: new token",
    "ok logIn with a wrong password: INVALID_CREDENTIALS",
    "ok viewer over HTTP:",
    "ok viewer over WebSocket (graphql-transport-ws):",
    "ok logOut revokes the token: UNAUTHENTICATED afterwards",
    "ok candidate logs in again: new token",
    "ok updateMyProfile: EMPLOYERS, ACTIVELY_LOOKING, 85000-110000 EUR a year",
    "ok addSkill x2: Python 5, PostgreSQL 4",
    "ok confirmAvailability:",
    "ok second candidate (anonymous, OPEN) for paging:",
    "ok searchCandidates first page (query + filter, first: 1): skills postgresql=1 python=2; countries DE=2; "
    "openToWork ACTIVELY_LOOKING=1 OPEN=1",
    "ok searchCandidates next page (after): 2 pages of 1; python level 5; anonymous one without a name",
    "ok startConversation with a salary range: REQUESTED, 90000-105000 EUR a year",
    "ok candidate subscribes to messageAdded and accepts (graphql-transport-ws): ACCEPTED; heard seq 2 SYSTEM",
    "ok employer's message arrives live: seq 3: Great! Could you do a call on Tuesday?",
    "ok candidate goes offline; employer sends 2 messages: seq 4, 5",
    "ok resume with after: exactly the missed messages, then live: replayed seq 4, 5; live seq 6",
    "ok extendOffer: SENT v1 by COMPANY: 95000 EUR, HYBRID",
    "ok counterOffer: COUNTERED v2 by CANDIDATE: 105000 EUR, REMOTE; changed SALARY_AMOUNT,REMOTE_PREFERENCE",
    "ok reviseOffer: SENT v3 by COMPANY: 102000 EUR, HYBRID",
    "ok acceptOffer naming an old version: STALE_VERSION",
    "ok acceptOffer with versionNumber: ACCEPTED v3 by COMPANY: 102000 EUR, HYBRID; versions 1:COMPANY 2:CANDIDATE 3:COMPANY",
    "ok candidate is HIRED: HIRED",
    "ok a new search no longer finds her: totalCount 1 (the other candidate)",
)

MESSAGES = [
    (1, "USER", "Hi, we would love to talk about our backend role.", False),
    (2, "SYSTEM", "The candidate accepted the contact request.", False),
    (3, "USER", "Great! Could you do a call on Tuesday?", True),
    (4, "USER", "The call is at 10:00 Berlin time.", True),
    (5, "USER", "Here is the link to the call.", True),
    (6, "USER", "See you then.", True),
    (7, "SYSTEM", "Offer extended: Senior Backend Engineer", False),
    (8, "SYSTEM", "Offer countered by the candidate: Senior Backend Engineer (version 2)", False),
    (9, "SYSTEM", "Offer revised: Senior Backend Engineer (version 3)", False),
    (10, "SYSTEM", "Offer accepted: Senior Backend Engineer", False),
]


def assert_printed_every_step(stdout: str) -> None:
    lines = stdout.splitlines()
    assert len(lines) == len(STEPS) + 1, stdout
    for line, expected in zip(lines, STEPS, strict=False):
        assert line.startswith(expected), (expected, stdout)
    assert lines[-1] == f"all {len(STEPS)} steps passed", stdout


def assert_story_rows(database: Path, prefix: str) -> None:
    """The rows the story leaves, read straight from the server's SQLite file."""
    with sqlite3.connect(database) as db:

        def rows(sql: str, *args: object) -> list[tuple[object, ...]]:
            return db.execute(sql, args).fetchall()

        users = rows("SELECT email, role, id FROM user WHERE email LIKE ? ORDER BY email", f"{prefix}-%")
        labels = [(re.sub(r"-[0-9a-f]{12}@.*$", "", email), role) for email, role, _ in users]
        assert labels == [(f"{prefix}-candidate", "CANDIDATE"), (f"{prefix}-candidate2", "CANDIDATE"), (f"{prefix}-employer", "EMPLOYER")]
        candidate, other, employer = (uid for _, _, uid in users)
        # accounts: logOut revoked exactly the candidate's one token
        assert rows("SELECT COUNT(*) FROM auth_token WHERE user_id = ? AND revoked_at IS NOT NULL", candidate) == [(1,)]
        # profiles: hers is HIRED now, with her pay and two skills; the other one anonymous and OPEN
        profile = (
            "SELECT visibility, open_to_work, anonymous, salary_min, salary_max, salary_currency, salary_period, "
            "availability_confirmed_at IS NOT NULL FROM profile WHERE user_id = ?"
        )
        assert rows(profile, candidate) == [("EMPLOYERS", "HIRED", 0, 85000, 110000, "EUR", "YEAR", 1)]
        assert rows(profile, other) == [("EMPLOYERS", "OPEN", 1, None, None, None, None, 1)]
        assert rows(
            "SELECT name, level, years FROM skill JOIN profile ON profile.id = skill.profile_id "
            "WHERE profile.user_id = ? ORDER BY position", candidate
        ) == [("Python", 5, 8), ("PostgreSQL", 4, None)]
        # chat: one accepted conversation with the pay named up front, and every message in order
        company = rows("SELECT company_id FROM user WHERE id = ?", employer)[0][0]
        conversations = rows(
            "SELECT id, candidate_id, started_by_id, status, role_title, salary_min, salary_max, salary_currency, "
            "salary_period, last_seq FROM conversation WHERE company_id = ?", company
        )
        assert [c[1:] for c in conversations] == [
            (candidate, employer, "ACCEPTED", "Senior Backend Engineer", 90000, 105000, "EUR", "YEAR", 10)
        ]
        conversation = conversations[0][0]
        messages = rows(
            "SELECT seq, kind, body, client_message_id IS NOT NULL FROM message WHERE conversation_id = ? ORDER BY seq",
            conversation,
        )
        assert [(seq, kind, body, bool(cmid)) for seq, kind, body, cmid in messages] == MESSAGES
        # offers: accepted at version 3, with the whole history
        offers = rows("SELECT id, candidate_id, status, current_version FROM offer WHERE conversation_id = ?", conversation)
        assert [o[1:] for o in offers] == [(candidate, "ACCEPTED", 3)]
        assert rows(
            "SELECT number, author_side, salary_amount, salary_currency, remote_preference, changed_fields "
            "FROM offer_version WHERE offer_id = ? ORDER BY number", offers[0][0]
        ) == [
            (1, "COMPANY", 95000, "EUR", "HYBRID", "[]"),
            (2, "CANDIDATE", 105000, "EUR", "REMOTE", '["SALARY_AMOUNT","REMOTE_PREFERENCE"]'),
            (3, "COMPANY", 102000, "EUR", "HYBRID", '["SALARY_AMOUNT","REMOTE_PREFERENCE"]'),
        ]
