"""KMS: the keys behind the reserved aliases (``alias/aws/s3``, ...) are AWS managed.

moto 5.2.5 creates the key behind a reserved alias the first time something names it,
but as a customer managed key (``KeyManager: CUSTOMER``). In AWS those keys are AWS
managed (``KeyManager: AWS``): a lab that asks for a customer managed key must be able
to tell them apart, as it can in AWS. Call ``install()`` before the server starts.
"""

from __future__ import annotations

from typing import Any

from moto.kms.models import KmsBackend

from moto_ext import wrap_once


def _wrap_generate(generate: Any) -> Any:
    def generate_default_keys(self: KmsBackend, alias_name: str) -> str | None:
        key_id = generate(self, alias_name)
        if key_id is not None:
            self.keys[key_id].key_manager = "AWS"
        return key_id

    return generate_default_keys


def install() -> list[str]:
    wrap_once(KmsBackend, "_generate_default_keys", _wrap_generate)
    return ["KMS keys behind alias/aws/* are AWS managed"]
