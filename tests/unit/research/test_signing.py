"""The site's key and the network's salt: from the environment, or made once in instance/."""

from __future__ import annotations

import stat

import pytest

from portal.core.errors import FieldError
from portal.research import signing


def test_without_a_key_development_makes_one_in_instance_readable_by_its_owner_only(tmp_path):
    config = {"RESEARCH_DEV_KEYS": True}
    first = signing.signing_key(config, str(tmp_path))
    again = signing.signing_key(config, str(tmp_path))
    assert signing.public_key_text(first) == signing.public_key_text(again)
    mode = stat.S_IMODE((tmp_path / signing.KEY_FILE).stat().st_mode)
    assert mode == 0o600
    signing.lot_salt(config, str(tmp_path))
    assert stat.S_IMODE((tmp_path / signing.SALT_FILE).stat().st_mode) == 0o600


def test_production_refuses_to_sign_without_a_key_in_the_environment(tmp_path):
    with pytest.raises(signing.KeyMissing, match="RESEARCH_SIGNING_KEY"):
        signing.signing_key({}, str(tmp_path))
    assert not (tmp_path / signing.KEY_FILE).exists()


def test_a_key_from_the_environment_is_used_as_given(tmp_path):
    text = signing.new_private_key()
    key = signing.signing_key({"RESEARCH_SIGNING_KEY": text}, str(tmp_path))
    assert signing.public_key_text(key) == signing.public_key_text(
        signing.signing_key({"RESEARCH_SIGNING_KEY": text}, str(tmp_path))
    )
    with pytest.raises(ValueError, match="32 bytes"):
        signing.signing_key({"RESEARCH_SIGNING_KEY": "c2hvcnQ="}, str(tmp_path))


def test_a_public_key_that_is_not_one_is_refused_at_its_field():
    with pytest.raises(FieldError) as refused:
        signing.parse_public_key("not a key")
    assert refused.value.field == "public_key"
    config = {"RESEARCH_SIGNING_KEY": signing.new_private_key()}
    good = signing.public_key_text(signing.signing_key(config, "/nonexistent"))
    assert signing.parse_public_key(f"  {good}\n") == good
    assert len(signing.fingerprint(good)) == 19  # four groups of four
