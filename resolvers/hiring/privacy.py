"""The candidate's privacy inside the team's own work.

**Anonymous stays anonymous.** While a candidate is anonymous to the company (her profile
is anonymous and she has not accepted the company's contact request —
``resolvers.profiles.access``, the one rule), a note or a tag on her entry may not carry
what the platform knows identifies her: her name, her handle, her email address or its
local part (INVALID, "would store her identity"). What this cannot prevent, and why:
free text can describe a person in ways no filter recognises ("the speaker from last
week's meetup", a phone number learned elsewhere); the platform only knows, and so only
blocks, the identity it holds. The rest is the team's responsibility — notes are the
company's data, seen by its members only, and erased when she deletes her account.

**Leaving.** Block, hire elsewhere and deletion withdraw her open entries and detach her
from them (``automation``); deletion also erases what the teams wrote about her
(``erase_candidate``: notes, ratings, the reasons of her entries' moves).
"""

from __future__ import annotations

from models.accounts import User
from models.hiring import PipelineEntry, PipelineMove, PipelineNote, PipelineRating
from models.profiles import Profile
from resolvers.errors import UserErrorCode, UserErrors
from resolvers.hiring.automation import advance_everywhere
from resolvers.hiring.events import PipelineChange
from resolvers.hiring.stages import PipelineTrigger
from resolvers.profiles.access import accepted_candidate_ids

MIN_MATCH_LENGTH = 3


async def identity_hidden_from_company(company_id: int, candidate_id: int | None) -> bool:
    """True when the company may not see who the candidate is (anonymous, not accepted)."""
    if candidate_id is None:
        return False
    profile = await Profile.get_or_none(user_id=candidate_id)
    if profile is None or not profile.anonymous:
        return False
    return candidate_id not in await accepted_candidate_ids(company_id, [candidate_id])


def _identifiers(candidate: User, profile: Profile | None) -> list[str]:
    found = [candidate.display_name, candidate.email, candidate.email.split("@", 1)[0]]
    if profile is not None and profile.handle:
        found.append(profile.handle)
    return [value.casefold() for value in found if value and len(value.strip()) >= MIN_MATCH_LENGTH]


async def refuse_identity(entry: PipelineEntry, value: str, field: str) -> None:
    """INVALID when ``value`` names the entry's anonymous candidate (see the module)."""
    if not await identity_hidden_from_company(entry.company_id, entry.candidate_id):
        return
    candidate = await User.get(id=entry.candidate_id)
    profile = await Profile.get_or_none(user_id=candidate.pk)
    folded = value.casefold()
    if any(identifier in folded for identifier in _identifiers(candidate, profile)):
        raise UserErrors.single(
            UserErrorCode.INVALID,
            "This would store the identity of a candidate who is anonymous to your company; "
            "it is revealed when she accepts your contact request.",
            [field],
        )


async def erase_candidate(candidate_id: int) -> list[PipelineChange]:
    """Inside the account deletion's transaction: what every team wrote about her goes
    (notes, ratings, the reasons of her entries' moves), her open entries become WITHDRAWN,
    and every entry of hers — closed ones too — is detached from her. Returns the moves
    to publish after commit."""
    entry_ids = [entry_id for (entry_id,) in await PipelineEntry.filter(candidate_id=candidate_id).values_list("id")]
    if not entry_ids:
        return []
    await PipelineNote.filter(entry_id__in=entry_ids).delete()
    await PipelineRating.filter(entry_id__in=entry_ids).delete()
    await PipelineMove.filter(entry_id__in=entry_ids).update(reason=None)
    await PipelineEntry.filter(id__in=entry_ids).update(stage_reason=None)
    changes = await advance_everywhere(PipelineTrigger.CANDIDATE_DELETED, candidate_id=candidate_id)
    await PipelineEntry.filter(id__in=entry_ids).update(candidate_id=None)
    return changes
