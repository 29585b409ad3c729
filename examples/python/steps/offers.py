"""A versioned offer: extend, counter, revise, accept naming the version; the candidate is
then HIRED and gone from search (../operations/offers.graphql)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from openforwork_client import (
    AcceptOfferInput,
    CounterOfferInput,
    ExtendOfferInput,
    OfferFields,
    OfferSalaryInput,
    OfferStatus,
    OfferTermsChangeInput,
    OfferTermsInput,
    OpenToWork,
    RemotePreference,
    ReviseOfferInput,
    SalaryPeriod,
    UserErrorCode,
    UserErrorFields,
)
from steps.search import search
from world import Steps, World, check, need, no_user_errors

steps = Steps()


def eur(amount: int) -> OfferSalaryInput:
    return OfferSalaryInput(amount=amount, currency="EUR", period=SalaryPeriod.YEAR)


def offer_of(offer: OfferFields | None, errors: Sequence[UserErrorFields]) -> OfferFields:
    no_user_errors(errors)
    return need(offer, "offer")


def describe(offer: OfferFields) -> str:
    terms = offer.current_version
    remote = terms.remote_preference.value if terms.remote_preference else None
    return (
        f"{offer.status.value} v{offer.version_number} by {terms.author_side.value}: "
        f"{terms.salary.amount} {terms.salary.currency}, {remote}"
    )


@steps("extendOffer")
async def extend_offer(world: World) -> str:
    terms = OfferTermsInput(
        title="Senior Backend Engineer",
        salary=eur(95000),
        remote_preference=RemotePreference.HYBRID,
        location="Berlin",
        expires_at=datetime.now(timezone.utc) + timedelta(days=7),
    )
    async with world.client(need(world.employer, "employer").token) as client:
        result = (
            await client.extend_offer(ExtendOfferInput(conversation_id=need(world.conversation_id, "conversationId"), terms=terms))
        ).extend_offer
    offer = offer_of(result.offer, result.user_errors)
    check(offer.status == OfferStatus.SENT and offer.version_number == 1, describe(offer))
    world.offer_id = offer.id
    return describe(offer)


@steps("counterOffer")
async def counter_offer(world: World) -> str:
    change = OfferTermsChangeInput(salary=eur(105000), remote_preference=RemotePreference.REMOTE)
    async with world.client(need(world.candidate, "candidate").token) as client:
        result = (
            await client.counter_offer(CounterOfferInput(offer_id=need(world.offer_id, "offerId"), version_number=1, terms=change))
        ).counter_offer
    offer = offer_of(result.offer, result.user_errors)
    changed = ",".join(field.value for field in offer.current_version.changed_fields)
    check(
        offer.status == OfferStatus.COUNTERED and offer.version_number == 2 and changed == "SALARY_AMOUNT,REMOTE_PREFERENCE",
        f"{describe(offer)} {changed}",
    )
    return f"{describe(offer)}; changed {changed}"


@steps("reviseOffer")
async def revise_offer(world: World) -> str:
    change = OfferTermsChangeInput(salary=eur(102000), remote_preference=RemotePreference.HYBRID)
    async with world.client(need(world.employer, "employer").token) as client:
        result = (
            await client.revise_offer(ReviseOfferInput(offer_id=need(world.offer_id, "offerId"), version_number=2, terms=change))
        ).revise_offer
    offer = offer_of(result.offer, result.user_errors)
    check(offer.status == OfferStatus.SENT and offer.version_number == 3, describe(offer))
    return describe(offer)


@steps("acceptOffer naming an old version")
async def accept_stale_version(world: World) -> str:
    async with world.client(need(world.candidate, "candidate").token) as client:
        result = (await client.accept_offer(AcceptOfferInput(offer_id=need(world.offer_id, "offerId"), version_number=2))).accept_offer
    codes = [error.code for error in result.user_errors]
    check(result.offer is None and codes == [UserErrorCode.STALE_VERSION], f"acceptOffer {result}")
    return ",".join(code.value for code in codes)


@steps("acceptOffer with versionNumber")
async def accept_offer(world: World) -> str:
    async with world.client(need(world.candidate, "candidate").token) as client:
        result = (await client.accept_offer(AcceptOfferInput(offer_id=need(world.offer_id, "offerId"), version_number=3))).accept_offer
    offer = offer_of(result.offer, result.user_errors)
    history = " ".join(f"{v.number}:{v.author_side.value}" for v in need(result.offer, "offer").versions)
    check(offer.status == OfferStatus.ACCEPTED and history == "1:COMPANY 2:CANDIDATE 3:COMPANY", f"{describe(offer)} {history}")
    return f"{describe(offer)}; versions {history}"


@steps("candidate is HIRED")
async def candidate_is_hired(world: World) -> str:
    async with world.client(need(world.candidate, "candidate").token) as client:
        profile = (await client.my_profile()).my_profile
    check(profile.open_to_work == OpenToWork.HIRED, f"openToWork {profile.open_to_work}")
    return profile.open_to_work.value


@steps("a new search no longer finds her")
async def search_no_longer_finds_her(world: World) -> str:
    page = await search(world, first=20)
    ids = [edge.node.profile_id for edge in page.edges]
    check(page.total_count == 1 and ids == [world.other_profile_id], f"found {ids}")
    return f"totalCount {page.total_count} (the other candidate)"
