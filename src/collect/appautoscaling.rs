//! Application Auto Scaling: scalable targets and scaling policies of DynamoDB, ECS,
//! Lambda, Aurora and the other services it scales.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, resources_from};
use crate::collect::error::CollectError;
use crate::raw_pages;
use aws_sdk_applicationautoscaling::types::ServiceNamespace;
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&SCALABLE_TARGET, &POLICY];

const SELECTOR: &[SelectorKey] = &[
    SelectorKey::required("namespace", "service namespace: dynamodb, ecs, lambda, rds, ..."),
    SelectorKey::optional("resource_id", "resource id, e.g. table/orders or service/cluster/web"),
];

pub static SCALABLE_TARGET: Kind = Kind {
    name: "applicationautoscaling.scalable_target",
    description: "A scalable target: resource, dimension, minimum and maximum capacity.",
    selector: SELECTOR,
    one_of: &[],
    operations: &["application-autoscaling:DescribeScalableTargets"],
    unnamed_only: &[],
    cli: "aws application-autoscaling describe-scalable-targets --service-namespace NS --query 'ScalableTargets[]'",
    collect: |ctx, sel| collect_scalable_targets(ctx, sel).boxed(),
};

pub static POLICY: Kind = Kind {
    name: "applicationautoscaling.policy",
    description: "A scaling policy: type (target tracking, step), metric, target value, cooldowns.",
    selector: SELECTOR,
    one_of: &[],
    operations: &["application-autoscaling:DescribeScalingPolicies"],
    unnamed_only: &[],
    cli: "aws application-autoscaling describe-scaling-policies --service-namespace NS --query 'ScalingPolicies[]'",
    collect: |ctx, sel| collect_policies(ctx, sel).boxed(),
};

async fn collect_scalable_targets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let namespace = sel.str("namespace").unwrap_or_default();
    let resource = sel.str("resource_id").map(|r| vec![r.to_string()]);
    let op = "application-autoscaling:DescribeScalableTargets";
    let input = format!("{namespace}/{}", sel.str("resource_id").unwrap_or_default());
    let list = raw_pages!(ctx, op, &input, &[], "ScalableTargets", "NextToken", |token| ctx
        .clients
        .appautoscaling()
        .describe_scalable_targets()
        .service_namespace(ServiceNamespace::from(namespace))
        .set_resource_ids(resource.clone())
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "ResourceId"))
}

async fn collect_policies(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let namespace = sel.str("namespace").unwrap_or_default();
    let resource = sel.str("resource_id").map(str::to_string);
    let op = "application-autoscaling:DescribeScalingPolicies";
    let input = format!("{namespace}/{}", resource.as_deref().unwrap_or_default());
    let list = raw_pages!(ctx, op, &input, &[], "ScalingPolicies", "NextToken", |token| ctx
        .clients
        .appautoscaling()
        .describe_scaling_policies()
        .service_namespace(ServiceNamespace::from(namespace))
        .set_resource_id(resource.clone())
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "PolicyName"))
}
