"""The audit trail reads in Chinese: every action the code records has a name, states are
named by their own model, and work done by no user in no request is the system's."""

import ast
import re
from pathlib import Path

import pytest
from django.test import RequestFactory

from keyprojects.audit.context import current_request
from keyprojects.audit.domain import event, record
from keyprojects.audit.exports import ACTIONS_BY_TARGET, action_label, describe
from keyprojects.audit.models import Event
from keyprojects.core.clock import now
from keyprojects.selection.models import FormalCheck, SimilarityRun

from .. import factories

SRC = Path(__file__).resolve().parents[2] / "src" / "keyprojects"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def recorded_actions() -> set[str]:
    """The action codes written literally in record(...) and event(...) calls."""
    actions = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"record": 1, "event": 2}.get(name)
            if position is None:
                continue
            values = [node.args[position]] if len(node.args) > position else []
            values += [k.value for k in node.keywords if k.arg == "action"]
            actions |= {v.value for v in values if isinstance(v, ast.Constant)}
    return actions


def test_every_action_the_code_records_has_a_chinese_name():
    actions = recorded_actions()
    assert {"formal_check", "submit_to_province", "second_factor_setup"} <= actions
    # and those chosen in a variable before they are recorded
    actions |= {"mark", "unmark", "edit", "comment", "revise_comment", "open", "close", "reopen"}
    targets = [*ACTIONS_BY_TARGET, "any.target"]  # the steps a target names itself, or generic

    def named(action):
        return any(CHINESE.search(action_label(target, action)) for target in targets)

    assert sorted(a for a in actions if not named(a)) == []


@pytest.mark.django_db
def test_states_are_named_by_the_model_they_belong_to(call, regions):
    office = factories.make_office()
    run = SimilarityRun.objects.create(call=call, requested_by=office, requested_at=now())
    shown = describe(record(run, "compute", actor=office, from_state="running", to_state="done"))
    assert (shown["action"], shown["from_state"], shown["to_state"]) == (
        "相似度计算",
        "计算中",
        "已完成",
    )
    check = Event(target_type=FormalCheck._meta.label_lower, action="formal_check", to_state="fail")
    assert describe(check)["to_state"] == "不通过"
    assert describe(check)["action"] == "形式审查"


@pytest.mark.django_db
def test_work_done_outside_any_request_by_nobody_is_the_systems(regions):
    made = event("orgs.organisation", "1", "compute")
    assert made.role == "system"
    assert describe(made)["role"] == "系统（后台任务）"
    # an anonymous visitor is someone in a request
    token = current_request.set(RequestFactory().post("/accounts/login/"))
    try:
        assert event("auth.user", "x", "login_failed").role == "anonymous"
    finally:
        current_request.reset(token)
