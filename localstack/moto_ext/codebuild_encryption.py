"""CodeBuild projects that keep the encryption key they were created with.

moto 5.2.5 ignores ``encryptionKey`` in CreateProject and answers every project with
the AWS managed key ``arn:aws:kms:<region>:<account>:alias/aws/s3``. CodeBuild keeps the
key the request names (an alias, or a key's ARN) and answers it in BatchGetProjects;
without one it uses the AWS managed key, as moto does. Call ``install()`` before the
server starts.
"""

from __future__ import annotations

from typing import Any

from moto.codebuild.responses import CodeBuildResponse

from moto_ext import wrap_once


def _wrap_create(create: Any) -> Any:
    def create_project(self: CodeBuildResponse) -> Any:
        answer = create(self)
        key = self._get_param("encryptionKey")
        if key:
            project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
            project.project_metadata["encryptionKey"] = key
        return answer

    return create_project


def install() -> list[str]:
    wrap_once(CodeBuildResponse, "create_project", _wrap_create)
    return ["CodeBuild encryptionKey kept from CreateProject"]
