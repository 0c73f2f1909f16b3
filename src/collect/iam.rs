//! IAM: roles, with their trust policy decoded.

use super::fact::{ToFact, json_document};
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, SelectorType};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_iam::types::{AttachedPermissionsBoundary, PermissionsBoundaryAttachmentType, Role, Tag};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&ROLE];

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
    cli: "aws iam get-role --role-name N --query Role",
    collect: |ctx, sel| collect_role(ctx, sel).boxed(),
};

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
            match ctx.clients.iam.get_role().role_name(&name).send().await {
                Ok(out) => Ok(out.role().map(ToFact::to_fact).unwrap_or(Value::Null)),
                Err(err) => {
                    CollectError::classify(op, err, &["NoSuchEntity", "NoSuchEntityException"]).map(|()| Value::Null)
                }
            }
        })
        .await?;
    Ok(if fact.is_null() { vec![] } else { vec![Resource { id: name, fact }] })
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
