"""Secrets sealed at rest: Fernet under PORTAL_DATA_KEYS, the first key sealing, all opening."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from portal.core.crypto import (
    DataKeyError,
    local_key,
    new_key,
    open_sealed,
    parse_keys,
    reseal,
    seal,
)


def test_a_sealed_value_opens_with_its_key_and_holds_no_plain_text():
    ring = parse_keys(new_key())
    token = seal("JBSWY3DPEHPK3PXP", ring)
    assert "JBSWY3DPEHPK3PXP" not in token
    assert seal("JBSWY3DPEHPK3PXP", ring) != token  # a fresh IV every time
    assert open_sealed(token, ring) == "JBSWY3DPEHPK3PXP"


def test_the_first_key_seals_and_every_key_opens_so_keys_can_rotate():
    old, new = new_key(), new_key()
    sealed_before = seal("seed", parse_keys(old))
    both = parse_keys(f" {new} , {old} ")
    assert open_sealed(sealed_before, both) == "seed"
    resealed = reseal(sealed_before, both)
    assert open_sealed(resealed, parse_keys(new)) == "seed"
    with pytest.raises(DataKeyError):
        open_sealed(resealed, parse_keys(old))
    assert Fernet(new.encode()).decrypt(seal("x", both).encode()) == b"x"


def test_a_value_no_key_can_open_is_an_error_not_garbage():
    token = seal("seed", parse_keys(new_key()))
    with pytest.raises(DataKeyError, match="could not be opened"):
        open_sealed(token, parse_keys(new_key()))
    with pytest.raises(DataKeyError):
        open_sealed(token[:-3] + "AAA", parse_keys(new_key()))


@pytest.mark.parametrize(
    "text",
    [None, "", " , ", "short", "x" * 44, "{good},nope"],
    ids=["none", "empty", "commas", "short", "not-base64", "good-then-bad"],
)
def test_missing_or_malformed_keys_are_refused_with_advice(text):
    if text is not None:
        text = text.format(good=new_key())
    with pytest.raises(DataKeyError, match="PORTAL_DATA_KEYS"):
        parse_keys(text)


def test_the_development_key_is_kept_in_the_instance_folder_mode_0600(tmp_path):
    first = local_key(tmp_path / "instance")
    assert local_key(tmp_path / "instance") == first
    assert (tmp_path / "instance" / "dev-data-key").stat().st_mode & 0o777 == 0o600
    parse_keys(first)
