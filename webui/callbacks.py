"""Signed inbound callbacks (JSON, no CSRF, no session): the bank's confirmation of a payment (R9, R19)
and the city's result on a reported case (R10). The checks live in domain/fulfilment/callbacks.py."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from domain.engine.errors import EngineError
from domain.fulfilment.callbacks import CallbackRefused, SignedCall
from domain.fulfilment.inbound import InboundCallbacks
from webui.context import client_address, resources

bp = Blueprint("callbacks", __name__, url_prefix="/api/callbacks")
MAX_BODY = 64 * 1024


def _inbound() -> InboundCallbacks:
    res = resources()
    return InboundCallbacks(res.database, res.cases, res.settings.callbacks, res.clock.now)


def _call() -> SignedCall:
    return SignedCall(
        timestamp=request.headers.get("X-Huiqi-Timestamp", ""),
        signature=request.headers.get("X-Huiqi-Signature", ""),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )


def _answer(take):
    if (request.content_length or 0) > MAX_BODY:
        return jsonify(status="refused", message=f"请求体过大（最多 {MAX_BODY} 字节）。"), 413
    try:
        return jsonify(take(_call(), request.get_data(cache=False), client_address())), 200
    except CallbackRefused as refused:
        return jsonify(status="refused", message=refused.message), refused.status
    except EngineError:
        return jsonify(status="error", message="流程引擎暂不可用，请稍后重试（未作任何变更）。"), 503


@bp.post("/payment")
def payment():
    """The bank's confirmation that a payment order's funds arrived."""
    return _answer(_inbound().payment)


@bp.post("/municipal-result")
def municipal_result():
    """The municipal department's result on a case reported to it."""
    return _answer(_inbound().municipal)
