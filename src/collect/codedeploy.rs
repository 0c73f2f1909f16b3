//! CodeDeploy: deployment groups (deployment style, rollback, alarms, load balancers).

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, raw::member, read_each};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&DEPLOYMENT_GROUP];

pub static DEPLOYMENT_GROUP: Kind = Kind {
    name: "codedeploy.deployment_group",
    description: "A CodeDeploy deployment group: deployment style and config, auto rollback, alarms, load balancer.",
    selector: &[
        SelectorKey::required("application", "CodeDeploy application name"),
        SelectorKey::optional("name", "deployment group name"),
    ],
    one_of: &[],
    operations: &["codedeploy:GetDeploymentGroup", "codedeploy:ListDeploymentGroups"],
    unnamed_only: &["codedeploy:ListDeploymentGroups"],
    cli: "aws deploy get-deployment-group --application-name A --deployment-group-name N --query deploymentGroupInfo",
    collect: |ctx, sel| collect_deployment_groups(ctx, sel).boxed(),
};

const NOT_FOUND: &[&str] = &["ApplicationDoesNotExistException", "DeploymentGroupDoesNotExistException"];

async fn collect_deployment_groups(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let application = sel.str("application").unwrap_or_default();
    let names: Vec<String> = match sel.str("name") {
        Some(name) => vec![name.to_string()],
        None => {
            let op = "codedeploy:ListDeploymentGroups";
            let list = raw_pages!(ctx, op, application, NOT_FOUND, "deploymentGroups", "nextToken", |token| ctx
                .clients
                .codedeploy()
                .list_deployment_groups()
                .application_name(application)
                .set_next_token(token.clone()))
            .await?;
            list.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
        }
    };
    let listed = names.into_iter().map(|name| Resource { id: name, fact: Value::Null }).collect();
    read_each(listed, |group| async move {
        let op = "codedeploy:GetDeploymentGroup";
        let request = ctx
            .clients
            .codedeploy()
            .get_deployment_group()
            .application_name(application)
            .deployment_group_name(&group.id);
        let body = raw_call!(ctx, op, &format!("{application}/{}", group.id), NOT_FOUND, request).await?;
        Ok(member(body, "deploymentGroupInfo"))
    })
    .await
}
