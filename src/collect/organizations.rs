//! Organizations: the organization, its roots (enabled policy types), and policies
//! (service control policies) with their content and targets.

use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::decode_documents, raw::member, resources_from,
};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use aws_sdk_organizations::types::PolicyType;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&ORGANIZATION, &ROOT, &POLICY];

/// What an account outside any organization is told.
const NOT_IN_USE: &str = "AWSOrganizationsNotInUseException";

pub static ORGANIZATION: Kind = Kind {
    name: "organizations.organization",
    description: "The organization the account belongs to: feature set (ALL or CONSOLIDATED_BILLING), management account.",
    selector: &[],
    one_of: &[],
    operations: &["organizations:DescribeOrganization"],
    unnamed_only: &[],
    cli: "aws organizations describe-organization --query Organization",
    collect: |ctx, sel| collect_organization(ctx, sel).boxed(),
};

pub static ROOT: Kind = Kind {
    name: "organizations.root",
    description: "The organization's root, with the policy types enabled on it.",
    selector: &[],
    one_of: &[],
    operations: &["organizations:ListRoots"],
    unnamed_only: &[],
    cli: "aws organizations list-roots --query 'Roots[]'",
    collect: |ctx, sel| collect_roots(ctx, sel).boxed(),
};

pub static POLICY: Kind = Kind {
    name: "organizations.policy",
    description: "An organization policy (an SCP by default): its content, decoded, and the roots, OUs and accounts it is attached to (Targets).",
    selector: &[
        SelectorKey::optional("name", "policy name"),
        SelectorKey::optional("type", "policy type (default SERVICE_CONTROL_POLICY)"),
    ],
    one_of: &[],
    operations: &["organizations:ListPolicies", "organizations:DescribePolicy", "organizations:ListTargetsForPolicy"],
    unnamed_only: &[],
    cli: "aws organizations describe-policy --policy-id ID --query Policy (plus Targets: list-targets-for-policy)",
    collect: |ctx, sel| collect_policies(ctx, sel).boxed(),
};

async fn collect_organization(ctx: &Ctx, _sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "organizations:DescribeOrganization";
    let body = raw_call!(ctx, op, "", &[NOT_IN_USE], ctx.clients.organizations().describe_organization()).await?;
    let organization = member(body, "Organization");
    let id = organization.get("Id").and_then(Value::as_str).unwrap_or("organization").to_string();
    Ok(found(id, organization))
}

async fn collect_roots(ctx: &Ctx, _sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "organizations:ListRoots";
    let list = raw_pages!(ctx, op, "", &[NOT_IN_USE], "Roots", "NextToken", |token| ctx
        .clients
        .organizations()
        .list_roots()
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "Name"))
}

async fn collect_policies(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let ty = sel.str("type").unwrap_or("SERVICE_CONTROL_POLICY");
    let op = "organizations:ListPolicies";
    let list = raw_pages!(ctx, op, ty, &[NOT_IN_USE], "Policies", "NextToken", |token| ctx
        .clients
        .organizations()
        .list_policies()
        .filter(PolicyType::from(ty))
        .set_next_token(token.clone()))
    .await?;
    let not_found = &[NOT_IN_USE, "PolicyNotFoundException"];
    let mut out = Vec::new();
    for summary in super::keep_named(resources_from(list, "Name"), sel, "name", "Name") {
        let Some(id) = summary.fact.get("Id").and_then(Value::as_str) else { continue };
        let op = "organizations:DescribePolicy";
        let body = raw_call!(ctx, op, id, not_found, ctx.clients.organizations().describe_policy().policy_id(id)).await?;
        let mut policy = decode_documents(member(body, "Policy"), &["Content"]);
        let op = "organizations:ListTargetsForPolicy";
        let targets = raw_pages!(ctx, op, id, not_found, "Targets", "NextToken", |token| ctx
            .clients
            .organizations()
            .list_targets_for_policy()
            .policy_id(id)
            .set_next_token(token.clone()))
        .await?;
        if let Value::Object(map) = &mut policy {
            map.insert("Targets".into(), targets);
        }
        out.extend(found(summary.id, policy));
    }
    Ok(out)
}
