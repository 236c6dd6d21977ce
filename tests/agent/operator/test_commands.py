"""Offline chat commands: typed text maps to exact tool requests, or to a reply that says why not."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent.operator.commands import (
    COMMAND_HELP,
    TOOL_NAMES,
    Reply,
    ToolRequest,
    parse_command,
)


def request(text: str) -> ToolRequest:
    result = parse_command(text)
    assert isinstance(result, ToolRequest), f"{text!r} gave {result!r}"
    return result


def reply(text: str) -> str:
    result = parse_command(text)
    assert isinstance(result, Reply), f"{text!r} gave {result!r}"
    return result.text


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        # list_campaigns
        ("campaigns", "list_campaigns", {}),
        ("  Campaigns  ", "list_campaigns", {}),
        ("list campaigns", "list_campaigns", {}),
        ("show campaigns", "list_campaigns", {}),
        ("campaigns?", "list_campaigns", {}),
        # create_campaign
        ("new campaign q1.yaml", "create_campaign", {"path": "q1.yaml"}),
        ("create campaign from ~/c/q1.json", "create_campaign", {"path": "~/c/q1.json"}),
        (
            'new campaign "my files/q1.yaml" as "Q1 launch"',
            "create_campaign",
            {"path": "my files/q1.yaml", "name": "Q1 launch"},
        ),
        (
            "add campaign q1.yaml named Q1  launch",
            "create_campaign",
            {"path": "q1.yaml", "name": "Q1 launch"},
        ),
        # campaign_analytics
        ("analytics Q1", "campaign_analytics", {"campaign": "Q1"}),
        ("stats Q1", "campaign_analytics", {"campaign": "Q1"}),
        ("ab Q1", "campaign_analytics", {"campaign": "Q1"}),
        ("AB q1", "campaign_analytics", {"campaign": "q1"}),
        ("a/b Q1", "campaign_analytics", {"campaign": "Q1"}),
        ("analytics 3", "campaign_analytics", {"campaign": "3"}),
        ("analytics #3", "campaign_analytics", {"campaign": "3"}),
        ('analytics "Q1 launch"', "campaign_analytics", {"campaign": "Q1 launch"}),
        ("analytics 'Q1 launch'", "campaign_analytics", {"campaign": "Q1 launch"}),
        ("analytics “Q1 launch”", "campaign_analytics", {"campaign": "Q1 launch"}),
        ("analytics Q1 launch", "campaign_analytics", {"campaign": "Q1 launch"}),
        ("analytics   Q1    launch  ", "campaign_analytics", {"campaign": "Q1 launch"}),
        ("analytics for Q1", "campaign_analytics", {"campaign": "Q1"}),
        ("stats for campaign Q1 launch", "campaign_analytics", {"campaign": "Q1 launch"}),
        # list_leads
        ("leads", "list_leads", {}),
        ("leads Q1", "list_leads", {"campaign": "Q1"}),
        ("leads in Q1", "list_leads", {"campaign": "Q1"}),
        ("leads for campaign Q1", "list_leads", {"campaign": "Q1"}),
        ("leads status queued", "list_leads", {"status": "queued"}),
        ("leads Status QUEUED", "list_leads", {"status": "queued"}),
        (
            "leads Q1 status sent limit 50",
            "list_leads",
            {"campaign": "Q1", "status": "sent", "limit": 50},
        ),
        ("leads limit 5", "list_leads", {"limit": 5}),
        ("leads status=sent limit=10", "list_leads", {"status": "sent", "limit": 10}),
        (
            'leads "Q1 launch" status sent',
            "list_leads",
            {"campaign": "Q1 launch", "status": "sent"},
        ),
        ("leads in Q1 launch limit 3", "list_leads", {"campaign": "Q1 launch", "limit": 3}),
        ("list leads Q1", "list_leads", {"campaign": "Q1"}),
        # show_lead
        ("lead 5", "show_lead", {"lead_id": 5}),
        ("lead #5", "show_lead", {"lead_id": 5}),
        ("facts 5", "show_lead", {"lead_id": 5}),
        ("facts for lead 5", "show_lead", {"lead_id": 5}),
        ("show lead 5", "show_lead", {"lead_id": 5}),
        ("SHOW   LEAD   5", "show_lead", {"lead_id": 5}),
        # hook_evidence
        ("evidence 5 hook 2", "hook_evidence", {"lead_id": 5, "hook": 2}),
        ("hook 5 2", "hook_evidence", {"lead_id": 5, "hook": 2}),
        ("evidence lead 5 hook 2", "hook_evidence", {"lead_id": 5, "hook": 2}),
        ("evidence for lead #5 hook #2", "hook_evidence", {"lead_id": 5, "hook": 2}),
        ("evidence 5, 2", "hook_evidence", {"lead_id": 5, "hook": 2}),
        ("hook 2 of lead 5", "hook_evidence", {"lead_id": 5, "hook": 2}),
        # import_leads
        ("import leads.csv", "import_leads", {"path": "leads.csv"}),
        ('import "my leads.csv"', "import_leads", {"path": "my leads.csv"}),
        ("import leads from data/x.csv", "import_leads", {"path": "data/x.csv"}),
        ("import from data/x.csv", "import_leads", {"path": "data/x.csv"}),
        ("import leads data/x.csv", "import_leads", {"path": "data/x.csv"}),
        ("load C:\\data\\x.csv", "import_leads", {"path": "C:\\data\\x.csv"}),
        ("import my leads.csv", "import_leads", {"path": "my leads.csv"}),
        # run_leads
        ("run 1 2 3 in Q1", "run_leads", {"lead_ids": [1, 2, 3], "campaign": "Q1"}),
        ("research 1,2,3 for Q1", "run_leads", {"lead_ids": [1, 2, 3], "campaign": "Q1"}),
        ("run leads 4 5 campaign Q1", "run_leads", {"lead_ids": [4, 5], "campaign": "Q1"}),
        ("run #1, #2 and #3 in Q1", "run_leads", {"lead_ids": [1, 2, 3], "campaign": "Q1"}),
        ("run 1 , 2 ,3 in Q1", "run_leads", {"lead_ids": [1, 2, 3], "campaign": "Q1"}),
        ("run 4-6 9 in Q1", "run_leads", {"lead_ids": [4, 5, 6, 9], "campaign": "Q1"}),
        ("run 2 2 1 in Q1", "run_leads", {"lead_ids": [2, 1], "campaign": "Q1"}),
        ("run 7 in 3", "run_leads", {"lead_ids": [7], "campaign": "3"}),
        ("run 7 in campaign Q1", "run_leads", {"lead_ids": [7], "campaign": "Q1"}),
        ('run 1 2 in "Q1 launch"', "run_leads", {"lead_ids": [1, 2], "campaign": "Q1 launch"}),
        ("run 1 2 for Q1 launch", "run_leads", {"lead_ids": [1, 2], "campaign": "Q1 launch"}),
        # review_queue
        ("queue", "review_queue", {}),
        ("review", "review_queue", {}),
        ("queue Q1", "review_queue", {"campaign": "Q1"}),
        ("review queue Q1", "review_queue", {"campaign": "Q1"}),
        ("review queue", "review_queue", {}),
        ("queue for Q1 launch", "review_queue", {"campaign": "Q1 launch"}),
        ("pending", "review_queue", {}),
        # show_message
        ("show 12", "show_message", {"message_id": 12}),
        ("message 12", "show_message", {"message_id": 12}),
        ("show message 12", "show_message", {"message_id": 12}),
        ("show #12", "show_message", {"message_id": 12}),
        ("view 12.", "show_message", {"message_id": 12}),
        # explain_decision
        ("explain 7", "explain_decision", {"message_id": 7}),
        ("why 7", "explain_decision", {"message_id": 7}),
        ("why was 7 queued", "explain_decision", {"message_id": 7}),
        ("why was message #7 rejected?", "explain_decision", {"message_id": 7}),
        ("explain message 7", "explain_decision", {"message_id": 7}),
        # approve_message
        ("approve 12", "approve_message", {"message_id": 12}),
        ("approve 12 variant 2", "approve_message", {"message_id": 12, "variant": 2}),
        ("approve 12 v2", "approve_message", {"message_id": 12, "variant": 2}),
        ("approve 12 V 3", "approve_message", {"message_id": 12, "variant": 3}),
        ("approve 12 friendly", "approve_message", {"message_id": 12, "variant": "friendly"}),
        ("approve 12 FRIENDLY", "approve_message", {"message_id": 12, "variant": "friendly"}),
        ("approve #12 with variant 2", "approve_message", {"message_id": 12, "variant": 2}),
        (
            "approve 12 with the direct one",
            "approve_message",
            {"message_id": 12, "variant": "direct"},
        ),
        (
            "approve 12 variant professional",
            "approve_message",
            {"message_id": 12, "variant": "professional"},
        ),
        ("approve 12 variant two", "approve_message", {"message_id": 12, "variant": 2}),
        ("approve message 12 variant 1", "approve_message", {"message_id": 12, "variant": 1}),
        ("accept 12", "approve_message", {"message_id": 12}),
        # edit_message
        ("edit 12: new text", "edit_message", {"message_id": 12, "body": "new text"}),
        (
            "edit 12 variant 2: new text...",
            "edit_message",
            {"message_id": 12, "body": "new text...", "variant": 2},
        ),
        (
            "edit 12 friendly: text",
            "edit_message",
            {"message_id": 12, "body": "text", "variant": "friendly"},
        ),
        (
            'edit 12 subject "Quick idea": Hi Dana',
            "edit_message",
            {"message_id": 12, "body": "Hi Dana", "subject": "Quick idea"},
        ),
        (
            'edit 12 variant 2 subject "Re: your launch": Hi: Dana',
            "edit_message",
            {"message_id": 12, "body": "Hi: Dana", "variant": 2, "subject": "Re: your launch"},
        ),
        (
            'edit #12 subject "Quick idea" v3: Hi',
            "edit_message",
            {"message_id": 12, "body": "Hi", "variant": 3, "subject": "Quick idea"},
        ),
        (
            "edit 12 subject Quick idea: Hi",
            "edit_message",
            {"message_id": 12, "body": "Hi", "subject": "Quick idea"},
        ),
        (
            "edit 12: time: 3pm works",
            "edit_message",
            {"message_id": 12, "body": "time: 3pm works"},
        ),
        # reject_message
        (
            "reject 12 because not a fit",
            "reject_message",
            {"message_id": 12, "reason": "not a fit"},
        ),
        ("reject 12 not a fit", "reject_message", {"message_id": 12, "reason": "not a fit"}),
        (
            "reject 12: wrong persona",
            "reject_message",
            {"message_id": 12, "reason": "wrong persona"},
        ),
        ("reject #12 - spammy tone", "reject_message", {"message_id": 12, "reason": "spammy tone"}),
        ("decline 12 reason: too long", "reject_message", {"message_id": 12, "reason": "too long"}),
        # regenerate_message
        (
            "regenerate 12 make it shorter",
            "regenerate_message",
            {"message_id": 12, "instruction": "make it shorter"},
        ),
        (
            "rewrite 12: mention the Series B",
            "regenerate_message",
            {"message_id": 12, "instruction": "mention the Series B"},
        ),
        (
            "regen #12 - drop the joke",
            "regenerate_message",
            {"message_id": 12, "instruction": "drop the joke"},
        ),
        # send_campaign
        ("send Q1", "send_campaign", {"campaign": "Q1"}),
        ("send campaign Q1", "send_campaign", {"campaign": "Q1"}),
        ('send "Q1 launch"', "send_campaign", {"campaign": "Q1 launch"}),
        ("send 3", "send_campaign", {"campaign": "3"}),
        # delete_lead
        ("delete lead 5", "delete_lead", {"lead_id": 5}),
        ("erase 5", "delete_lead", {"lead_id": 5}),
        ("forget lead 5", "delete_lead", {"lead_id": 5}),
        ("erase lead #5", "delete_lead", {"lead_id": 5}),
        ("remove lead 5", "delete_lead", {"lead_id": 5}),
        # a leading slash is tolerated
        ("/approve 12", "approve_message", {"message_id": 12}),
    ],
)
def test_command_maps_to_exact_tool_request(text: str, tool: str, args: dict[str, Any]) -> None:
    assert parse_command(text) == ToolRequest(tool, args)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("leads", {"campaign", "status", "limit"}),
        ("leads Q1", {"status", "limit"}),
        ("leads status sent", {"campaign", "limit"}),
        ("queue", {"campaign"}),
        ("approve 12", {"variant"}),
        ("edit 12: hi", {"variant", "subject"}),
        ("edit 12 v1: hi", {"subject"}),
    ],
)
def test_omitted_optional_arguments_are_absent(text: str, absent: set[str]) -> None:
    args = request(text).args
    assert not absent & args.keys()
    assert None not in args.values()


def test_edit_body_keeps_several_lines_and_strips_outer_whitespace() -> None:
    text = "edit 12 variant 2:\n  Hi Dana,\n\nSaw the Series B: congrats.\n\nBest,\nSam  \n\n"

    assert request(text).args == {
        "message_id": 12,
        "variant": 2,
        "body": "Hi Dana,\n\nSaw the Series B: congrats.\n\nBest,\nSam",
    }


def test_edit_body_may_start_on_the_next_line_without_a_colon() -> None:
    assert request("edit 12\nHi Dana,\nQuick note: hello").args == {
        "message_id": 12,
        "body": "Hi Dana,\nQuick note: hello",
    }


def test_tool_requests_are_json_serializable() -> None:
    for text in ("run 1-3 in Q1", 'edit 12 friendly subject "S": b', "leads Q1 limit 2"):
        args = request(text).args
        assert json.loads(json.dumps(args)) == args


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # missing ids and names
        ("approve", "approve needs a message id, e.g. `approve 12 variant 2`"),
        ("approve abc", "approve needs a message id"),
        ("show", "show needs a message id"),
        ("show Q1", "show needs a message id"),
        ("why", "why needs a message id"),
        ("lead", "lead needs a lead id"),
        ("analytics", "analytics needs a campaign"),
        ("send", "send needs a campaign"),
        ("import", "import needs the path of a CSV file"),
        ("new campaign", "new campaign needs the path of a campaign file"),
        ('new campaign q1.yaml as ""', "new campaign needs a name after `as`"),
        ("import leads", "import leads needs the path"),
        ("evidence 5", "evidence needs a lead id and a hook number"),
        ("hook", "hook needs a lead id and a hook number"),
        # run: ids and campaign
        ("run 1 2 3", "needs a campaign"),
        ("run 1 2 3 in", "needs a campaign"),
        ("run in Q1", "run needs lead ids"),
        ("run", "run needs lead ids"),
        ("run 1 2 3 Q1", "`in` and a campaign"),
        ("run 0 1 in Q1", "lead id must be a positive whole number"),
        ("run 5-3 in Q1", "runs backwards"),
        ("run 1-5000 in Q1", "at most 1000 leads"),
        # invalid ids
        ("approve 0", "message id must be a positive whole number below 2,147,483,648"),
        ("approve -3", "message id must be a positive whole number"),
        ("approve 2147483648", "below 2,147,483,648"),
        ("approve 1.5", "message id must be a positive whole number"),
        ("show lead 0", "lead id must be a positive whole number"),
        ("erase 99999999999", "lead id must be a positive whole number"),
        ("approve " + "9" * 5000, "message id must be a positive whole number"),
        ("hook 5 " + "9" * 5000, "hooks count from 1"),
        ("leads limit " + "9" * 5000, "limit must be a positive whole number"),
        ("approve 12 variant " + "9" * 5000, "variant must be 1, 2 or 3"),
        ("approve 12 variant ²", "variant must be 1, 2 or 3"),
        ("hook 5 0", "hooks count from 1"),
        # variants
        ("approve 12 variant 4", "variant must be 1, 2 or 3, not 4"),
        ("approve 12 v0", "variant must be 1, 2 or 3, not 0"),
        ("approve 12 variant casual", "variant must be 1, 2 or 3, or a tone"),
        ("approve 12 casual", 'could not read "casual"'),
        ("approve 12 13", "takes one message id"),
        ("edit 12 variant 9: text", "variant must be 1, 2 or 3"),
        # edit
        ("edit 12", "needs the new text after a colon"),
        ("edit 12 friendly:", "needs the new text after a colon"),
        ("edit 12:   \n  ", "needs the new text after a colon"),
        ("edit: hello", "edit needs a message id"),
        ("edit 12 please: text", 'could not read "please" before the colon'),
        ('edit 12 subject "": text', "subject is empty"),
        ('edit 12 subject "unclosed: text', "quote is never closed"),
        # reject / regenerate
        ("reject 12", "reject needs a reason, e.g. `reject 12 because"),
        ("reject 12 because", "reject needs a reason"),
        ("reject 12:", "reject needs a reason"),
        ("regenerate 12", "regenerate needs an instruction"),
        ("rewrite 12 :", "rewrite needs an instruction"),
        # leads options
        ("leads status", "`status` needs a value"),
        ("leads limit", "`limit` needs a value"),
        ("leads limit ten", "limit must be a positive whole number"),
        ("leads limit 0", "limit must be a positive whole number"),
        ("leads limit 500", "limit must be a positive whole number up to 200"),
        # extra text, unsafe shortcuts
        ("campaigns Q1", "campaigns takes no arguments"),
        ("show 12 variant 2", "show did not expect"),
        ("lead 5 6", "lead did not expect"),
        ("delete 5", "needs the word `lead`"),
        ("remove 5", "needs the word `lead`"),
        ("send message 12", "takes a campaign name or id, not a message"),
    ],
)
def test_bad_arguments_get_a_reply_naming_the_problem(text: str, expected: str) -> None:
    assert expected in reply(text)


@pytest.mark.parametrize(
    "text",
    ["approve 12 variant 4", "run 0 in Q1", "leads status", "approve 0", "hook 5 0"],
)
def test_problem_replies_name_the_command(text: str) -> None:
    assert reply(text).startswith(text.split()[0])


@pytest.mark.parametrize("text", ["help", "HELP", "?", "commands", "/help", "  /help  ", "/?"])
def test_help_words_return_the_command_help(text: str) -> None:
    assert reply(text) == COMMAND_HELP


def test_help_with_a_command_word_shows_that_command() -> None:
    text = reply("help approve")

    assert "approve 12 variant 2" in text
    assert "send Q1" not in text
    assert "help" in text


def test_help_with_an_unknown_topic_shows_everything() -> None:
    assert reply("help me please") == COMMAND_HELP


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "/"])
def test_empty_input_asks_for_a_command(text: str) -> None:
    text = reply(text)
    assert "command" in text
    assert "help" in text


@pytest.mark.parametrize(
    "text",
    [
        "please approve the message to Dana",
        "what's in the queue?",
        "hello",
        "52",
        "showme 12",
        "approval 12",
        "/quit",
    ],
)
def test_unknown_input_explains_the_model_endpoint_and_help(text: str) -> None:
    answer = reply(text)

    assert "not understand" in answer
    assert "OUTREACH_LLM_PROVIDER=openai" in answer
    assert "OUTREACH_LLM_BASE_URL" in answer
    assert "OUTREACH_LLM_API_KEY" in answer
    assert "`help`" in answer
    assert "approve 12" in answer  # example commands


def test_unknown_input_is_quoted_briefly() -> None:
    answer = reply("tell me " + "everything " * 50)

    assert '"tell me everything' in answer
    assert len(answer.splitlines()[0]) < 400
    assert "…" in answer


def test_tool_names_are_exactly_the_tools_in_order() -> None:
    assert TOOL_NAMES == (
        "list_campaigns",
        "create_campaign",
        "campaign_analytics",
        "list_leads",
        "show_lead",
        "hook_evidence",
        "import_leads",
        "run_leads",
        "review_queue",
        "show_message",
        "explain_decision",
        "approve_message",
        "edit_message",
        "reject_message",
        "regenerate_message",
        "send_campaign",
        "delete_lead",
    )


@pytest.mark.parametrize(
    ("tool", "word"),
    [
        ("list_campaigns", "campaigns"),
        ("create_campaign", "new campaign"),
        ("campaign_analytics", "analytics"),
        ("list_leads", "leads"),
        ("show_lead", "lead 5"),
        ("hook_evidence", "evidence"),
        ("import_leads", "import"),
        ("run_leads", "run"),
        ("review_queue", "queue"),
        ("show_message", "show"),
        ("explain_decision", "why"),
        ("approve_message", "approve"),
        ("edit_message", "edit"),
        ("reject_message", "reject"),
        ("regenerate_message", "regenerate"),
        ("send_campaign", "send"),
        ("delete_lead", "delete lead"),
    ],
)
def test_command_help_mentions_every_tools_command_word(tool: str, word: str) -> None:
    assert tool in TOOL_NAMES
    assert word in COMMAND_HELP


def test_every_help_example_parses_to_a_tool_request() -> None:
    examples = [
        line.split("  ")[1].strip() for line in COMMAND_HELP.splitlines() if line.startswith("  ")
    ]
    results = [parse_command(example) for example in examples]
    tools = {result.tool for result in results if isinstance(result, ToolRequest)}

    assert tools == set(TOOL_NAMES)
    assert "help" in examples
    assert parse_command("help") == Reply(COMMAND_HELP)
