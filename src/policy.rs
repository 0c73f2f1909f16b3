//! The least-privilege IAM policy that grading some labs needs, derived from the
//! operations their kinds declare (the same list the read-only tests hold them to).

use crate::collect;
use crate::lab::Lab;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Operations AWS allows every caller, whatever its policies say: GetCallerIdentity
/// "requires no permissions" (STS API reference), and even an explicit Deny does not stop it.
pub const NEEDS_NO_PERMISSION: &[&str] = &["sts:GetCallerIdentity"];

/// The IAM actions grading `labs` may call, sorted: each check's kind's operations for
/// that check's selector (a check that names its resource needs no List action), but
/// those that need no permission.
pub fn actions(labs: &[&Lab]) -> BTreeSet<&'static str> {
    labs.iter()
        .flat_map(|lab| &lab.checks)
        .filter_map(|check| {
            collect::kind(&check.kind).map(|kind| kind.operations_for(&check.select).collect::<Vec<_>>())
        })
        .flatten()
        .filter(|action| !NEEDS_NO_PERMISSION.contains(action))
        .collect()
}

/// An identity policy allowing exactly those actions.
pub fn policy_document(labs: &[&Lab]) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LabcheckReadOnly",
            "Effect": "Allow",
            "Action": actions(labs).into_iter().collect::<Vec<_>>(),
            "Resource": "*"
        }]
    })
}

/// A CloudFormation template for a grader role with that policy, assumable by the given
/// principal (an instructor's account or role ARN), with an external ID.
pub fn cloudformation_role(labs: &[&Lab]) -> String {
    let actions: Vec<String> = actions(labs).into_iter().map(|a| format!("                  - {a}")).collect();
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Description: A read-only role labcheck assumes to grade labs in this account.
Parameters:
  GraderPrincipal:
    Type: String
    Description: The account ID or role ARN allowed to assume this role (the grader).
  ExternalId:
    Type: String
    NoEcho: true
    Description: The external ID the grader passes when it assumes the role.
Resources:
  LabcheckGraderRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: labcheck-grader
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Ref GraderPrincipal
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: !Ref ExternalId
      Policies:
        - PolicyName: labcheck-read-only
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: LabcheckReadOnly
                Effect: Allow
                Resource: "*"
                Action:
{}
Outputs:
  RoleArn:
    Value: !GetAtt LabcheckGraderRole.Arn
"#,
        actions.join("\n")
    )
}
