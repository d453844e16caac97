"""One cheap argon2id for the account tests: production hashes cost 64 MiB each
(`calcml.store.accounts.HASHER`); the dummy hash an unknown name is checked against follows the
replacement (`accounts.dummy_hash`)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from calcml.store import accounts

CHEAP = PasswordHasher(time_cost=1, memory_cost=256)


def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, with small parameters, for the rest of the test."""
    monkeypatch.setattr(accounts, "HASHER", CHEAP)
