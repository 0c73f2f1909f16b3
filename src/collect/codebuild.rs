//! CodeBuild: build projects (source, buildspec, environment, logs, artifacts).

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, raw::member, resources_from};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&PROJECT];

pub static PROJECT: Kind = Kind {
    name: "codebuild.project",
    description: "A CodeBuild project: source and buildspec, environment, service role, logs, artifacts.",
    selector: &[SelectorKey::optional("name", "project name")],
    one_of: &[],
    operations: &["codebuild:BatchGetProjects", "codebuild:ListProjects"],
    unnamed_only: &["codebuild:ListProjects"],
    cli: "aws codebuild batch-get-projects --names N --query 'projects[0]'",
    collect: |ctx, sel| collect_projects(ctx, sel).boxed(),
};

/// BatchGetProjects takes at most this many names.
const BATCH: usize = 100;

async fn collect_projects(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let names: Vec<String> = match sel.str("name") {
        Some(name) => vec![name.to_string()],
        None => {
            let op = "codebuild:ListProjects";
            let list = raw_pages!(ctx, op, "", &[], "projects", "nextToken", |token| ctx
                .clients
                .codebuild()
                .list_projects()
                .set_next_token(token.clone()))
            .await?;
            list.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
        }
    };
    let mut out = Vec::new();
    for chunk in names.chunks(BATCH) {
        let op = "codebuild:BatchGetProjects";
        let body = raw_call!(
            ctx,
            op,
            &chunk.join(","),
            &[],
            ctx.clients.codebuild().batch_get_projects().set_names(Some(chunk.to_vec()))
        )
        .await?;
        out.extend(resources_from(member(body, "projects"), "name"));
    }
    Ok(out)
}
