"""resolvers/profiles/access.py on its own: batching and the access-log deduplication. (The
visibility matrix through the real app is tests/graph/profiles/test_profiles_privacy.py.)"""

from __future__ import annotations

from models.accounts import Company, User
from models.profiles import AccessKind, AccessLogEntry, Block, Profile, Visibility
from resolvers.ids import parse_global_id
from resolvers.profiles import access as privacy
from tests.factories.accounts import make_employer
from tests.factories.profiles import accept_contact, make_profile
from tests.graphql import GraphQLClient


async def test_profile_access_many_keeps_order_and_applies_every_rule(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql, email="hr@watcher.test")
    public = await make_profile(gql, visibility="PUBLIC")
    hidden = await make_profile(gql, visibility="HIDDEN")
    anonymous = await make_profile(gql, visibility="EMPLOYERS", anonymous=True)
    accepted = await make_profile(gql, visibility="EMPLOYERS", anonymous=True)
    blocked = await make_profile(gql, visibility="PUBLIC")
    await accept_contact(accepted, employer)
    await Block.create(profile_id=blocked.profile_pk, domain="watcher.test")
    user = await User.get(id=parse_global_id(employer.id)[1])
    viewer = await privacy.viewer_info(user)
    profiles = [await Profile.get(id=c.profile_pk) for c in (public, hidden, anonymous, accepted, blocked)]
    # when
    accesses = await privacy.profile_access_many(viewer, profiles)
    # then
    assert [a.visible for a in accesses] == [True, False, True, True, False]
    assert [a.identity for a in accesses] == [True, False, False, True, False]
    assert [a.references for a in accesses] == [False, False, False, True, False]
    browsable = await privacy.browsable_profiles(viewer).values_list("id", flat=True)
    assert set(browsable) == {public.profile_pk, anonymous.profile_pk, accepted.profile_pk}


async def test_viewer_info_reads_the_company_fresh_every_time(gql: GraphQLClient) -> None:
    """``viewer_info`` runs a statement compiled once (``_company_by_id``): the company it
    hands out is the row as it is now, field for field, never one remembered."""
    # given: an employer of an unverified company
    employer = await make_employer(gql)
    user = await User.get(id=parse_global_id(employer.id)[1])
    assert user.company_id is not None
    await Company.filter(id=user.company_id).update(verified=False, domain=None)
    before = await privacy.viewer_info(user)
    assert before.company is not None and before.company.pk == user.company_id
    assert not before.is_verified_employer and before.company_domain is None
    # when: the company is verified at its domain
    await Company.filter(id=user.company_id).update(verified=True, domain="Fresh.test")
    # then: the next viewer sees it, and reads every field as the ORM does
    after = await privacy.viewer_info(user)
    assert after.is_verified_employer and after.company_domain == "fresh.test"
    fresh = await Company.get(id=user.company_id)
    assert after.company is not None
    columns = Company._meta.fields_db_projection
    assert {f: getattr(after.company, f) for f in columns} == {f: getattr(fresh, f) for f in columns}
    # no such company: none
    assert await privacy._company_by_id(user.company_id + 1000) is None


async def test_record_access_many_deduplicates_within_the_window(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    candidate = await make_profile(gql, visibility="EMPLOYERS")
    company = await Company.get(id=parse_global_id(employer.company_id)[1])  # type: ignore[arg-type]  # an employer always has a company
    event = privacy.AccessEvent(candidate.profile_pk, company.pk, None, AccessKind.VIEW)
    reveal = privacy.AccessEvent(candidate.profile_pk, company.pk, None, AccessKind.REFERENCES_REVEALED)
    # when
    first = await privacy.record_access_many([event, event, reveal])
    second = await privacy.record_access_many([event])
    # then
    assert first == [True, False, True] and second == [False]
    assert await AccessLogEntry.all().count() == 2


async def test_non_employers_browse_nothing(gql: GraphQLClient) -> None:
    await make_profile(gql, visibility="PUBLIC")
    viewer = privacy.ViewerInfo(user=None)
    assert await privacy.browsable_profiles(viewer).count() == 0
    assert await Profile.filter(visibility=Visibility.PUBLIC).count() == 1
