//! ECR: repositories, their lifecycle policies and repository policies.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::decode_documents, resources_from};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&REPOSITORY, &LIFECYCLE_POLICY, &REPOSITORY_POLICY];

const REPOSITORY_KEY: SelectorKey = SelectorKey::required("repository", "repository name");

pub static REPOSITORY: Kind = Kind {
    name: "ecr.repository",
    description: "An ECR repository: tag mutability, scan on push, encryption.",
    selector: &[SelectorKey::optional("name", "repository name")],
    one_of: &[],
    operations: &["ecr:DescribeRepositories"],
    unnamed_only: &[],
    cli: "aws ecr describe-repositories --repository-names N --query 'repositories[0]'",
    collect: |ctx, sel| collect_repositories(ctx, sel).boxed(),
};

pub static LIFECYCLE_POLICY: Kind = Kind {
    name: "ecr.lifecycle_policy",
    description: "A repository's lifecycle policy, its rules decoded (lifecyclePolicyText).",
    selector: &[REPOSITORY_KEY],
    one_of: &[],
    operations: &["ecr:GetLifecyclePolicy"],
    unnamed_only: &[],
    cli: "aws ecr get-lifecycle-policy --repository-name R",
    collect: |ctx, sel| collect_lifecycle_policy(ctx, sel).boxed(),
};

pub static REPOSITORY_POLICY: Kind = Kind {
    name: "ecr.repository_policy",
    description: "A repository's resource policy, decoded (policyText).",
    selector: &[REPOSITORY_KEY],
    one_of: &[],
    operations: &["ecr:GetRepositoryPolicy"],
    unnamed_only: &[],
    cli: "aws ecr get-repository-policy --repository-name R",
    collect: |ctx, sel| collect_repository_policy(ctx, sel).boxed(),
};

const REPOSITORY_NOT_FOUND: &str = "RepositoryNotFoundException";

async fn collect_repositories(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").map(|n| vec![n.to_string()]);
    let op = "ecr:DescribeRepositories";
    let key = name.as_ref().map(|n| n.join(",")).unwrap_or_default();
    let list = raw_pages!(ctx, op, &key, &[REPOSITORY_NOT_FOUND], "repositories", "nextToken", |token| ctx
        .clients
        .ecr()
        .describe_repositories()
        .set_repository_names(name.clone())
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "repositoryName"))
}

async fn collect_lifecycle_policy(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let repository = sel.str("repository").unwrap_or_default().to_string();
    let op = "ecr:GetLifecyclePolicy";
    let not_found = &[REPOSITORY_NOT_FOUND, "LifecyclePolicyNotFoundException"];
    let body =
        raw_call!(ctx, op, &repository, not_found, ctx.clients.ecr().get_lifecycle_policy().repository_name(&repository))
            .await?;
    Ok(found(repository, decode_documents(body, &["lifecyclePolicyText"])))
}

async fn collect_repository_policy(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let repository = sel.str("repository").unwrap_or_default().to_string();
    let op = "ecr:GetRepositoryPolicy";
    let not_found = &[REPOSITORY_NOT_FOUND, "RepositoryPolicyNotFoundException"];
    let body = raw_call!(
        ctx,
        op,
        &repository,
        not_found,
        ctx.clients.ecr().get_repository_policy().repository_name(&repository)
    )
    .await?;
    Ok(found(repository, decode_documents(body, &["policyText"])))
}
