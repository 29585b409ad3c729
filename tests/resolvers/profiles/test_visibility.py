"""resolvers/profiles/visibility.py on its own: whose identity a viewer may see is one rule,
answered alike for one person (``identity_visible``, a name reached alone) and for a
page of them at once (``identities_visible`` / ``stamp_identities``, a page's endorsers)."""

from __future__ import annotations

from datetime import datetime, timezone

from models.accounts import User
from models.profiles import Block, Profile
from resolvers.ids import parse_global_id
from resolvers.loading import Loaders
from resolvers.profiles.visibility import identities_visible, identity_visible, prefetched_identity, stamp_identities
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.profiles import accept_contact, make_profile
from tests.graphql import GraphQLClient


async def _user(actor_id: str) -> User:
    return await User.get(id=parse_global_id(actor_id)[1])


async def test_one_person_and_a_page_of_people_get_the_same_answer(gql: GraphQLClient) -> None:
    # given: an employer looking at everyone the rule tells apart
    employer = await make_employer(gql, email="hr@watcher.test")
    colleague = await make_employer(gql, email="cto@watcher.test")
    public = await make_profile(gql, visibility="PUBLIC")
    hidden = await make_profile(gql, visibility="HIDDEN")
    anonymous = await make_profile(gql, visibility="EMPLOYERS", anonymous=True)
    accepted = await make_profile(gql, visibility="EMPLOYERS", anonymous=True)
    blocking = await make_profile(gql, visibility="PUBLIC")
    deleted = await make_profile(gql, visibility="HIDDEN")
    no_profile = await make_candidate(gql)
    await accept_contact(accepted, employer)
    await Block.create(profile_id=blocking.profile_pk, domain="watcher.test")
    await User.filter(id=deleted.user_pk).update(deleted_at=datetime.now(timezone.utc))
    await Profile.filter(user_id=parse_global_id(no_profile.id)[1]).delete()
    viewer = await _user(employer.id)
    cases = {
        "the viewer": (viewer, True),
        "an employer": (await _user(colleague.id), True),
        "a public candidate": (await _user(public.actor.id), True),
        "a hidden candidate": (await _user(hidden.actor.id), False),
        "an anonymous candidate": (await _user(anonymous.actor.id), False),
        "an anonymous candidate who accepted": (await _user(accepted.actor.id), True),
        "a candidate who blocks the company": (await _user(blocking.actor.id), False),
        "a deleted account": (await _user(deleted.actor.id), True),
        "a candidate without a profile": (await _user(no_profile.id), False),
    }
    people = [person for person, _ in cases.values()]
    expected = {name: visible for name, (_, visible) in cases.items()}
    # when
    alone = {name: await identity_visible(Loaders(), viewer, person) for name, (person, _) in cases.items()}
    page = dict(zip(cases, await identities_visible(Loaders(), viewer, people, whole_batch=True), strict=True))
    await stamp_identities(Loaders(), viewer, people, whole_batch=True)
    stamped = {name: prefetched_identity(person) for name, (person, _) in cases.items()}
    # then: the same answers on both paths; the page stamps only the people a rule applies to
    assert alone == expected
    assert page == expected
    plain = {"the viewer", "an employer", "a deleted account"}
    assert stamped == {name: None if name in plain else visible for name, visible in expected.items()}
