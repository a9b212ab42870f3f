"""Fixtures of the project tests: REST calls as a user (one token per user and test)."""
from __future__ import annotations

import pytest


@pytest.fixture
def api(app, auth):
    tokens = {}

    def call(method, path, username="ipb", **kwargs):
        if username not in tokens:
            tokens[username] = auth.token(username)
        return getattr(app.test_client(), method)(path, headers=tokens[username], **kwargs)

    return call
