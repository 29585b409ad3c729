"""GraphiQL in a real headless Chromium with no outside network: a new visitor signs up,
puts the token in the headers, runs Viewer and hears a chat message arrive.

The browser is Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs
it on CI), driven by playwright's Python package over the DevTools protocol; playwright's
own browser downloads are not used. Outside network is cut twice: every host name except
127.0.0.1 resolves to nothing (``--host-resolver-rules``) and every non-loopback request
goes to a proxy on a port where nothing listens. Screenshots go to the test's tmp folder
and to ``.artifacts/`` (ignored by git); their paths are printed.

Without chromium the test is skipped with the install command as reason, except on CI
(``CI=true``), where it fails: CI must run it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright

from tests.examples.server import REPO, live_server
from tests.mailbox import folder_code

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / ".artifacts"
OFFLINE_FLAGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",  # the discard port: nothing listens, so it refuses
]
TIMEOUT_MS = 20_000

MAKE_VISIBLE = "mutation { updateMyProfile(input: {visibility: EMPLOYERS}) { userErrors { code } } }"
CONFIRM_EMAIL = "mutation($code: String!) { confirmEmail(input: {code: $code}) { userErrors { code message } } }"
EMPLOYER_SIGN_UP = """mutation { signUp(input: {email: "hr@harbor.example", password: "correct horse battery",
  displayName: "Harbor HR", role: EMPLOYER, companyName: "Harbor"}) { token userErrors { code } } }"""
START = """mutation($input: StartConversationInput!) {
  startConversation(input: $input) { message { id body } userErrors { code message } } }"""
FIRST_MESSAGE = "Hello Ada, would you like to talk about a data role?"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    reason = "Debian's chromium is not installed (apt-get install -y chromium; or set CHROMIUM=/path)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser test")
    pytest.skip(reason)


def result_text(page: Page) -> str:
    return page.evaluate("document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()")


def run_operation(page: Page, name: str) -> None:
    page.click(".graphiql-execute-button")
    page.get_by_role("menuitem", name=name, exact=True).click()


def wait_for_result(page: Page, pattern: str) -> dict:
    page.wait_for_function(
        "pattern => new RegExp(pattern).test("
        "document.querySelector('.result-window .CodeMirror').CodeMirror.getValue())",
        arg=pattern,
        timeout=TIMEOUT_MS,
    )
    return json.loads(result_text(page))


def save_screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(path, ARTIFACTS / name)
    print(f"screenshot: {path} (copy: {ARTIFACTS / name})")
    return path


def test_graphiql_works_offline_sign_up_viewer_and_a_live_message(tmp_path: Path) -> None:
    executable = chromium_path()
    with live_server(tmp_path) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=OFFLINE_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            problems: list[str] = []
            requested: list[str] = []
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in {"error", "warning"} else None)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("request", lambda request: requested.append(request.url))

            # given: the browser cannot reach the outside world
            outside = browser.new_page()
            with pytest.raises(Exception, match="ERR_"):
                outside.goto("https://unpkg.com/react@18.2.0/umd/react.production.min.js", timeout=TIMEOUT_MS)
            outside.close()

            # when: a visitor opens GraphiQL and runs SignUp with the variables it offers
            page.goto(server.url, timeout=TIMEOUT_MS)
            page.wait_for_selector(".graphiql-execute-button", timeout=TIMEOUT_MS)
            run_operation(page, "SignUp")
            signed_up = wait_for_result(page, r'"token"')["data"]["signUp"]
            assert signed_up["userErrors"] == [] and signed_up["token"]
            token = signed_up["token"]

            # and puts the token in the headers, then runs Viewer
            page.get_by_role("button", name="Headers", exact=True).click()
            page.click(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror")
            page.keyboard.insert_text(json.dumps({"Authorization": f"Bearer {token}"}))
            run_operation(page, "Viewer")
            viewer = wait_for_result(page, r'"viewer": \{')["data"]["viewer"]

            # then: the page shows who they are
            assert viewer["email"] == "ada@example.com" and viewer["role"] == "CANDIDATE"
            save_screenshot(page, tmp_path, "graphiql-viewer.png")

            # when: they subscribe to MessageAdded and an employer contacts them
            run_operation(page, "MessageAdded")
            page.wait_for_selector(".graphiql-execute-button[aria-label^='Stop']", timeout=TIMEOUT_MS)
            with httpx.Client(timeout=10) as http:
                ada = {"authorization": f"Bearer {token}"}
                assert http.post(server.url, json={"query": MAKE_VISIBLE}, headers=ada).json()["data"]["updateMyProfile"]["userErrors"] == []
                employer = http.post(server.url, json={"query": EMPLOYER_SIGN_UP}).json()["data"]["signUp"]["token"]
                # the employer confirms the email with the code from the mail, as a newcomer does
                with ThreadPoolExecutor(1) as mail_reader:  # playwright's loop runs in this thread
                    code = mail_reader.submit(asyncio.run, folder_code("hr@harbor.example")).result()
                confirmed = http.post(server.url, json={"query": CONFIRM_EMAIL, "variables": {"code": code}},
                                      headers={"authorization": f"Bearer {employer}"}).json()
                assert confirmed["data"]["confirmEmail"]["userErrors"] == [], confirmed
                started = http.post(server.url, json={"query": START, "variables": {"input": {
                    "candidateId": viewer["id"], "roleTitle": "Data engineer", "message": FIRST_MESSAGE,
                    "salaryRange": {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"},
                }}}, headers={"authorization": f"Bearer {employer}"}).json()["data"]["startConversation"]
                assert started["userErrors"] == []

            # then: the event appears in the page
            event = wait_for_result(page, re.escape(FIRST_MESSAGE))["data"]["messageAdded"]
            assert event["id"] == started["message"]["id"] and event["body"] == FIRST_MESSAGE
            save_screenshot(page, tmp_path, "graphiql-message-added.png")

            # and nothing was asked of any host but the service, nothing failed, CSP was kept
            assert all(url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:")) for url in requested), requested
            assert problems == [], "\n".join(problems)
        finally:
            browser.close()
