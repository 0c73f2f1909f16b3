//! GuardDuty: the account's detector (status, publishing frequency, protection plans).
//!
//! GuardDuty's wire names are camelCase (`findingPublishingFrequency`); facts use the
//! API reference's member names, as the AWS CLI prints them (`FindingPublishingFrequency`).

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, all_pages};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use aws_sdk_guardduty::types::*;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&DETECTOR];

pub static DETECTOR: Kind = Kind {
    name: "guardduty.detector",
    description: "The account's GuardDuty detector: status, finding publishing frequency, data sources and features (protection plans).",
    selector: &[],
    one_of: &[],
    operations: &["guardduty:ListDetectors", "guardduty:GetDetector"],
    unnamed_only: &[],
    cli: "aws guardduty get-detector --detector-id ID (plus DetectorId)",
    collect: |ctx, sel| collect_detectors(ctx, sel).boxed(),
};

async fn collect_detectors(ctx: &Ctx, _sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "guardduty:ListDetectors";
    let ids = ctx
        .call(op, "", || async {
            let pages = ctx.clients.guardduty().list_detectors().into_paginator().send();
            all_pages(op, pages, &[], |page| page.detector_ids().iter().map(|id| Value::from(id.as_str())).collect())
                .await
        })
        .await?;
    let mut out = Vec::new();
    for id in ids.as_array().into_iter().flatten().filter_map(Value::as_str) {
        let op = "guardduty:GetDetector";
        let fact = ctx
            .call(op, id, || async {
                match ctx.clients.guardduty().get_detector().detector_id(id).send().await {
                    Ok(detector) => Ok(detector_fact(id, &detector)),
                    Err(err) => CollectError::classify(op, err, &[]).map(|()| Value::Null),
                }
            })
            .await?;
        if !fact.is_null() {
            out.push(Resource { id: id.to_string(), fact });
        }
    }
    Ok(out)
}

// `DataSources` is deprecated in favour of `Features`, and still answered.
#[allow(deprecated)]
fn detector_fact(id: &str, d: &GetDetectorOutput) -> Value {
    fact! {
        "DetectorId" => id,
        "CreatedAt" => d.created_at(),
        "FindingPublishingFrequency" => d.finding_publishing_frequency(),
        "ServiceRole" => d.service_role(),
        "Status" => d.status(),
        "UpdatedAt" => d.updated_at(),
        "DataSources" => d.data_sources(),
        "Tags" => d.tags(),
        "Features" => d.features(),
    }
}

enum_facts!(
    DataSourceStatus,
    DetectorFeatureResult,
    DetectorStatus,
    FeatureAdditionalConfiguration,
    FeatureStatus,
    FindingPublishingFrequency,
    ManagedBy,
);

impl ToFact for DataSourceConfigurationsResult {
    fn to_fact(&self) -> Value {
        let status = |s: Option<&DataSourceStatus>| fact! { "Status" => s };
        fact! {
            "CloudTrail" => self.cloud_trail().map(|c| status(c.status())),
            "DNSLogs" => self.dns_logs().map(|c| status(c.status())),
            "FlowLogs" => self.flow_logs().map(|c| status(c.status())),
            "S3Logs" => self.s3_logs().map(|c| status(c.status())),
            "Kubernetes" => self.kubernetes().map(|k| fact! {
                "AuditLogs" => k.audit_logs().map(|a| status(a.status())),
            }),
        }
    }
}

impl ToFact for DetectorFeatureConfigurationResult {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Status" => self.status(),
            "UpdatedAt" => self.updated_at(),
            "AdditionalConfiguration" => self.additional_configuration(),
            "ManagedBy" => self.managed_by(),
        }
    }
}

impl ToFact for DetectorAdditionalConfigurationResult {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Status" => self.status(),
            "UpdatedAt" => self.updated_at(),
            "ManagedBy" => self.managed_by(),
        }
    }
}
