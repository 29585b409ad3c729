"""The candidate's salary floor holds in every currency and period, for first contacts and
offers (issue 12, item 7), with rates that ship with the project and a command to update
them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from graph.cli import main
from models.chat import Conversation
from models.offers import Offer
from resolvers.money import parse_ecb, shipped_rates
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.chat import START
from tests.factories.offers import COUNTER_OFFER, EXTEND_OFFER, REVISE_OFFER, extend, make_accepted_conversation, terms
from tests.factories.profiles import UPDATE_MY_PROFILE
from tests.graphql import GraphQLClient

FLOOR = {"desiredSalaryMin": 100_000, "desiredSalaryCurrency": "EUR", "desiredSalaryPeriod": "YEAR"}


async def _candidate_with_floor(gql: GraphQLClient) -> Actor:
    """A new candidate who states what she needs, as she would in the app."""
    candidate = await make_candidate(gql)
    await gql.mutate(UPDATE_MY_PROFILE, {"visibility": "EMPLOYERS", **FLOOR}, token=candidate.token)
    return candidate


async def _contact(gql: GraphQLClient, employer: Actor, candidate: Actor, low: int, high: int, currency: str, period: str) -> dict[str, Any]:
    salary = {"min": low, "max": high, "currency": currency, "period": period}
    data = await gql.execute(
        START,
        {"input": {"candidateId": candidate.id, "roleTitle": "Engineer", "salaryRange": salary, "message": "Hello!"}},
        token=employer.token,
    )
    return data["startConversation"]


@pytest.mark.parametrize(
    ("low", "high", "currency", "period"),
    [(1, 1, "USD", "YEAR"), (1, 1, "JPY", "HOUR"), (60_000, 99_999, "EUR", "YEAR"), (50, 50, "USD", "HOUR")],
)
async def test_a_first_contact_below_the_floor_is_refused_in_any_currency(
    gql: GraphQLClient, low: int, high: int, currency: str, period: str
) -> None:
    # given: a candidate who signed up and asked for at least 100,000 EUR a year
    candidate = await _candidate_with_floor(gql)
    employer = await make_employer(gql)
    # when
    payload = await _contact(gql, employer, candidate, low, high, currency, period)
    # then: refused, saying which rate it compared with
    assert [e["code"] for e in payload["userErrors"]] == ["BELOW_CANDIDATE_FLOOR"]
    if currency != "EUR":
        assert f"1 EUR = {shipped_rates().rate(currency)} {currency}" in payload["userErrors"][0]["message"]
        assert "2024-11-25" in payload["userErrors"][0]["message"]
    assert await Conversation.all().count() == 0


@pytest.mark.parametrize(
    ("low", "high", "currency", "period"),
    [(100_000, 120_000, "EUR", "YEAR"), (100_000, 110_000, "USD", "YEAR"), (9_000, 9_000, "EUR", "MONTH")],
)
async def test_a_first_contact_at_or_above_the_floor_goes_through(
    gql: GraphQLClient, low: int, high: int, currency: str, period: str
) -> None:
    candidate = await _candidate_with_floor(gql)
    payload = await _contact(gql, await make_employer(gql), candidate, low, high, currency, period)
    assert payload["userErrors"] == []
    assert payload["conversation"]["status"] == "REQUESTED"


async def test_a_currency_without_a_reference_rate_is_refused_with_its_own_code(gql: GraphQLClient) -> None:
    # given: NGN is an ISO 4217 code the ECB publishes no reference rate for
    candidate = await _candidate_with_floor(gql)
    # when
    payload = await _contact(gql, await make_employer(gql), candidate, 90_000_000, 100_000_000, "NGN", "YEAR")
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["NO_EXCHANGE_RATE"]
    assert "NGN" in payload["userErrors"][0]["message"]


async def test_a_range_wider_than_twice_its_minimum_is_refused(gql: GraphQLClient) -> None:
    candidate = await _candidate_with_floor(gql)
    payload = await _contact(gql, await make_employer(gql), candidate, 50_000, 150_000, "EUR", "YEAR")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("RANGE_TOO_WIDE", ["input", "salaryRange", "max"])]


@pytest.mark.parametrize(
    "salary",
    [{"amount": 1, "currency": "EUR", "period": "YEAR"}, {"amount": 1, "currency": "USD", "period": "HOUR"}],
)
async def test_an_offer_below_the_floor_is_refused(gql: GraphQLClient, salary: dict[str, Any]) -> None:
    # given: an accepted conversation with a candidate who needs 100,000 EUR a year
    candidate = await _candidate_with_floor(gql)
    employer = await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    # when
    data = await gql.execute(
        EXTEND_OFFER, {"input": {"conversationId": conversation_id, "terms": terms(salary=salary)}}, token=employer.token
    )
    # then
    errors = data["extendOffer"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [("BELOW_CANDIDATE_FLOOR", ["input", "terms", "salary", "amount"])]
    assert await Offer.all().count() == 0


async def test_a_revision_below_the_floor_is_refused_but_the_candidate_may_counter_freely(gql: GraphQLClient) -> None:
    # given: a SENT offer at the floor
    candidate = await _candidate_with_floor(gql)
    employer = await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    offer = await extend(gql, employer, conversation_id, salary={"amount": 100_000, "currency": "EUR", "period": "YEAR"})
    # when: the company revises it down to 1 USD an hour
    low = {"amount": 1, "currency": "USD", "period": "HOUR"}
    revised = await gql.execute(REVISE_OFFER, {"input": {"offerId": offer["id"], "terms": {"salary": low}}}, token=employer.token)
    # then
    assert [e["code"] for e in revised["reviseOffer"]["userErrors"]] == ["BELOW_CANDIDATE_FLOOR"]
    # and the candidate's own counter is hers to make, even below her stated floor
    mine = {"amount": 95_000, "currency": "EUR", "period": "YEAR"}
    countered = await gql.mutate(COUNTER_OFFER, {"offerId": offer["id"], "terms": {"salary": mine}}, token=candidate.token)
    assert countered["offer"]["status"] == "COUNTERED"


# --- The shipped rates and the update command -------------------------------------------

DAILY_CSV = (
    "Date, USD, JPY, GBP, \n"
    "03 June 2021, 1.2187, 133.81, 0.85955, \n"
)
HISTORY_CSV = "Date,USD,JPY,HRK,\n2021-06-03,1.2187,133.81,N/A,\n2021-06-02,1.2225,134.02,7.5,\n"
DAILY_XML = """<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube><Cube time='2021-06-03'><Cube currency='USD' rate='1.2187'/><Cube currency='JPY' rate='133.81'/></Cube></Cube>
</gesmes:Envelope>
"""


def test_the_shipped_rates_are_dated_ecb_rates() -> None:
    rates = shipped_rates()
    text = Path("resolvers/data/eurofxref.csv").read_text()
    assert "European Central Bank" in text and "Reference date: 25 November 2024" in text
    assert rates.day.isoformat() == "2024-11-25"
    assert rates.rate("USD") == Decimal("1.0495") and rates.rate("EUR") == 1
    assert len(rates.per_euro) == 30


@pytest.mark.parametrize(("text", "day"), [(DAILY_CSV, "2021-06-03"), (HISTORY_CSV, "2021-06-03"), (DAILY_XML, "2021-06-03")])
def test_ecb_csv_and_xml_files_are_read(text: str, day: str) -> None:
    rates = parse_ecb(text)
    assert rates.day.isoformat() == day
    assert rates.rate("USD") == Decimal("1.2187")
    assert "HRK" not in rates.per_euro  # N/A in the newest row


def test_update_rates_command_writes_a_file_the_service_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given: an ECB XML file
    source = tmp_path / "eurofxref-daily.xml"
    source.write_text(DAILY_XML)
    target = tmp_path / "eurofxref.csv"
    # when
    code = main(["update-rates", "--file", str(source), "--output", str(target)])
    # then
    assert code == 0
    assert "2 ECB reference rates of 2021-06-03" in capsys.readouterr().out
    written = parse_ecb(target.read_text())
    assert written.day.isoformat() == "2021-06-03" and written.rate("JPY") == Decimal("133.81")
    assert "European Central Bank" in target.read_text()


def test_update_rates_command_refuses_a_file_that_is_not_ecb_rates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "nonsense.csv"
    source.write_text("hello, world\n1, 2\n")
    target = tmp_path / "eurofxref.csv"
    assert main(["update-rates", "--file", str(source), "--output", str(target)]) == 1
    assert "could not update the exchange rates" in capsys.readouterr().err
    assert not target.exists()
