"""What the intake channels keep for themselves (not registers)."""
from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, String


class WechatNonce(Model):
    """The nonce of an accepted WeChat callback, kept until its signed timestamp leaves the replay
    window: the same signed request is accepted once, on whichever worker it arrives."""

    __tablename__ = "wechat_nonce"
    nonce = Column(String(64), primary_key=True)
    expires_at = Column(DateTime, nullable=False, index=True)  # naive UTC
