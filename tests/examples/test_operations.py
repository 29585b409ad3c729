"""The example operations (examples/operations) are valid against schema.graphql and open
in GraphiQL, ready to run. Fast: no node, no subprocess."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from graphql import OperationDefinitionNode, build_schema, parse, validate

from graph.graphiql import EXAMPLE_VARIABLES, EXAMPLES, example_document, with_examples
from tests.examples.server import REPO

SIGN_UP_FROM_GRAPHIQL = """
mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }
"""


def operation_names() -> list[str]:
    document = parse(example_document() or "")
    return [d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name]


def test_example_operations_are_valid_against_the_committed_schema() -> None:
    # given
    schema = build_schema((REPO / "schema.graphql").read_text())
    document = parse(example_document() or "")
    # when
    errors = validate(schema, document)
    # then
    assert errors == []
    assert {
        "SignUp", "LogIn", "Viewer", "LogOut",
        "UpdateMyProfile", "AddSkill", "ConfirmAvailability", "MyProfile",
        "SearchCandidates",
        "StartConversation", "RespondToContact", "SendMessage", "Conversations", "MessageAdded",
        "ExtendOffer", "CounterOffer", "ReviseOffer", "AcceptOffer",
    } <= set(operation_names())


async def test_graphiql_opens_with_the_example_operations(http: httpx.AsyncClient) -> None:
    # when
    response = await http.get("/graphql", headers={"accept": "text/html"})
    # then: the page's starting document is ours, with SignUp's variables
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    literal = re.search(r"const EXAMPLE_QUERY = (\".*?\");\n", response.text)
    assert literal, "GraphiQL page has no EXAMPLE_QUERY constant"
    assert json.loads(literal.group(1)) == example_document()
    for name in operation_names():
        assert re.search(rf"(query|mutation|subscription) {name}\b", json.loads(literal.group(1)))
    assert "parameters.variables || EXAMPLE_VARIABLES" in response.text


async def test_graphiql_variables_sign_up_for_real(http: httpx.AsyncClient) -> None:
    # when: a visitor runs SignUp with the variables GraphiQL offers
    response = await http.post("/graphql", json={"query": SIGN_UP_FROM_GRAPHIQL, "variables": EXAMPLE_VARIABLES})
    # then
    payload = response.json()["data"]["signUp"]
    assert payload["userErrors"] == [] and payload["token"]
    from models.accounts import User

    assert await User.filter(email="ada@example.com").count() == 1


def test_without_examples_the_page_is_unchanged(tmp_path: Path) -> None:
    html = "<script>const EXAMPLE_QUERY = `# hi`;\nReact.useState(parameters.variables,)</script>"
    assert example_document(tmp_path) is None
    assert with_examples(html, None) == html


def test_a_script_end_tag_in_the_document_cannot_close_the_page() -> None:
    html = "const EXAMPLE_QUERY = `x`;\nparameters.variables,"
    assert "</script>" not in with_examples(html, "# </script><script>alert(1)</script>")


def test_examples_folder_is_the_one_the_clients_use() -> None:
    assert EXAMPLES == REPO / "examples" / "operations"
    assert "../operations" in (REPO / "examples" / "python" / "pyproject.toml").read_text()
    assert "../operations/*.graphql" in (REPO / "examples" / "typescript" / "codegen.yml").read_text()
