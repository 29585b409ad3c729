"""Subdomains and the contact quota (issue 14, Build 2 and 4), from bare sign-ups:

- a subdomain belongs to its parent domain's company: a confirmed sign-up there becomes a
  join request, never a company of its own;
- unless the company says otherwise: then the subdomain may verify a company of its own,
  but the two share one weekly contact quota, so a new company does not reset it;
- a colleague who signed up (and made a company) before the domain was claimed asks to
  join the verified company when she confirms, instead of staying in a second one.
"""

from __future__ import annotations

import pytest

from graph.settings import Settings
from models.accounts import Company, JoinRequest, User
from models.audit import AuditEntry
from tests.conftest import base_settings
from tests.factories.accounts import PASSWORD, SIGN_UP, confirm_email, make_employer
from tests.factories.chat import START, make_reachable_candidate, pk, start_input
from tests.graphql import GraphQLClient

WEEKLY = 2
SETTINGS = """
mutation($input: UpdateCompanySettingsInput!) { updateCompanySettings(input: $input) { userErrors { code } } }
"""
VIEWER = "{ viewer { company { id verified domain } joinRequest { status company { id } } } }"
JOIN_REQUESTS = "{ joinRequests { edges { node { id } } } }"
ACCEPT = "mutation($input: JoinRequestInput!) { acceptJoinRequest(input: $input) { joinRequest { status } userErrors { code } } }"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, contact_requests_per_week=WEEKLY)


async def sign_up_and_confirm(gql: GraphQLClient, email: str, company: str) -> str:
    payload = await gql.mutate(SIGN_UP, {
        "email": email, "password": PASSWORD, "displayName": "Jo", "role": "EMPLOYER", "companyName": company,
    })
    await confirm_email(gql, payload["token"], email)
    return str(payload["token"])


async def test_a_subdomain_joins_its_parent_company_by_default(gql: GraphQLClient) -> None:
    # given: a company verified at acme.test
    acme = await make_employer(gql, email="hr@acme.test", company_name="Acme")
    # when: someone at eu.acme.test signs up naming a company, and confirms
    token = await sign_up_and_confirm(gql, "jobs@eu.acme.test", "Acme Europe")
    # then: a join request to Acme, and no second company
    viewer = (await gql.execute(VIEWER, token=token))["viewer"]
    assert viewer["company"] is None
    assert viewer["joinRequest"] == {"status": "PENDING", "company": {"id": acme.company_id}}
    assert await Company.all().count() == 1 and await JoinRequest.all().count() == 1


async def test_a_subdomain_company_shares_the_parent_domains_contact_quota(gql: GraphQLClient) -> None:
    # given: Acme, verified at acme.test, says its subdomains are not its own
    acme = await make_employer(gql, email="hr@acme.test", company_name="Acme")
    await gql.mutate(SETTINGS, {"includesSubdomains": False}, token=acme.token)
    # when: someone at eu.acme.test signs up naming a company, and confirms
    token = await sign_up_and_confirm(gql, "jobs@eu.acme.test", "Acme Europe")
    # then: a company of its own, verified at the subdomain
    company = (await gql.execute(VIEWER, token=token))["viewer"]["company"]
    assert (company["verified"], company["domain"]) == (True, "eu.acme.test")
    assert company["id"] != acme.company_id
    # when: Acme uses the weekly quota
    for _ in range(WEEKLY):
        await gql.mutate(START, start_input(await make_reachable_candidate(gql)), token=acme.token)
    # then: the new company on its subdomain has no fresh quota
    refused = await gql.mutate(START, start_input(await make_reachable_candidate(gql)), token=token, ok=False)
    assert [e["code"] for e in refused["userErrors"]] == ["CONTACT_QUOTA_EXCEEDED"]
    # and: a company at another domain keeps its own
    other = await make_employer(gql, email="hr@globex.test", company_name="Globex")
    await gql.mutate(START, start_input(await make_reachable_candidate(gql)), token=other.token)
    assert (await Company.get(id=pk(other.company_id or ""))).verified


async def test_a_colleague_who_signed_up_before_the_domain_was_claimed_asks_to_join_on_confirming(
    gql: GraphQLClient,
) -> None:
    # given: two people at acme.test sign up, each naming a company, before either confirms
    first = await gql.mutate(SIGN_UP, {
        "email": "hr@acme.test", "password": PASSWORD, "displayName": "Hana", "role": "EMPLOYER", "companyName": "Acme",
    })
    second = await gql.mutate(SIGN_UP, {
        "email": "dev@acme.test", "password": PASSWORD, "displayName": "Dev", "role": "EMPLOYER", "companyName": "Acme Corp",
    })
    stopgap = second["viewer"]["company"]["id"]
    # when: the first confirms (Acme is verified at acme.test), then the second
    await confirm_email(gql, first["token"], "hr@acme.test")
    await confirm_email(gql, second["token"], "dev@acme.test")
    # then: the second's company stays unverified, and she asks to join Acme
    viewer = (await gql.execute(VIEWER, token=second["token"]))["viewer"]
    acme = first["viewer"]["company"]["id"]
    assert viewer["company"] == {"id": stopgap, "verified": False, "domain": None}
    assert viewer["joinRequest"] == {"status": "PENDING", "company": {"id": acme}}
    # when: Acme's admin accepts
    [request] = (await gql.execute(JOIN_REQUESTS, token=first["token"]))["joinRequests"]["edges"]
    await gql.mutate(ACCEPT, {"joinRequestId": request["node"]["id"]}, token=first["token"])
    # then: she works in Acme from her next request, and the company she made first has nobody left
    assert (await gql.execute(VIEWER, token=second["token"]))["viewer"]["company"]["id"] == acme
    assert await User.filter(company_id=pk(stopgap)).count() == 0
    assert await AuditEntry.filter(company_id=pk(stopgap), action="member.left").count() == 1
