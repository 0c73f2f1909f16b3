//! CloudWatch: metric alarms and dashboards.

use super::fact::{ToFact, json_document};
use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, SelectorType, all_pages, facts, found, keep_named,
    resources_from,
};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, Metric, MetricAlarm, MetricDataQuery, MetricStat, StandardUnit, StateValue,
    Statistic,
};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&ALARM, &DASHBOARD];

pub static ALARM: Kind = Kind {
    name: "cloudwatch.alarm",
    description: "A CloudWatch metric alarm: its metric, threshold and actions.",
    selector: &[
        SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "exact alarm name" },
        SelectorKey { name: "name_prefix", ty: SelectorType::String, required: false, doc: "name starts with" },
    ],
    one_of: &[],
    operations: &["cloudwatch:DescribeAlarms"],
    unnamed_only: &[],
    cli: "aws cloudwatch describe-alarms --query 'MetricAlarms[]'",
    collect: |ctx, sel| collect_alarms(ctx, sel).boxed(),
};

pub static DASHBOARD: Kind = Kind {
    name: "cloudwatch.dashboard",
    description: "A dashboard, its body decoded (DashboardBody: widgets and the metrics they show).",
    selector: &[SelectorKey::required("name", "dashboard name")],
    one_of: &[],
    operations: &["cloudwatch:GetDashboard"],
    unnamed_only: &[],
    cli: "aws cloudwatch get-dashboard --dashboard-name N",
    collect: |ctx, sel| collect_dashboard(ctx, sel).boxed(),
};

async fn collect_dashboard(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "cloudwatch:GetDashboard";
    let fact = ctx
        .call(op, name, || async {
            match ctx.clients.cloudwatch().get_dashboard().dashboard_name(name).send().await {
                Ok(out) => Ok(fact! {
                    "DashboardArn" => out.dashboard_arn(),
                    "DashboardBody" => out.dashboard_body().map(json_document),
                    "DashboardName" => out.dashboard_name(),
                }),
                Err(err) => CollectError::classify(op, err, &["ResourceNotFound", "ResourceNotFoundException"])
                    .map(|()| Value::Null),
            }
        })
        .await?;
    Ok(found(name, fact))
}

async fn collect_alarms(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "cloudwatch:DescribeAlarms";
    let prefix = sel.str("name").or(sel.str("name_prefix")).map(str::to_string);
    let list = ctx
        .call(op, prefix.as_deref().unwrap_or(""), || async {
            let pages =
                ctx.clients.cloudwatch().describe_alarms().set_alarm_name_prefix(prefix.clone()).into_paginator().send();
            all_pages(op, pages, &[], |page| facts(page.metric_alarms())).await
        })
        .await?;
    Ok(keep_named(resources_from(list, "AlarmName"), sel, "name", "AlarmName"))
}

enum_facts!(ComparisonOperator, StandardUnit, StateValue, Statistic);

impl ToFact for MetricAlarm {
    fn to_fact(&self) -> Value {
        fact! {
            "AlarmName" => self.alarm_name(),
            "AlarmArn" => self.alarm_arn(),
            "AlarmDescription" => self.alarm_description(),
            "AlarmConfigurationUpdatedTimestamp" => self.alarm_configuration_updated_timestamp(),
            "ActionsEnabled" => self.actions_enabled(),
            "OKActions" => self.ok_actions(),
            "AlarmActions" => self.alarm_actions(),
            "InsufficientDataActions" => self.insufficient_data_actions(),
            "StateValue" => self.state_value(),
            "StateReason" => self.state_reason(),
            "StateUpdatedTimestamp" => self.state_updated_timestamp(),
            "MetricName" => self.metric_name(),
            "Namespace" => self.namespace(),
            "Statistic" => self.statistic(),
            "ExtendedStatistic" => self.extended_statistic(),
            "Dimensions" => self.dimensions(),
            "Period" => self.period(),
            "Unit" => self.unit(),
            "EvaluationPeriods" => self.evaluation_periods(),
            "DatapointsToAlarm" => self.datapoints_to_alarm(),
            "Threshold" => self.threshold(),
            "ComparisonOperator" => self.comparison_operator(),
            "TreatMissingData" => self.treat_missing_data(),
            "EvaluateLowSampleCountPercentile" => self.evaluate_low_sample_count_percentile(),
            "Metrics" => self.metrics(),
            "ThresholdMetricId" => self.threshold_metric_id(),
        }
    }
}

impl ToFact for Dimension {
    fn to_fact(&self) -> Value {
        fact! { "Name" => self.name(), "Value" => self.value() }
    }
}

impl ToFact for MetricDataQuery {
    fn to_fact(&self) -> Value {
        fact! {
            "Id" => self.id(),
            "MetricStat" => self.metric_stat(),
            "Expression" => self.expression(),
            "Label" => self.label(),
            "ReturnData" => self.return_data(),
            "Period" => self.period(),
        }
    }
}

impl ToFact for MetricStat {
    fn to_fact(&self) -> Value {
        fact! { "Metric" => self.metric(), "Period" => self.period(), "Stat" => self.stat(), "Unit" => self.unit() }
    }
}

impl ToFact for Metric {
    fn to_fact(&self) -> Value {
        fact! { "Namespace" => self.namespace(), "MetricName" => self.metric_name(), "Dimensions" => self.dimensions() }
    }
}
