"""`flask --app screening evaluate`: the same rules as the pages, from a file or standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from screening import create_app
from tests.helpers import complete_questionnaire, submit, worked_example

ROOT = Path(__file__).resolve().parent.parent


def run_evaluate(runner, doc, *args):
    return runner.invoke(
        args=["evaluate", "-", "--as-of", "2026-11-21", *args], input=json.dumps(doc)
    )


def test_worked_example_gives_the_specified_flags_and_scores(runner):
    result = run_evaluate(runner, worked_example())
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert list(output) == ["rules_version", "flags", "scores"]
    assert output["rules_version"] == "1"
    assert [(f["id"], f["level"]) for f in output["flags"]] == [
        ("off_label", "info"),
        ("cost_concern", "info"),
    ]
    assert output["scores"] == {
        "phq9": {"total": 10, "band": "moderate"},
        "gad7": {"total": 10, "band": "moderate"},
        "pcl5": None,
        "ybocs_reported": {"score": 27, "band": "severe"},
    }
    cost = output["flags"][1]
    assert list(cost) == ["id", "level", "title", "detail", "evidence", "sources", "patient_text"]
    assert cost["evidence"] == [{"path": "practical.cost_concern", "value": "some"}]


def test_pages_and_evaluate_agree(app, client, runner):
    complete_questionnaire(client, worked_example())
    submit(client)
    from screening.extensions import db
    from screening.models import Submission

    with app.app_context():
        submission = db.session.scalars(db.select(Submission)).one()
        stored = {"flags": submission.flags, "scores": submission.scores}
    result = runner.invoke(args=["evaluate", "-"], input=json.dumps(worked_example()))
    output = json.loads(result.stdout)
    assert output["flags"] == stored["flags"]
    assert output["scores"] == stored["scores"]


def test_as_of_sets_the_date_for_age(runner):
    doc = worked_example()
    doc["about"]["date_of_birth"] = "2008-11-22"
    before = json.loads(run_evaluate(runner, doc).stdout)
    assert "under_18" in [f["id"] for f in before["flags"]]
    result = runner.invoke(args=["evaluate", "-", "--as-of", "2026-11-22"], input=json.dumps(doc))
    assert "under_18" not in [f["id"] for f in json.loads(result.stdout)["flags"]]


def test_a_file_argument_is_read(runner, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(worked_example()))
    result = runner.invoke(args=["evaluate", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["scores"]["phq9"]["total"] == 10


def test_invalid_document_prints_problems_on_stderr_only(runner):
    doc = worked_example()
    doc["medical"]["bp_diastolic"] = 130
    result = run_evaluate(runner, doc)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "medical.bp_diastolic: must be lower than the systolic value"
    ]


def test_jsonl_keeps_order_and_reports_each_document(runner, tmp_path):
    bad = worked_example()
    bad["about"]["sex_at_birth"] = "robot"
    lines = [worked_example(), bad, worked_example()]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(doc) for doc in lines) + "\n")
    result = runner.invoke(args=["evaluate", "--jsonl", str(path), "--as-of", "2026-11-21"])
    assert result.exit_code == 2
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == 3
    assert outputs[0]["scores"]["gad7"]["total"] == 10
    assert outputs[1] == {
        "errors": ["about.sex_at_birth: must be one of female, male, intersex, prefer_not_to_say"]
    }
    assert outputs[2] == outputs[0]


def test_jsonl_all_valid_exits_zero(runner, tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(json.dumps(worked_example()) + "\n" + json.dumps(worked_example()) + "\n")
    result = runner.invoke(args=["evaluate", "--jsonl", str(path)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_jsonl_over_many_chunks_keeps_order_across_worker_processes(runner, tmp_path):
    from screening.evaluate_cli import JSONL_CHUNK

    lines = []
    for index in range(JSONL_CHUNK * 2 + 500):
        doc = worked_example()
        doc["symptoms"]["gad7"][0] = index % 4
        if index % 997 == 0:
            doc["about"]["sex_at_birth"] = "robot"
        lines.append(json.dumps(doc))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["evaluate", "--jsonl", str(path), "--as-of", "2026-11-21"])
    assert result.exit_code == 2
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == len(lines)
    for index, output in enumerate(outputs):
        if index % 997 == 0:
            assert "errors" in output
        else:
            assert output["scores"]["gad7"]["total"] == 10 - 2 + index % 4


def test_thresholds_survive_pickling_for_worker_processes():
    import pickle

    from screening.rules import Thresholds

    thresholds = Thresholds.from_config(
        {"OCD_TARGET_DOSES": {"sertraline": 150}, "PCL5_CUTOFF": 31}
    )
    copy = pickle.loads(pickle.dumps(thresholds))
    assert copy == thresholds
    assert copy.ocd_target_doses["sertraline"] == 150
    assert copy.pcl5_cutoff == 31


def test_the_command_is_a_flask_plugin_so_flask_runs_it_without_building_the_app():
    plugins = {ep.name: ep.value for ep in metadata.entry_points(group="flask.commands")}
    assert plugins.get("evaluate") == "screening.evaluate_cli:evaluate_command", (
        "reinstall the project (make .venv/.dev-deps): pyproject.toml declares the plugin"
    )


def test_the_command_line_takes_the_environments_thresholds_without_the_app(tmp_path):
    """As a clinic runs it: production settings without any secret (building the app would
    refuse to start), and a threshold from the environment that changes the flags."""
    doc_file = tmp_path / "doc.json"
    doc_file.write_text(json.dumps(worked_example()))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "ENCRYPTION_KEYS", "MAIL_SERVER", "FLASK_APP")
    }
    env.update(SCREENING_ENV="production", SERVED_REGIONS="OR, WA")
    flask = Path(sys.executable).with_name("flask")
    command = [str(flask), "--app", "screening", "evaluate", str(doc_file), "--as-of", "2026-11-21"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert "outside_service_area" in [flag["id"] for flag in printed["flags"]]

    app = create_app({"ENV_NAME": "test", "SERVED_REGIONS": ("OR", "WA")})
    in_app = app.test_cli_runner().invoke(args=["evaluate", str(doc_file), "--as-of", "2026-11-21"])
    assert printed == json.loads(in_app.stdout)


def test_jsonl_a_document_nested_hundreds_deep_is_one_invalid_line_among_the_others(
    runner, tmp_path
):
    """Nested deeper than Python's recursion allows but not too deep for the JSON parser: it used
    to stop the whole run with a RecursionError, losing every other line's result."""
    deep = '{"a":' * 700 + "1" + "}" * 700
    path = tmp_path / "many.jsonl"
    example = json.dumps(worked_example())
    path.write_text(example + "\n" + deep + "\n" + example + "\n")
    result = runner.invoke(args=["evaluate", "--jsonl", str(path), "--as-of", "2026-11-21"])
    assert result.exit_code == 2, result.output
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert first == third and "scores" in first
    assert second["errors"][:2] == ["questionnaire_version: must be 1", "a: is not a known key"]


def test_jsonl_over_many_chunks_prints_what_each_line_gives_alone(runner, tmp_path):
    """Spread over worker processes, the output is line for line what evaluating each document
    by itself gives: invalid JSON, invalid documents and blank lines among valid ones."""
    from datetime import date

    from screening.evaluate_cli import JSONL_CHUNK, evaluate_text
    from screening.rules import Thresholds

    lines = []
    for index in range(JSONL_CHUNK * 3 + 7):
        doc = worked_example()
        doc["symptoms"]["phq9"][8] = index % 4
        doc["safety"]["suicide_plan_or_intent"] = None if index % 4 == 0 else "no"
        if index % 50 == 3:
            doc["about"]["region"] = "XX"
        lines.append("{oops" if index % 101 == 5 else json.dumps(doc))
    path = tmp_path / "many.jsonl"
    path.write_text("\n\n".join(lines) + "\n")
    result = runner.invoke(args=["evaluate", "--jsonl", str(path), "--as-of", "2026-11-21"])
    assert result.exit_code == 2
    alone = [evaluate_text(line, date(2026, 11, 21), Thresholds()) for line in lines]
    assert [json.loads(line) for line in result.stdout.splitlines()] == alone
    assert any("flags" in output for output in alone)
    assert any("errors" in output for output in alone)
