"""flask --app portal research …: summary, public-key, new-key, register-site and load."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.research import signing
from portal.research.models import ResearchSite, SummaryCourse
from tests import factories as make
from tests.web.research.sites import add_courses


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args: str):
        result = runner.invoke(args=["research", *args])
        db.session.expire_all()
        return result

    return invoke


def test_the_summary_is_a_new_file_readable_by_its_owner_and_never_overwritten(run, tmp_path):
    add_courses(make.clinic("Only Clinic"), 5, [1.0, 2.0])
    out = tmp_path / "summary.json"
    result = run("summary", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote 2 courses of Only Clinic as site test-site" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["payload"]["site"] == "test-site"
    again = run("summary", str(out))
    assert again.exit_code != 0 and "exists" in again.output


def test_with_several_clinics_the_clinic_must_be_named(run, tmp_path):
    make.clinic("North")
    make.clinic("South")
    result = run("summary", str(tmp_path / "s.json"))
    assert result.exit_code != 0 and "--clinic" in result.output
    named = run("summary", str(tmp_path / "s.json"), "--clinic", "south", "--site", "South Site")
    assert named.exit_code == 0 and "as site south-site" in named.output


def test_public_key_prints_what_the_hub_registers_and_its_fingerprint(run, app):
    result = run("public-key")
    key = signing.public_key_text(signing.signing_key(app.config, app.instance_path))
    assert result.output.splitlines() == [key, f"Fingerprint: {signing.fingerprint(key)}"]
    fresh = run("new-key").output.strip()
    assert signing.signing_key({"RESEARCH_SIGNING_KEY": fresh}, "") is not None


def test_a_hub_registers_a_site_and_loads_its_summary_from_the_command_line(run, app, tmp_path):
    add_courses(make.clinic("Only Clinic"), 3, [1.0, 2.0, 3.0])
    run("summary", str(tmp_path / "s.json"))
    key = signing.public_key_text(signing.signing_key(app.config, app.instance_path))
    registered = run("register-site", "test-site", key, "--name", "Test site")
    assert registered.exit_code == 0, registered.output
    assert db.session.scalar(select(ResearchSite.name)) == "Test site"
    loaded = run("load", str(tmp_path / "s.json"))
    assert loaded.exit_code == 0 and "Loaded the summary of Test site" in loaded.output
    assert db.session.scalar(select(func.count()).select_from(SummaryCourse)) == 3
    twice = run("load", str(tmp_path / "s.json"))
    assert twice.exit_code != 0 and "loaded already" in twice.output
    bad = run("register-site", "x", "not-a-key")
    assert bad.exit_code != 0
