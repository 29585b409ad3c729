"""Demo interviews: the first company's employers in accepted conversations with a few
public candidates, one interview in each state a team meets on first start — proposed,
scheduled, held (with feedback) and cancelled. Written through the ORM after the bulk
rows (ids from the sequences), with the system messages the API would have posted."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.chat import Conversation, ConversationStatus
from models.interviews import (
    Interview,
    InterviewAssignment,
    InterviewFeedback,
    InterviewKind,
    InterviewStatus,
    Recommendation,
)
from models.profiles import Profile, SalaryPeriod, Visibility
from resolvers.chat import post_system_message

STATES = (InterviewStatus.PROPOSED, InterviewStatus.SCHEDULED, InterviewStatus.SCHEDULED, InterviewStatus.CANCELLED)


async def seed_interviews(now: datetime) -> int:
    """Create up to four conversations with one interview each; returns the rows written."""
    first = await User.filter(role=Role.EMPLOYER).order_by("id").first()
    if first is None or first.company_id is None:
        return 0
    team = await User.filter(company_id=first.company_id, role=Role.EMPLOYER).order_by("id")
    # Seeding again adds people: the demo conversations go to public profiles the company has none with.
    talked_to = Conversation.filter(company_id=first.company_id).values("candidate_id")
    profiles = await Profile.filter(visibility=Visibility.PUBLIC).exclude(user_id__in=Subquery(talked_to)).order_by("id").limit(len(STATES))
    rows = 0
    for index, (profile, status) in enumerate(zip(profiles, STATES, strict=False)):
        held = index == 2  # the second scheduled interview took place yesterday
        base = (now + timedelta(days=3 + index) if not held else now - timedelta(days=1)).replace(minute=0, second=0)
        async with in_transaction():
            conversation = await Conversation.create(
                company_id=first.company_id, candidate_id=profile.user_id, started_by_id=first.pk,
                status=ConversationStatus.ACCEPTED, role_title="Backend engineer", salary_min=70_000,
                salary_max=90_000, salary_currency="EUR", salary_period=SalaryPeriod.YEAR, responded_at=now,
            )
            await post_system_message(conversation, "The candidate accepted the contact request.")
            slots = [base + timedelta(days=d, hours=h) for d, h in ((0, 0), (0, 2), (1, 0))]
            picked = status != InterviewStatus.PROPOSED
            interview = await Interview.create(
                conversation_id=conversation.pk, company_id=first.company_id, candidate_id=profile.user_id,
                proposed_by_id=first.pk, kind=(InterviewKind.VIDEO, InterviewKind.ONSITE)[index % 2],
                duration_minutes=45, url="https://meet.example.org/demo" if index % 2 == 0 else None,
                location="Main office, 3rd floor" if index % 2 else None, status=status,
                slots=[s.isoformat() for s in slots], starts_at=slots[0] if picked else None,
                ends_at=slots[0] + timedelta(minutes=45) if picked else None, expires_at=now + timedelta(days=14),
                cancel_reason="The role was paused." if status == InterviewStatus.CANCELLED else None,
            )
            booked = status == InterviewStatus.SCHEDULED
            for member in team[:2]:
                await InterviewAssignment.create(
                    interview_id=interview.pk, interviewer_id=member.pk,
                    starts_at=interview.starts_at if booked else None, ends_at=interview.ends_at if booked else None,
                )
            await post_system_message(conversation, f"Interview proposed ({interview.kind.value.lower()}, 45 minutes): pick one of 3 slots.")
            if held:
                await InterviewFeedback.create(
                    interview_id=interview.pk, author_id=first.pk, rating=3, recommendation=Recommendation.YES,
                    notes="Clear on trade-offs; follow up on system design.",
                )
                rows += 1
            rows += 3 + min(len(team), 2)
    return rows
