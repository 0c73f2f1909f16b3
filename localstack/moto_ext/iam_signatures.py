"""SigV4 signatures of bodiless requests checked over the empty payload, as AWS does.

With ``INITIAL_NO_AUTH_ACTION_COUNT`` set, moto 5.2.5 checks every request's SigV4
signature by rebuilding the canonical request (``IAMRequestBase._create_aws_request``
in moto/iam/access_control.py). For the payload it takes ``self._body or self._data``:
the body's bytes, or, when moto read no bytes, the request's parsed parameters, which it
encodes as a form. That fallback exists for form-encoded (query protocol) POSTs, whose
body werkzeug consumes while parsing the form. But a request with no body at all (the
GETs and DELETEs of the REST services: Lambda, GuardDuty, Security Hub, Backup, Route 53)
falls back too, and its "parameters" are its query string or, without one, its headers
(``BaseResponse.setup_class`` in moto/core/responses.py). moto then hashes that form
instead of the empty payload the client signed, and refuses every such request,
whoever signs it, with SignatureDoesNotMatch.

AWS hashes the payload exactly as sent: for a request without a body, the SHA-256 of
the empty string. This module rebuilds the canonical request of a request that sent no
body (no ``Content-Length``, or ``Content-Length: 0``, and not chunked) over the empty
payload; everything else, and the check itself (the secret key, then the user's
policies), stays moto's. Call ``install()`` before the server starts.
"""

from __future__ import annotations

from typing import Any

from moto.iam.access_control import IAMRequestBase

from moto_ext import wrap_once


def _header(headers: Any, name: str) -> str | None:
    """A header's value, its name in any case (moto passes werkzeug's headers or a dict)."""
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def _sent_no_body(headers: Any) -> bool:
    """The request carried no payload: no or a zero Content-Length, and not chunked."""
    if "chunked" in (_header(headers, "transfer-encoding") or "").lower():
        return False
    length = (_header(headers, "content-length") or "0").strip()
    return length == "0"


def _wrap_create_aws_request(create: Any) -> Any:
    def _create_aws_request(self: IAMRequestBase) -> Any:
        request = create(self)
        if not self._body and _sent_no_body(self._headers):
            # The empty payload, not moto's parameters (query string or headers) as a form.
            request.data = b""
        return request

    return _create_aws_request


def install() -> list[str]:
    wrap_once(IAMRequestBase, "_create_aws_request", _wrap_create_aws_request)
    return ["SigV4 checks of bodiless requests over the empty payload (IAM enforcement)"]
