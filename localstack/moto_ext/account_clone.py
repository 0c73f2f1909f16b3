"""Copy one account's whole state into another account id, for labcheck's selftest.

    POST /_labcheck/clone-account   {"source": "111111111111", "target": "222222222222"}
    -> 200 {"services": ["cloudwatch", "logs", ...]}

``labcheck selftest`` proves a lab's near misses and alternatives each in an account of
its own, every one starting from the reference solution. Running the solution once and
cloning its account saves re-running it (dozens of AWS CLI calls) for every scenario.

Each service keeps an account's state in one ``AccountSpecificBackend`` (Region ->
backend) of its ``BackendDict``. The clone is that object pickled and unpickled, with
the source account id replaced by the target's in the pickle: both are 12-digit
strings, so the replacement keeps every length prefix valid, and the ARNs, owner ids
and dict keys inside the state name the new account. The target's previous state, in
every service the source has, is replaced.

Some state does not pickle. Locks become new locks, a ``WeakValueDictionary`` a new one
over the same (cloned) values, a ``defaultdict`` subclass is rebuilt without calling its
``__init__``; functions defined inside a function (a ``defaultdict``'s
factory) and cryptography keys (an ACM certificate's, a KMS key's material) are shared
with the source by reference: they are never changed in place.

Credentials are not cloned: two accounts holding the same access key id would make
moto resolve the key to either of them. So STS (whose state is issued sessions) is not
copied, and IAM's access keys (where moto files the keys ``sts assume-role`` issued for
an account, by which it knows the caller's account) stay the target's own. The S3 global bucket
registry learns the clone's buckets (their names carry no account id unless the
solution put one there, which labcheck's solutions do: bucket names are global).
"""

from __future__ import annotations

import collections
import io
import json
import pickle
import re
import threading
import types
import uuid
import weakref
from typing import Any, Callable

from moto.core.base_backend import AccountSpecificBackend, BackendDict, backend_lock
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

PATH = "/_labcheck/clone-account"
ACCOUNT_ID = re.compile(r"[0-9]{12}")
NOT_CLONED = frozenset({"sts"})
# Per service, attributes of each Region's backend that stay the target's own.
KEPT_FROM_TARGET = {"iam": ("access_keys",)}


class CloneError(ValueError):
    """A request this endpoint refuses, with the reason the caller sees."""


def clone_account(source: str, target: str) -> list[str]:
    """Replace ``target``'s state with a copy of ``source``'s; returns the services copied."""
    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, str) or not ACCOUNT_ID.fullmatch(value):
            raise CloneError(f"{name} must be a 12-digit account id, not {value!r}")
    if source == target:
        raise CloneError("source and target are the same account")
    copied = []
    with backend_lock:
        for backends in list(BackendDict._instances):
            if backends.service_name in NOT_CLONED or source not in dict.keys(backends):
                continue
            state = dict.__getitem__(backends, source)
            if not len(state):
                continue
            clone: AccountSpecificBackend[Any] = _copy_renamed(state, source, target)
            clone._id = str(uuid.uuid4())  # equality and hashing go by this id
            previous = dict.get(backends, target) or {}
            for region, backend in clone.items():
                for attribute in KEPT_FROM_TARGET.get(backends.service_name, ()):
                    own = getattr(previous[region], attribute) if region in dict.keys(previous) else {}
                    setattr(backend, attribute, own)
            dict.__setitem__(backends, target, clone)
            copied.append(backends.service_name)
            if backends.service_name == "s3":
                _register_buckets(clone, target)
    return sorted(copied)


_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


class _StatePickler(pickle.Pickler):
    """A pickler for moto's state: what cannot be pickled is recreated or shared (above)."""

    def __init__(self, file: io.BytesIO, shared: list[Any]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _LOCK_TYPES):
            return (threading.RLock if isinstance(obj, _LOCK_TYPES[1]) else threading.Lock, ())
        if isinstance(obj, weakref.WeakValueDictionary):
            return (weakref.WeakValueDictionary, (dict(obj.items()),))
        if isinstance(obj, collections.defaultdict) and type(obj) is not collections.defaultdict:
            # A subclass whose __init__ takes other arguments than defaultdict's.
            return (_new_defaultdict, (type(obj), obj.default_factory), obj.__dict__ or None, None, iter(obj.items()))
        return NotImplemented

    def persistent_id(self, obj: Any) -> Any:
        local_function = isinstance(obj, types.FunctionType) and "<locals>" in obj.__qualname__
        if local_function or type(obj).__module__.startswith("cryptography."):
            self.shared.append(obj)
            return len(self.shared) - 1
        return None


def _new_defaultdict(cls: type, factory: Any) -> Any:
    made = collections.defaultdict.__new__(cls)
    made.default_factory = factory
    return made


class _StateUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, shared: list[Any]):
        super().__init__(io.BytesIO(data))
        self.shared = shared

    def persistent_load(self, pid: Any) -> Any:
        return self.shared[pid]


def _copy_renamed(state: Any, source: str, target: str) -> Any:
    """A deep copy of ``state`` in which every ``source`` in a string is ``target``."""
    buffer, shared = io.BytesIO(), []
    _StatePickler(buffer, shared).dump(state)
    return _StateUnpickler(buffer.getvalue().replace(source.encode(), target.encode()), shared).load()


def _register_buckets(clone: AccountSpecificBackend[Any], account: str) -> None:
    from moto.s3.models import s3_backends

    for partition, backend in clone.items():
        for name in getattr(backend, "buckets", {}):
            s3_backends.bucket_accounts.setdefault(name, (partition, account))


def _respond(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _with_clone_endpoint(call: Callable[..., Any]) -> Callable[..., Any]:
    def dispatch(self: DomainDispatcherApplication, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != PATH:
            return call(self, environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            return _respond(start_response, "405 Method Not Allowed", {"error": f"POST {PATH}"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            request = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not isinstance(request, dict):
                raise CloneError("the body must be a JSON object")
            services = clone_account(request.get("source"), request.get("target"))
        except (CloneError, ValueError) as err:
            return _respond(start_response, "400 Bad Request", {"error": str(err)})
        except Exception as err:  # a state that does not pickle: say which, keep serving
            return _respond(start_response, "500 Internal Server Error", {"error": f"{type(err).__name__}: {err}"})
        return _respond(start_response, "200 OK", {"services": services})

    return dispatch


def _restore_docker_model(self: Any, state: dict[str, Any]) -> None:
    """moto's Lambda functions leave their Docker client out when pickled, and expect it set."""
    self.__dict__.update(state)
    self.__dict__.setdefault("_DockerModel__docker_client", None)


def install() -> list[str]:
    from moto.utilities.docker_utilities import DockerModel

    DockerModel.__setstate__ = _restore_docker_model  # type: ignore[attr-defined]
    DomainDispatcherApplication.__call__ = _with_clone_endpoint(DomainDispatcherApplication.__call__)  # type: ignore[method-assign]
    return [f"POST {PATH}"]
