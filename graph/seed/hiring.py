"""Demo hiring: this run's first company gets an OPEN "Backend engineer" role (the title
of the demo interviews' conversations, which are linked to it), a stage of its own
("Take-home task"), tags, and a pipeline of this run's public candidates at different
stages — SOURCED, CONTACTED, REPLIED, INTERVIEWING, the company's stage, REJECTED and
WITHDRAWN — each with the history of its moves (the automatic ones named by their
trigger, as the API records them), notes, tags and ratings; and a PAUSED second role with
two sourced candidates. Written through the models after ``seed_interviews``, whose
conversations it follows (one entry per candidate in one): run once per seeding, for the
company that run created, so seeding again adds a new team's pipeline next to the old.

Notes never name a candidate: some of them are anonymous to the company (``privacy``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models.accounts import Role as AccountRole
from models.accounts import User
from models.chat import Conversation, ConversationStatus
from models.hiring import (
    CustomStage,
    PipelineEntry,
    PipelineEntryTag,
    PipelineMove,
    PipelineNote,
    PipelineRating,
    PipelineStage,
    PipelineTag,
    Recommendation,
    Role,
    RoleMember,
    RoleStatus,
)
from models.interviews import Interview, InterviewStatus
from models.profiles import Profile, SalaryPeriod, Visibility
from resolvers.chat import post_system_message
from resolvers.hiring.stages import DEFAULT_REASON, PipelineTrigger

S = PipelineStage
T = PipelineTrigger
TAGS = ("python", "senior", "remote-ok", "referral", "visa-needed")
CUSTOM_STAGE = "Take-home task"


@dataclass(frozen=True)
class Step:
    """One move of a demo entry: to a stage, by a trigger (automatic) or by hand with a reason."""

    to: PipelineStage
    trigger: PipelineTrigger | None = None
    reason: str | None = None


# Where the candidates of the demo interviews stand, by the interview's state.
# Every entry was added at SOURCED by a colleague, then moved by these steps.
CONTACTED, REPLIED = Step(S.CONTACTED, T.CONTACT_SENT), Step(S.REPLIED, T.CONTACT_ACCEPTED)
INTERVIEWING = Step(S.INTERVIEWING, T.INTERVIEW_SCHEDULED)
AFTER_INTERVIEW = {
    InterviewStatus.PROPOSED: [CONTACTED, REPLIED],
    InterviewStatus.SCHEDULED: [CONTACTED, REPLIED, INTERVIEWING],
    InterviewStatus.CANCELLED: [CONTACTED, REPLIED],
}
HELD = [CONTACTED, REPLIED, INTERVIEWING, Step(S.CUSTOM, reason="Strong first interview; the take-home task is out.")]
# Candidates without an interview: their moves, and the conversation those imply.
OTHERS: list[tuple[list[Step], ConversationStatus | None]] = [
    ([], None),
    ([], None),
    ([CONTACTED], ConversationStatus.REQUESTED),
    ([Step(S.REJECTED, reason="Looking for more experience with on-call and incident work.")], None),
    ([CONTACTED, Step(S.WITHDRAWN, T.CANDIDATE_DECLINED)], ConversationStatus.DECLINED),
]
NOTES = (
    "Found through search: **Postgres** and event-driven work, strong written profile.",
    "Worth a call — asked for remote-first; fits the team's hours.",
    "Interview notes: clear on trade-offs, follow up on system design.",
)


async def seed_hiring(now: datetime, employer_email: str | None) -> int:
    """The demo pipeline (module doc) of ``employer_email``'s company, with candidates
    seeded after her; returns the rows written."""
    first = await User.get_or_none(email=employer_email, role=AccountRole.EMPLOYER) if employer_email else None
    if first is None or first.company_id is None:
        return 0
    company_id = first.company_id
    team = list(await User.filter(company_id=company_id, role=AccountRole.EMPLOYER).order_by("id"))[:2]
    async with in_transaction():
        role = await _role(company_id, first, "Backend engineer", RoleStatus.OPEN, team, now)
        paused = await _role(company_id, first, "Product designer", RoleStatus.PAUSED, team[:1], now)
        stage = await CustomStage.create(company_id=company_id, name=CUSTOM_STAGE, position=1)
        tags = [await PipelineTag.create(company_id=company_id, name=name) for name in TAGS]
        interviews = await Interview.filter(company_id=company_id).order_by("id")
        await Interview.filter(company_id=company_id).update(role_id=role.pk)
        rows = 4 + len(tags) + len(team) + 1
        plans: list[tuple[int, list[Step]]] = []
        for index, interview in enumerate(interviews):
            steps = HELD if index == 2 else AFTER_INTERVIEW.get(interview.status, [])
            plans.append((interview.candidate_id, steps))
        taken = [candidate_id for candidate_id, _ in plans]
        others = await Profile.filter(
            visibility=Visibility.PUBLIC, user_id__gt=first.pk, anonymous=False
        ).exclude(user_id__in=taken).order_by("id").limit(len(OTHERS) + 2)
        for profile, (steps, status) in zip(others, OTHERS, strict=False):
            if status is not None:
                rows += await _conversation(company_id, first, profile.user_id, status, now)
            plans.append((profile.user_id, steps))
        for n, (candidate_id, steps) in enumerate(plans):
            rows += await _entry(role, candidate_id, steps, stage, team[n % len(team)], now - timedelta(days=20 - n))
        for entry_index, entry in enumerate(await PipelineEntry.filter(role_id=role.pk).order_by("id")):
            rows += await _team_work(entry, entry_index, team, tags)
        for profile in others[len(OTHERS):]:
            rows += await _entry(paused, profile.user_id, [], stage, first, now - timedelta(days=30))
    return rows


async def _role(company_id: int, owner: User, title: str, status: RoleStatus, team: list[User], now: datetime) -> Role:
    role = await Role.create(
        company_id=company_id, owner_id=owner.pk, title=title, status=status, headcount=2,
        description=f"We are hiring a {title.lower()} for the platform team. Demo data.",
        location="Berlin or remote (EU)", salary_min=70_000, salary_max=90_000, salary_currency="EUR",
        salary_period=SalaryPeriod.YEAR, created_at=now - timedelta(days=30),
    )
    for member in team:
        await RoleMember.create(role_id=role.pk, user_id=member.pk)
    return role


async def _conversation(company_id: int, employer: User, candidate_id: int, status: ConversationStatus, now: datetime) -> int:
    """The conversation a CONTACTED (or declined) entry implies."""
    conversation = await Conversation.create(
        company_id=company_id, candidate_id=candidate_id, started_by_id=employer.pk, status=status,
        role_title="Backend engineer", salary_min=70_000, salary_max=90_000, salary_currency="EUR",
        salary_period=SalaryPeriod.YEAR, responded_at=now if status != ConversationStatus.REQUESTED else None,
    )
    await post_system_message(conversation, "Contact request for Backend engineer (EUR 70,000–90,000 a year).")
    if status == ConversationStatus.DECLINED:
        await post_system_message(conversation, "The candidate declined the contact request.")
    return 2 + (status == ConversationStatus.DECLINED)


async def _entry(
    role: Role, candidate_id: int, steps: list[Step], custom: CustomStage, actor: User, created: datetime,
) -> int:
    """An entry that ``actor`` added at SOURCED and that moved through ``steps``, a day
    apart, with its history as the API writes it (automatic moves carry a trigger and no
    actor)."""
    start = S.SOURCED
    when = created
    reason: str | None = "Added to the pipeline."
    entry = await PipelineEntry.create(
        role_id=role.pk, company_id=role.company_id, candidate_id=candidate_id, stage=start, added_by_id=actor.pk,
        created_at=when, stage_changed_at=when,
    )
    moves = [PipelineMove(entry_id=entry.pk, from_stage=None, to_stage=start, actor_id=actor.pk, reason=reason, created_at=when)]
    stage, custom_id = start, None
    for step in steps:
        when += timedelta(days=1)
        to_custom = custom.pk if step.to == S.CUSTOM else None
        reason = step.reason or (DEFAULT_REASON[step.trigger] if step.trigger else None)
        moves.append(PipelineMove(
            entry_id=entry.pk, from_stage=stage, from_custom_stage_id=custom_id, to_stage=step.to,
            to_custom_stage_id=to_custom, actor_id=None if step.trigger else actor.pk,
            trigger=step.trigger.value if step.trigger else None, reason=reason, created_at=when,
        ))
        stage, custom_id = step.to, to_custom
    await PipelineMove.bulk_create(moves)
    await PipelineEntry.filter(id=entry.pk).update(
        stage=stage, custom_stage_id=custom_id, version=len(moves), stage_changed_at=when,
        stage_reason=reason if len(moves) > 1 else None,
    )
    return 1 + len(moves)


async def _team_work(entry: PipelineEntry, index: int, team: list[User], tags: list[PipelineTag]) -> int:
    """Notes (one or two, by colleagues in turn), two tags, and ratings past the interview."""
    rows = 0
    for k in range(1 + index % 2):
        await PipelineNote.create(entry_id=entry.pk, author_id=team[(index + k) % len(team)].pk, body=NOTES[(index + k) % len(NOTES)])
        rows += 1
    for k in (0, 2):
        await PipelineEntryTag.create(entry_id=entry.pk, tag_id=tags[(index + k) % len(tags)].pk)
        rows += 1
    if entry.stage in (S.INTERVIEWING, S.CUSTOM):
        for k, member in enumerate(team):
            await PipelineRating.create(
                entry_id=entry.pk, author_id=member.pk, score=3 + (index + k) % 2,
                recommendation=(Recommendation.YES, Recommendation.STRONG_YES)[(index + k) % 2],
            )
            rows += 1
    return rows
