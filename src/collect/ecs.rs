//! ECS: clusters (settings, capacity providers) and services (deployment configuration,
//! circuit breaker, network placement).

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, raw::member, resources_from};
use crate::collect::error::CollectError;
use crate::raw_call;
use aws_sdk_ecs::types::ClusterField;
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&CLUSTER, &SERVICE];

pub static CLUSTER: Kind = Kind {
    name: "ecs.cluster",
    description: "A cluster: status, settings (Container Insights), capacity providers and default strategy.",
    selector: &[SelectorKey::required("name", "cluster name")],
    one_of: &[],
    operations: &["ecs:DescribeClusters"],
    unnamed_only: &[],
    cli: "aws ecs describe-clusters --clusters N --include SETTINGS CONFIGURATIONS --query 'clusters[0]'",
    collect: |ctx, sel| collect_cluster(ctx, sel).boxed(),
};

pub static SERVICE: Kind = Kind {
    name: "ecs.service",
    description: "A service: desired count, launch type, deployment configuration and circuit breaker, subnets.",
    selector: &[SelectorKey::required("cluster", "cluster name"), SelectorKey::required("name", "service name")],
    one_of: &[],
    operations: &["ecs:DescribeServices"],
    unnamed_only: &[],
    cli: "aws ecs describe-services --cluster C --services N --query 'services[0]'",
    collect: |ctx, sel| collect_service(ctx, sel).boxed(),
};

async fn collect_cluster(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "ecs:DescribeClusters";
    let request = ctx
        .clients
        .ecs()
        .describe_clusters()
        .clusters(name)
        .include(ClusterField::Settings)
        .include(ClusterField::Configurations);
    // A missing cluster is listed in `failures`, not returned as an error.
    let body = raw_call!(ctx, op, name, &[], request).await?;
    Ok(resources_from(member(body, "clusters"), "clusterName"))
}

async fn collect_service(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let cluster = sel.str("cluster").unwrap_or_default();
    let name = sel.str("name").unwrap_or_default();
    let op = "ecs:DescribeServices";
    let not_found = &["ClusterNotFoundException"];
    let body = raw_call!(
        ctx,
        op,
        &format!("{cluster}/{name}"),
        not_found,
        ctx.clients.ecs().describe_services().cluster(cluster).services(name)
    )
    .await?;
    Ok(resources_from(member(body, "services"), "serviceName"))
}
