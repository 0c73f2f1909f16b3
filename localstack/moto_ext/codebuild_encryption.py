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


def _wrap_create(create: Any) -> Any:
    def create_project(self: CodeBuildResponse) -> Any:
        answer = create(self)
        key = self._get_param("encryptionKey")
        if key:
            project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
            project.project_metadata["encryptionKey"] = key
        return answer

    create_project._labcheck = True  # type: ignore[attr-defined]
    return create_project


def install() -> list[str]:
    if not getattr(CodeBuildResponse.create_project, "_labcheck", False):
        CodeBuildResponse.create_project = _wrap_create(CodeBuildResponse.create_project)  # type: ignore[method-assign]
    return ["CodeBuild encryptionKey kept from CreateProject"]
