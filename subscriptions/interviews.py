"""``interviewUpdated``: interview events of the viewer's side, authorised per event.

The stream and its per-event checks are ``subscriptions.parties.party_stream``: a
candidate hears her own interview channel, an employer their company's; a revoked token
ends the stream; each event's interview is re-read and the viewer's access re-checked
(a user who left the company, a company the candidate blocked since, a deleted account
get nothing more). Feedback events go to the company's channel only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.interviews import Interview
from resolvers.accounts import Session
from resolvers.events import candidate_interviews_channel, company_interviews_channel
from resolvers.interviews import InterviewChange, interview_for
from subscriptions.broker import Broker
from subscriptions.parties import PartyEvents, party_stream

INTERVIEW_EVENTS = PartyEvents(
    what="interviews", event_type="interview", id_key="interviewId", change=InterviewChange,
    candidate_channel=candidate_interviews_channel, company_channel=company_interviews_channel,
)


def interview_updates(broker: Broker, session: Session) -> AsyncIterator[tuple[InterviewChange, Interview]]:
    return party_stream(broker, session, INTERVIEW_EVENTS, lambda viewer, pk: interview_for(broker, viewer, pk))
