//! Route 53: health checks and the record sets of a hosted zone (failover, weighted,
//! latency routing).

use super::fact::ToFact;
use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, all_pages, facts, raw::MAX_PAGES, resources_from,
};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_route53::types::*;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&HEALTH_CHECK, &RECORD_SET];

pub static HEALTH_CHECK: Kind = Kind {
    name: "route53.health_check",
    description: "A health check: type, endpoint, path, interval, failure threshold, Regions.",
    selector: &[SelectorKey::optional(
        "fqdn",
        "the domain name it checks (HealthCheckConfig.FullyQualifiedDomainName)",
    )],
    one_of: &[],
    operations: &["route53:ListHealthChecks"],
    unnamed_only: &[],
    cli: "aws route53 list-health-checks --query 'HealthChecks[]'",
    collect: |ctx, sel| collect_health_checks(ctx, sel).boxed(),
};

pub static RECORD_SET: Kind = Kind {
    name: "route53.record_set",
    description: "The record sets of a hosted zone: type, TTL, values or alias, routing policy (failover, weights), health check.",
    selector: &[
        SelectorKey::required("zone", "hosted zone name, e.g. example.com"),
        SelectorKey::optional("name", "record name, e.g. app.example.com"),
        SelectorKey::optional("type", "record type, e.g. A"),
    ],
    one_of: &[],
    operations: &["route53:ListHostedZonesByName", "route53:ListResourceRecordSets"],
    unnamed_only: &[],
    cli: "aws route53 list-resource-record-sets --hosted-zone-id Z --query 'ResourceRecordSets[]'",
    collect: |ctx, sel| collect_record_sets(ctx, sel).boxed(),
};

/// A DNS name as Route 53 spells it: lower case, with the trailing dot.
fn absolute(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name.ends_with('.') { name } else { format!("{name}.") }
}

async fn collect_health_checks(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "route53:ListHealthChecks";
    let list = ctx
        .call(op, "", || async {
            let pages = ctx.clients.route53().list_health_checks().into_paginator().send();
            all_pages(op, pages, &[], |page| facts(page.health_checks())).await
        })
        .await?;
    let wanted = sel.str("fqdn").map(absolute);
    Ok(resources_from(list, "Id")
        .into_iter()
        .filter(|r| match &wanted {
            None => true,
            Some(fqdn) => r
                .fact
                .pointer("/HealthCheckConfig/FullyQualifiedDomainName")
                .and_then(Value::as_str)
                .is_some_and(|name| absolute(name) == *fqdn),
        })
        .collect())
}

async fn collect_record_sets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let zone = absolute(sel.str("zone").unwrap_or_default());
    let op = "route53:ListHostedZonesByName";
    let zones = ctx
        .call(op, &zone, || async {
            match ctx.clients.route53().list_hosted_zones_by_name().dns_name(&zone).max_items(1).send().await {
                Ok(out) => Ok(Value::Array(facts(out.hosted_zones()))),
                Err(err) => CollectError::classify(op, err, &[]).map(|()| Value::Null),
            }
        })
        .await?;
    // The listing starts at `zone`: its first entry is the zone only when the names match.
    let Some(zone_id) = zones
        .as_array()
        .and_then(|z| z.first())
        .filter(|z| z.get("Name").and_then(Value::as_str).map(absolute) == Some(zone.clone()))
        .and_then(|z| z.get("Id").and_then(Value::as_str))
        .map(str::to_string)
    else {
        return Ok(Vec::new());
    };
    let op = "route53:ListResourceRecordSets";
    let list = ctx
        .call(op, &zone_id, || async {
            let mut items = Vec::new();
            let mut start: Option<(String, RrType, Option<String>)> = None;
            for _ in 0..MAX_PAGES {
                let mut request = ctx.clients.route53().list_resource_record_sets().hosted_zone_id(&zone_id);
                if let Some((name, ty, id)) = start.take() {
                    request = request.start_record_name(name).start_record_type(ty).set_start_record_identifier(id);
                }
                match request.send().await {
                    Ok(page) => {
                        items.extend(facts(page.resource_record_sets()));
                        match (page.is_truncated(), page.next_record_name(), page.next_record_type()) {
                            (true, Some(name), Some(ty)) => {
                                start = Some((
                                    name.to_string(),
                                    ty.clone(),
                                    page.next_record_identifier().map(str::to_string),
                                ))
                            }
                            _ => break,
                        }
                    }
                    Err(err) => {
                        CollectError::classify(op, err, &["NoSuchHostedZone"])?;
                        break;
                    }
                }
            }
            Ok(Value::Array(items))
        })
        .await?;
    let name = sel.str("name").map(absolute);
    let ty = sel.str("type");
    Ok(resources_from(list, "Name")
        .into_iter()
        .filter(|r| {
            name.as_ref().is_none_or(|n| r.fact.get("Name").and_then(Value::as_str).map(absolute) == Some(n.clone()))
        })
        .filter(|r| ty.is_none_or(|t| r.fact.get("Type").and_then(Value::as_str) == Some(t)))
        .collect())
}

impl ToFact for HostedZone {
    fn to_fact(&self) -> Value {
        fact! { "Id" => self.id(), "Name" => self.name(), "CallerReference" => self.caller_reference() }
    }
}

enum_facts!(
    CloudWatchRegion,
    ComparisonOperator,
    HealthCheckRegion,
    HealthCheckType,
    InsufficientDataHealthStatus,
    ResourceRecordSetFailover,
    ResourceRecordSetRegion,
    RrType,
    Statistic
);

impl ToFact for HealthCheck {
    fn to_fact(&self) -> Value {
        fact! {
            "Id" => self.id(),
            "CallerReference" => self.caller_reference(),
            "LinkedService" => self.linked_service(),
            "HealthCheckConfig" => self.health_check_config(),
            "HealthCheckVersion" => self.health_check_version(),
            "CloudWatchAlarmConfiguration" => self.cloud_watch_alarm_configuration(),
        }
    }
}

impl ToFact for ResourceRecordSet {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Type" => self.r#type(),
            "SetIdentifier" => self.set_identifier(),
            "Weight" => self.weight(),
            "Region" => self.region(),
            "GeoLocation" => self.geo_location(),
            "Failover" => self.failover(),
            "MultiValueAnswer" => self.multi_value_answer(),
            "TTL" => self.ttl(),
            "ResourceRecords" => self.resource_records(),
            "AliasTarget" => self.alias_target(),
            "HealthCheckId" => self.health_check_id(),
            "TrafficPolicyInstanceId" => self.traffic_policy_instance_id(),
            "CidrRoutingConfig" => self.cidr_routing_config(),
            "GeoProximityLocation" => self.geo_proximity_location(),
        }
    }
}

impl ToFact for LinkedService {
    fn to_fact(&self) -> Value {
        fact! {
            "ServicePrincipal" => self.service_principal(),
            "Description" => self.description(),
        }
    }
}

impl ToFact for HealthCheckConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "IPAddress" => self.ip_address(),
            "Port" => self.port(),
            "Type" => self.r#type(),
            "ResourcePath" => self.resource_path(),
            "FullyQualifiedDomainName" => self.fully_qualified_domain_name(),
            "SearchString" => self.search_string(),
            "RequestInterval" => self.request_interval(),
            "FailureThreshold" => self.failure_threshold(),
            "MeasureLatency" => self.measure_latency(),
            "Inverted" => self.inverted(),
            "Disabled" => self.disabled(),
            "HealthThreshold" => self.health_threshold(),
            "ChildHealthChecks" => self.child_health_checks(),
            "EnableSNI" => self.enable_sni(),
            "Regions" => self.regions(),
            "AlarmIdentifier" => self.alarm_identifier(),
            "InsufficientDataHealthStatus" => self.insufficient_data_health_status(),
            "RoutingControlArn" => self.routing_control_arn(),
        }
    }
}

impl ToFact for CloudWatchAlarmConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "EvaluationPeriods" => self.evaluation_periods(),
            "Threshold" => self.threshold(),
            "ComparisonOperator" => self.comparison_operator(),
            "Period" => self.period(),
            "MetricName" => self.metric_name(),
            "Namespace" => self.namespace(),
            "Statistic" => self.statistic(),
            "Dimensions" => self.dimensions(),
        }
    }
}

impl ToFact for GeoLocation {
    fn to_fact(&self) -> Value {
        fact! {
            "ContinentCode" => self.continent_code(),
            "CountryCode" => self.country_code(),
            "SubdivisionCode" => self.subdivision_code(),
        }
    }
}

impl ToFact for ResourceRecord {
    fn to_fact(&self) -> Value {
        fact! {
            "Value" => self.value(),
        }
    }
}

impl ToFact for AliasTarget {
    fn to_fact(&self) -> Value {
        fact! {
            "HostedZoneId" => self.hosted_zone_id(),
            "DNSName" => self.dns_name(),
            "EvaluateTargetHealth" => self.evaluate_target_health(),
        }
    }
}

impl ToFact for CidrRoutingConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "CollectionId" => self.collection_id(),
            "LocationName" => self.location_name(),
        }
    }
}

impl ToFact for GeoProximityLocation {
    fn to_fact(&self) -> Value {
        fact! {
            "AWSRegion" => self.aws_region(),
            "LocalZoneGroup" => self.local_zone_group(),
            "Coordinates" => self.coordinates(),
            "Bias" => self.bias(),
        }
    }
}

impl ToFact for AlarmIdentifier {
    fn to_fact(&self) -> Value {
        fact! {
            "Region" => self.region(),
            "Name" => self.name(),
        }
    }
}

impl ToFact for Dimension {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for Coordinates {
    fn to_fact(&self) -> Value {
        fact! {
            "Latitude" => self.latitude(),
            "Longitude" => self.longitude(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_sets_keep_their_type_and_routing() {
        let record = ResourceRecordSet::builder()
            .name("app.example.com.")
            .r#type(RrType::Cname)
            .set_identifier("primary")
            .failover(ResourceRecordSetFailover::Primary)
            .ttl(60)
            .resource_records(ResourceRecord::builder().value("a.example.net").build().unwrap())
            .health_check_id("hc-1")
            .build()
            .unwrap();
        assert_eq!(
            record.to_fact(),
            serde_json::json!({
                "Name": "app.example.com.", "Type": "CNAME", "SetIdentifier": "primary", "Failover": "PRIMARY",
                "TTL": 60, "ResourceRecords": [{"Value": "a.example.net"}], "HealthCheckId": "hc-1",
            })
        );
    }

    #[test]
    fn names_compare_absolute_and_lower_case() {
        assert_eq!(absolute("App.Example.com"), "app.example.com.");
        assert_eq!(absolute("app.example.com."), "app.example.com.");
    }
}
