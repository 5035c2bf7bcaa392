"""Passwords are hashed with argon2id at the library's recommended cost."""

from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from portal.auth import passwords


def test_hash_is_argon2id_and_verifies_only_the_right_password():
    hashed = passwords.hash_password("kitchen-table-42")
    assert hashed.startswith("$argon2id$")
    assert "kitchen-table-42" not in hashed
    assert passwords.verify_password(hashed, "kitchen-table-42")
    assert not passwords.verify_password(hashed, "kitchen-table-43")


def test_missing_or_broken_hash_never_verifies():
    assert not passwords.verify_password(None, "no-such-account-placeholder")
    assert not passwords.verify_password("not-a-hash", "anything")


def test_production_hasher_uses_the_recommended_argon2id_cost():
    # The suite's app uses a cheap hasher (TestingConfig); the module's own default
    # has RFC 9106's low-memory profile, and so has its dummy hash for unknown logins.
    default = passwords.hasher_from_config({})
    params = extract_parameters(default.hash("x"))
    assert params.type.name == "ID"
    assert params.memory_cost == RFC_9106_LOW_MEMORY.memory_cost
    assert params.time_cost == RFC_9106_LOW_MEMORY.time_cost
    assert params.parallelism == RFC_9106_LOW_MEMORY.parallelism
    assert default.dummy_hash.startswith("$argon2id$")
    assert extract_parameters(default.dummy_hash).memory_cost == params.memory_cost


def test_hash_made_with_other_parameters_needs_rehash(app):
    current = app.config["ARGON2_TIME_COST"]
    old = PasswordHasher(time_cost=current + 1, memory_cost=1024, parallelism=1).hash("x")
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(passwords.hash_password("x"))
