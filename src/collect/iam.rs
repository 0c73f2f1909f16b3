//! IAM: roles, with their trust policy decoded.

use super::fact::{ToFact, json_document};
use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, SelectorType, all_pages, facts, found, keep_named,
    resources_from,
};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_iam::types::{
    AttachedPermissionsBoundary, AttachedPolicy, PermissionsBoundaryAttachmentType, Policy, PolicyScopeType, Role, Tag,
};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&ROLE, &POLICY, &ATTACHED_ROLE_POLICIES, &ROLE_POLICY, &ROLE_PERMISSIONS];

pub static ROLE: Kind = Kind {
    name: "iam.role",
    description: "An IAM role, with its trust policy (AssumeRolePolicyDocument) as JSON.",
    selector: &[
        SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "role name" },
        SelectorKey { name: "arn", ty: SelectorType::String, required: false, doc: "role ARN (its name is used)" },
    ],
    one_of: &["name", "arn"],
    operations: &["iam:GetRole"],
    unnamed_only: &[],
    cli: "aws iam get-role --role-name N --query Role (trust policy decoded)",
    collect: |ctx, sel| collect_role(ctx, sel).boxed(),
};

pub static POLICY: Kind = Kind {
    name: "iam.policy",
    description: "A customer managed policy, with its default version's document decoded (Document).",
    selector: &[SelectorKey::optional("name", "policy name")],
    one_of: &[],
    // Found by name in the account's own policies (GetPolicy takes an ARN).
    operations: &["iam:ListPolicies", "iam:GetPolicyVersion"],
    unnamed_only: &[],
    cli: "aws iam list-policies --scope Local --query 'Policies[?PolicyName==`N`]' (plus Document: get-policy-version)",
    collect: |ctx, sel| collect_policies(ctx, sel).boxed(),
};

pub static ATTACHED_ROLE_POLICIES: Kind = Kind {
    name: "iam.attached_role_policies",
    description: "The managed policies attached to a role.",
    selector: &[SelectorKey::required("role", "role name")],
    one_of: &[],
    operations: &["iam:ListAttachedRolePolicies"],
    unnamed_only: &[],
    cli: "aws iam list-attached-role-policies --role-name R --query 'AttachedPolicies[]'",
    collect: |ctx, sel| collect_attached_role_policies(ctx, sel).boxed(),
};

pub static ROLE_POLICY: Kind = Kind {
    name: "iam.role_policy",
    description: "A role's inline policies, their documents decoded (PolicyDocument).",
    selector: &[SelectorKey::required("role", "role name"), SelectorKey::optional("name", "inline policy name")],
    one_of: &[],
    operations: &["iam:ListRolePolicies", "iam:GetRolePolicy"],
    unnamed_only: &["iam:ListRolePolicies"],
    cli: "aws iam get-role-policy --role-name R --policy-name N",
    collect: |ctx, sel| collect_role_policies(ctx, sel).boxed(),
};

pub static ROLE_PERMISSIONS: Kind = Kind {
    name: "iam.role_permissions",
    description: "Everything that decides what a role may do: every identity policy it has, inline or managed \
                  (customer or AWS managed), as Policies (Kind, PolicyName, PolicyArn, Document) and as one list of \
                  Documents, and its PermissionsBoundary (PolicyArn, Document) or null. Ask it with role_allows().",
    selector: &[SelectorKey::required("role", "role name")],
    one_of: &[],
    operations: &[
        "iam:GetRole",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
    ],
    unnamed_only: &[],
    cli: "aws iam get-role, list-role-policies + get-role-policy, list-attached-role-policies + get-policy + get-policy-version",
    collect: |ctx, sel| collect_role_permissions(ctx, sel).boxed(),
};

const NO_SUCH_ENTITY: &[&str] = &["NoSuchEntity", "NoSuchEntityException"];

/// The role name in `arn:aws:iam::123456789012:role/path/name`.
fn name_from_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

async fn collect_role(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = match (sel.str("name"), sel.str("arn")) {
        (Some(name), _) => name.to_string(),
        (None, Some(arn)) => name_from_arn(arn).to_string(),
        (None, None) => return Ok(vec![]),
    };
    let op = "iam:GetRole";
    let fact = ctx
        .call(op, &name, || async {
            match ctx.clients.iam().get_role().role_name(&name).send().await {
                Ok(out) => Ok(out.role().map(ToFact::to_fact).unwrap_or(Value::Null)),
                Err(err) => {
                    CollectError::classify(op, err, &["NoSuchEntity", "NoSuchEntityException"]).map(|()| Value::Null)
                }
            }
        })
        .await?;
    Ok(found(name, fact))
}

async fn collect_policies(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "iam:ListPolicies";
    let list = ctx
        .call(op, "Local", || async {
            let pages = ctx.clients.iam().list_policies().scope(PolicyScopeType::Local).into_paginator().send();
            all_pages(op, pages, &[], |page| facts(page.policies())).await
        })
        .await?;
    let mut out = Vec::new();
    for policy in keep_named(resources_from(list, "PolicyName"), sel, "name", "PolicyName") {
        let arn = policy.fact.get("Arn").and_then(Value::as_str).unwrap_or_default().to_string();
        let version = policy.fact.get("DefaultVersionId").and_then(Value::as_str).unwrap_or_default().to_string();
        let document = policy_version_document(ctx, &arn, &version).await?;
        let mut fact = policy.fact;
        if let Value::Object(map) = &mut fact {
            map.insert("Document".into(), document);
        }
        out.push(Resource { id: policy.id, fact });
    }
    Ok(out)
}

async fn collect_attached_role_policies(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let role = sel.str("role").unwrap_or_default();
    let op = "iam:ListAttachedRolePolicies";
    let list = ctx
        .call(op, role, || async {
            let pages = ctx.clients.iam().list_attached_role_policies().role_name(role).into_paginator().send();
            all_pages(op, pages, NO_SUCH_ENTITY, |page| facts(page.attached_policies())).await
        })
        .await?;
    Ok(resources_from(list, "PolicyName"))
}

async fn collect_role_policies(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let role = sel.str("role").unwrap_or_default();
    let names: Vec<String> = match sel.str("name") {
        Some(name) => vec![name.to_string()],
        None => {
            let op = "iam:ListRolePolicies";
            let list = ctx
                .call(op, role, || async {
                    let pages = ctx.clients.iam().list_role_policies().role_name(role).into_paginator().send();
                    all_pages(op, pages, NO_SUCH_ENTITY, |page| {
                        page.policy_names().iter().map(|n| Value::from(n.as_str())).collect()
                    })
                    .await
                })
                .await?;
            list.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
        }
    };
    let mut out = Vec::new();
    for name in names {
        let op = "iam:GetRolePolicy";
        let fact = ctx
            .call(op, &format!("{role}/{name}"), || async {
                match ctx.clients.iam().get_role_policy().role_name(role).policy_name(&name).send().await {
                    Ok(out) => Ok(fact! {
                        "RoleName" => out.role_name(),
                        "PolicyName" => out.policy_name(),
                        "PolicyDocument" => json_document(out.policy_document()),
                    }),
                    Err(err) => CollectError::classify(op, err, NO_SUCH_ENTITY).map(|()| Value::Null),
                }
            })
            .await?;
        out.extend(found(name, fact));
    }
    Ok(out)
}

async fn collect_role_permissions(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let Some(role) = sel.str("role") else { return Ok(vec![]) };
    let by_name: Selector = [("name".to_string(), Value::from(role))].into_iter().collect();
    let Some(found_role) = collect_role(ctx, &by_name).await?.pop() else { return Ok(vec![]) };
    let by_role: Selector = [("role".to_string(), Value::from(role))].into_iter().collect();
    let mut policies: Vec<Value> = collect_role_policies(ctx, &by_role)
        .await?
        .into_iter()
        .map(|inline| {
            serde_json::json!({
                "Kind": "inline",
                "PolicyName": inline.fact["PolicyName"],
                "Document": inline.fact["PolicyDocument"],
            })
        })
        .collect();
    for attached in collect_attached_role_policies(ctx, &by_role).await? {
        let arn = attached.fact["PolicyArn"].as_str().unwrap_or_default();
        policies.push(serde_json::json!({
            "Kind": "managed",
            "PolicyName": attached.fact["PolicyName"],
            "PolicyArn": arn,
            "Document": managed_document(ctx, arn).await?,
        }));
    }
    let boundary = match found_role.fact.pointer("/PermissionsBoundary/PermissionsBoundaryArn").and_then(Value::as_str)
    {
        Some(arn) => serde_json::json!({ "PolicyArn": arn, "Document": managed_document(ctx, arn).await? }),
        None => Value::Null,
    };
    let documents: Vec<Value> = policies.iter().map(|p| p["Document"].clone()).collect();
    Ok(found(
        role,
        serde_json::json!({
            "RoleName": found_role.fact["RoleName"],
            "Arn": found_role.fact["Arn"],
            "Policies": policies,
            "Documents": documents,
            "PermissionsBoundary": boundary,
        }),
    ))
}

/// The document of a managed policy's default version (null when the policy is gone).
async fn managed_document(ctx: &Ctx, arn: &str) -> Result<Value, CollectError> {
    let op = "iam:GetPolicy";
    let policy = ctx
        .call(op, arn, || async {
            match ctx.clients.iam().get_policy().policy_arn(arn).send().await {
                Ok(out) => Ok(out.policy().map(ToFact::to_fact).unwrap_or(Value::Null)),
                Err(err) => CollectError::classify(op, err, NO_SUCH_ENTITY).map(|()| Value::Null),
            }
        })
        .await?;
    let Some(version) = policy.get("DefaultVersionId").and_then(Value::as_str) else { return Ok(Value::Null) };
    policy_version_document(ctx, arn, version).await
}

/// The document of one version of a managed policy, decoded.
async fn policy_version_document(ctx: &Ctx, arn: &str, version: &str) -> Result<Value, CollectError> {
    let op = "iam:GetPolicyVersion";
    ctx.call(op, &format!("{arn}/{version}"), || async {
        match ctx.clients.iam().get_policy_version().policy_arn(arn).version_id(version).send().await {
            Ok(out) => Ok(out.policy_version().and_then(|v| v.document()).map(json_document).unwrap_or(Value::Null)),
            Err(err) => CollectError::classify(op, err, NO_SUCH_ENTITY).map(|()| Value::Null),
        }
    })
    .await
}

enum_facts!(PermissionsBoundaryAttachmentType);

impl ToFact for Role {
    fn to_fact(&self) -> Value {
        fact! {
            "Path" => self.path(),
            "RoleName" => self.role_name(),
            "RoleId" => self.role_id(),
            "Arn" => self.arn(),
            "CreateDate" => self.create_date(),
            "AssumeRolePolicyDocument" => self.assume_role_policy_document().map(json_document),
            "Description" => self.description(),
            "MaxSessionDuration" => self.max_session_duration(),
            "PermissionsBoundary" => self.permissions_boundary(),
            "Tags" => self.tags(),
        }
    }
}

impl ToFact for AttachedPermissionsBoundary {
    fn to_fact(&self) -> Value {
        fact! {
            "PermissionsBoundaryType" => self.permissions_boundary_type(),
            "PermissionsBoundaryArn" => self.permissions_boundary_arn(),
        }
    }
}

impl ToFact for Policy {
    fn to_fact(&self) -> Value {
        fact! {
            "PolicyName" => self.policy_name(),
            "PolicyId" => self.policy_id(),
            "Arn" => self.arn(),
            "Path" => self.path(),
            "DefaultVersionId" => self.default_version_id(),
            "AttachmentCount" => self.attachment_count(),
            "PermissionsBoundaryUsageCount" => self.permissions_boundary_usage_count(),
            "IsAttachable" => self.is_attachable(),
            "Description" => self.description(),
            "CreateDate" => self.create_date(),
            "UpdateDate" => self.update_date(),
            "Tags" => self.tags(),
        }
    }
}

impl ToFact for AttachedPolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "PolicyName" => self.policy_name(),
            "PolicyArn" => self.policy_arn(),
        }
    }
}

impl ToFact for Tag {
    fn to_fact(&self) -> Value {
        fact! { "Key" => self.key(), "Value" => self.value() }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn role_name_from_arn() {
        assert_eq!(super::name_from_arn("arn:aws:iam::123456789012:role/service/pipeline-role"), "pipeline-role");
        assert_eq!(super::name_from_arn("plain"), "plain");
    }
}
