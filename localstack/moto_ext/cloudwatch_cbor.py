"""Smithy RPC v2 CBOR for moto's CloudWatch (what the AWS SDK for Rust speaks).

The CloudWatch service model now lists ``smithy-rpc-v2-cbor`` first, and current AWS
SDKs that follow it (the Rust SDK's ``aws-sdk-cloudwatch``, for one) send
``POST /service/GraniteServiceVersion20100801/operation/<Operation>`` with a CBOR body,
``smithy-protocol: rpc-v2-cbor`` and ``x-amzn-query-mode: true``. moto 5.2.5 answers
such a request with 404: it only speaks CloudWatch's query and JSON 1.0 protocols
(botocore and so the AWS CLI pick JSON, which is why the CLI works and the Rust SDK
does not).

moto's CloudWatch is written protocol-neutrally (``ActionResult`` plus a parser and
a serializer per protocol, chosen from the request's Content-Type), so this module
adds the missing protocol the way moto adds the others:

* ``RpcV2CborParser`` in ``moto.core.parse.PROTOCOL_PARSERS``: CBOR body -> params;
* ``RpcV2CborSerializer`` in ``moto.core.serialize.SERIALIZERS``: result -> CBOR,
  timestamps as tag 1 (epoch seconds), blobs as byte strings, errors as
  ``{"__type", "Message"}`` with the ``x-amzn-query-error`` header CloudWatch's
  query-compatible clients read;
* the operation URL on CloudWatch's URL map, and the operation name from the path.

JSON 1.0 and query requests are untouched. Call ``install()`` before the server starts.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from moto.cloudwatch import urls as cloudwatch_urls
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core import parse as moto_parse
from moto.core import serialize as moto_serialize

from moto_ext import wrap_once

try:  # pinned in requirements-moto.txt; without it the rest of the extension still works
    import cbor2
except ImportError:  # pragma: no cover
    cbor2 = None  # type: ignore[assignment]

PROTOCOL = "smithy-rpc-v2-cbor"
CONTENT_TYPE = "application/cbor"
TARGET_PREFIX = "GraniteServiceVersion20100801"  # CloudWatch's service shape name
OPERATION_PATH = re.compile(r"^/service/[^/]+/operation/(?P<operation>[A-Za-z0-9]+)$")


def _is_cbor(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == CONTENT_TYPE


class RpcV2CborParser(moto_parse.BaseJSONParser):
    """Request parser: the JSON parser's shape walk over a CBOR-decoded body."""

    def _do_parse(self, request_dict: Any, shape: Any) -> Any:
        if shape is None:
            return self.MAP_TYPE()
        body = request_dict["body"]
        decoded = cbor2.loads(body) if body else {}
        return self._parse_shape(shape, decoded)

    def _parse_blob(self, shape: Any, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        return super()._parse_blob(shape, value)

    def _parse_timestamp(self, shape: Any, value: Any) -> Any:
        # Tag 1 decodes to an aware datetime; moto keeps naive UTC internally.
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(datetime.UTC).replace(tzinfo=None)
            return value
        if isinstance(value, (int, float)):
            return datetime.datetime.fromtimestamp(value, datetime.UTC).replace(tzinfo=None)
        return super()._parse_timestamp(shape, value)


class RpcV2CborSerializer(moto_serialize.JSONSerializer):
    """Response serializer: the JSON serializer's shape walk, encoded as CBOR."""

    CONTENT_TYPE = CONTENT_TYPE

    def _get_protocol_specific_content_type(self) -> str:
        return CONTENT_TYPE

    def _get_protocol_specific_error_code(self, error: Any) -> str:
        return str(error.name)

    def _serialize_body(self, body: Any) -> bytes:  # type: ignore[override]
        return cbor2.dumps(body)

    def _serialize_type_timestamp(self, serialized: Any, value: Any, shape: Any, key: str) -> None:
        wrapper: dict[str, Any] = {}
        self._timestamp_serializer.serialize(wrapper, value, shape, "t")  # epoch seconds
        self._default_serialize(serialized, cbor2.CBORTag(1, float(wrapper["t"])), shape, key)

    def _serialize_type_blob(self, serialized: Any, value: Any, shape: Any, key: str) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        self._default_serialize(serialized, data, shape, key)

    def _serialized_result_to_response(self, resp: Any, *args: Any) -> Any:
        resp = super()._serialized_result_to_response(resp, *args)
        resp["headers"]["smithy-protocol"] = "rpc-v2-cbor"
        return resp

    def _serialized_error_to_response(self, resp: Any, *args: Any) -> Any:
        resp = super()._serialized_error_to_response(resp, *args)
        resp["headers"]["smithy-protocol"] = "rpc-v2-cbor"
        return resp


def _wrap_setup_class(original: Any) -> Any:
    def setup_class(
        self: Any,
        request: Any,
        full_url: Any = None,
        headers: Any = None,
        use_raw_body: Any = None,
    ) -> None:
        # A CBOR body is binary: keep it as bytes (moto would decode it as UTF-8
        # text to look for a query string in it).
        if _is_cbor(request.content_type):
            use_raw_body = True
        original(self, request, full_url, headers, use_raw_body)

    return setup_class


def _wrap_get_action(original: Any) -> Any:
    def _get_action(self: Any) -> str:
        match = OPERATION_PATH.match(getattr(self, "path", "") or "")
        if match:
            return match.group("operation")
        return original(self)

    return _get_action


def install() -> list[str]:
    """Register the protocol with moto; returns a description of what was added."""
    if cbor2 is None:
        return ["(CloudWatch over CBOR disabled: the cbor2 package is not installed)"]
    moto_parse.PROTOCOL_PARSERS[PROTOCOL] = RpcV2CborParser
    moto_serialize.SERIALIZERS[PROTOCOL] = RpcV2CborSerializer

    # Route the operation URL to CloudWatch's handler (read when the app is built).
    cloudwatch_urls.url_paths[
        "{0}/service/" + TARGET_PREFIX + "/operation/(?P<operation>[A-Za-z0-9]+)$"
    ] = CloudWatchResponse.dispatch

    wrap_once(CloudWatchResponse, "setup_class", _wrap_setup_class)
    wrap_once(CloudWatchResponse, "_get_action", _wrap_get_action)

    return ["CloudWatch over Smithy RPC v2 CBOR (the Rust SDK's protocol)"]
