"""Reports in exportMyData and deleteMyAccount: a reporter exports what they filed and
deleting the account takes their name and comment off it (the filing still counts); a
reported sender who deletes the account cannot erase the evidence of an open report, and
its snapshot goes once the report is resolved."""

from __future__ import annotations

from graph.settings import Settings
from models.safety import Report, ReportFiling
from tests.factories.chat import pk, start_chat
from tests.factories.safety import make_moderator, queue, report, resolve
from tests.graphql import GraphQLClient

EXPORT = "{ exportMyData }"
DELETE = "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { userErrors { code } } }"
REPLY = "Send me your IBAN, I will pay you back double."


async def test_export_and_deletion_of_reports(gql: GraphQLClient, settings: Settings) -> None:
    # given: a candidate whose message an employer reports, and a candidate who reports a company
    chat = await start_chat(gql, accept=True)
    sent = await gql.mutate(
        "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } userErrors { code } } }",
        {"conversationId": chat.conversation_id, "body": REPLY}, token=chat.candidate.token,
    )
    await report(gql, chat.employer, sent["message"]["id"], "SCAM", comment="Asks for money")
    reporter = chat.candidate
    filed = (await report(gql, reporter, chat.employer.company_id or "", "SPAM", comment="Mine"))["report"]
    # when: the reporter exports her data
    document = (await gql.execute(EXPORT, token=reporter.token))["exportMyData"]
    # then: her filing is there, nobody else's
    assert [(r["reason"], r["comment"], r["status"]) for r in document["reportsFiled"]] == [("SPAM", "Mine", "OPEN")]
    assert document["suspensions"] == []
    # when: she deletes her account
    await gql.mutate(DELETE, {"confirm": True}, token=reporter.token)
    # then: her filing stays, without her and her comment
    filing = await ReportFiling.get(id=pk(filed["id"]))
    assert filing.reporter_id is None and filing.comment is None
    # and: the report about her message keeps its snapshot while open…
    message_report = await Report.get(target_id=pk(sent["message"]["id"]))
    assert message_report.snapshot["body"] == REPLY
    # …and loses it once resolved
    moderator = await make_moderator(settings, gql)
    case = next(c for c in await queue(gql, moderator) if c["targetKind"] == "MESSAGE")
    await resolve(gql, moderator, case["id"], "DISMISS")
    assert (await Report.get(id=message_report.pk)).snapshot == {"erased": True}
