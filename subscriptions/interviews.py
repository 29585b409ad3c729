"""``interviewUpdated``: interview events of the viewer's side, authorised per event.

A candidate listens on her own interview channel, an employer on their company's; both on
their auth channel through ``guarded`` so a revoked token ends the stream. Each event
carries an interview id only: the interview is re-read and the viewer's access re-checked
(a user who left the company, a company the candidate blocked since, a deleted account
get nothing more). Feedback events go to the company's channel only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.accounts import User
from models.interviews import Interview
from resolvers.accounts import Session
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.events import auth_channel, candidate_interviews_channel, company_interviews_channel
from resolvers.interviews import InterviewChange, interview_for
from subscriptions.accounts import guarded
from subscriptions.broker import Broker


def viewer_interview_channel(viewer: User) -> str:
    if viewer.is_candidate:
        return candidate_interviews_channel(viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        return company_interviews_channel(viewer.company_id)
    raise Forbidden("Only candidates and employers have interviews.")


async def interview_updates(broker: Broker, session: Session) -> AsyncIterator[tuple[InterviewChange, Interview]]:
    channel = viewer_interview_channel(session.user)
    async with broker.subscribe(channel, auth_channel(session.user.pk)) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") != "interview":
                continue  # RESYNC and the like: interview events are not replayed
            viewer = await User.get_or_none(id=session.user.pk, deleted_at=None)
            if viewer is None:
                raise Unauthenticated("Your account no longer exists.")
            interview = await interview_for(broker, viewer, int(event["interviewId"]))
            if interview is None:
                continue
            yield InterviewChange(event["change"]), interview
