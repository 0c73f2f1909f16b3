//! CloudWatch Logs: log groups, metric filters, subscription filters, and what a filter
//! pattern matches (TestMetricFilter against a lab's sample log lines).

use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, SelectorType, all_pages, facts, keep_named,
    resources_from, samples::Samples,
};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_cloudwatchlogs::types::{
    DataProtectionStatus, Distribution, InheritedProperty, LogGroup, LogGroupClass, MetricFilter, MetricTransformation,
    StandardUnit, SubscriptionFilter,
};
use futures::FutureExt;
use serde_json::Value;

use super::fact::ToFact;

pub static KINDS: &[&Kind] = &[&LOG_GROUP, &METRIC_FILTER, &SUBSCRIPTION_FILTER, &PATTERN_TEST];

const NAME: SelectorKey = SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "exact name" };
const NAME_PREFIX: SelectorKey =
    SelectorKey { name: "name_prefix", ty: SelectorType::String, required: false, doc: "name starts with" };

pub static LOG_GROUP: Kind = Kind {
    name: "logs.log_group",
    description: "A CloudWatch Logs log group.",
    selector: &[NAME, NAME_PREFIX],
    one_of: &[],
    operations: &["logs:DescribeLogGroups"],
    unnamed_only: &[],
    cli: "aws logs describe-log-groups --query 'logGroups[]'",
    collect: |ctx, sel| collect_log_groups(ctx, sel).boxed(),
};

pub static METRIC_FILTER: Kind = Kind {
    name: "logs.metric_filter",
    description: "A metric filter that turns matching log events into a CloudWatch metric.",
    selector: &[
        SelectorKey { name: "log_group", ty: SelectorType::String, required: false, doc: "the log group it filters" },
        NAME,
    ],
    one_of: &[],
    operations: &["logs:DescribeMetricFilters"],
    unnamed_only: &[],
    cli: "aws logs describe-metric-filters --query 'metricFilters[]'",
    collect: |ctx, sel| collect_metric_filters(ctx, sel).boxed(),
};

pub static SUBSCRIPTION_FILTER: Kind = Kind {
    name: "logs.subscription_filter",
    description: "A subscription filter that streams a log group's events to Kinesis, Firehose or Lambda.",
    selector: &[
        SelectorKey { name: "log_group", ty: SelectorType::String, required: true, doc: "the log group it filters" },
        NAME,
    ],
    one_of: &[],
    operations: &["logs:DescribeSubscriptionFilters"],
    unnamed_only: &[],
    cli: "aws logs describe-subscription-filters --log-group-name G --query 'subscriptionFilters[]'",
    collect: |ctx, sel| collect_subscription_filters(ctx, sel).boxed(),
};

pub static PATTERN_TEST: Kind = Kind {
    name: "logs.pattern_test",
    description: "What a filter pattern matches, asked of CloudWatch Logs (TestMetricFilter, which changes nothing) \
                  with the lab's sample log events: the samples it misses (missed) and those it wrongly matches \
                  (wrongly_matched).",
    selector: &[
        SelectorKey::required("pattern", "the filter pattern (a captured filterPattern)"),
        SelectorKey::samples("match", "sample log events the pattern must match (text, or objects for JSON logs)"),
        SelectorKey::samples("no_match", "sample log events the pattern must not match"),
    ],
    one_of: &[],
    operations: &["logs:TestMetricFilter"],
    unnamed_only: &[],
    cli: "aws logs test-metric-filter --filter-pattern P --log-event-messages M...",
    collect: |ctx, sel| collect_pattern_test(ctx, sel).boxed(),
};

/// TestMetricFilter takes at most this many messages a call.
const MAX_MESSAGES_PER_TEST: usize = 50;

const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

/// Test the pattern against every sample, in calls of up to 50 messages.
async fn collect_pattern_test(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "logs:TestMetricFilter";
    let Some(pattern) = sel.str("pattern") else { return Ok(vec![]) };
    let samples = Samples::from_selector(sel);
    let events: Vec<&Value> = samples.events().collect();
    let mut matched = Vec::new();
    for chunk in events.chunks(MAX_MESSAGES_PER_TEST) {
        // A JSON log event is its JSON text; a text event is itself.
        let messages: Vec<String> = chunk
            .iter()
            .map(|sample| match sample {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect();
        let input = format!("{pattern} {}", Value::from(messages.clone()));
        let answer = ctx
            .call(op, &input, || async {
                let request = ctx
                    .clients
                    .logs()
                    .test_metric_filter()
                    .filter_pattern(pattern)
                    .set_log_event_messages(Some(messages));
                match request.send().await {
                    // Event numbers count the messages from 1.
                    Ok(out) => Ok(Value::from(out.matches().iter().map(|m| m.event_number()).collect::<Vec<_>>())),
                    Err(err) => CollectError::classify(op, err, &[]).map(|()| Value::Null),
                }
            })
            .await?;
        let numbers: Vec<i64> =
            answer.as_array().map(|n| n.iter().filter_map(Value::as_i64).collect()).unwrap_or_default();
        matched.extend((1..=chunk.len() as i64).map(|n| numbers.contains(&n)));
    }
    Ok(samples.verdict("filter pattern", &matched))
}

async fn collect_log_groups(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    // An exact name is looked up by prefix, then matched exactly.
    let prefix = sel.str("name").or(sel.str("name_prefix")).map(str::to_string);
    let op = "logs:DescribeLogGroups";
    let list = ctx
        .call(op, prefix.as_deref().unwrap_or(""), || async {
            let pages = ctx
                .clients
                .logs()
                .describe_log_groups()
                .set_log_group_name_prefix(prefix.clone())
                .into_paginator()
                .send();
            all_pages(op, pages, NOT_FOUND, |page| facts(page.log_groups())).await
        })
        .await?;
    Ok(keep_named(resources_from(list, "logGroupName"), sel, "name", "logGroupName"))
}

async fn collect_metric_filters(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let group = sel.str("log_group").map(str::to_string);
    let op = "logs:DescribeMetricFilters";
    let list = ctx
        .call(op, group.as_deref().unwrap_or(""), || async {
            let pages =
                ctx.clients.logs().describe_metric_filters().set_log_group_name(group.clone()).into_paginator().send();
            all_pages(op, pages, NOT_FOUND, |page| facts(page.metric_filters())).await
        })
        .await?;
    Ok(keep_named(resources_from(list, "filterName"), sel, "name", "filterName"))
}

async fn collect_subscription_filters(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let group = sel.str("log_group").unwrap_or_default().to_string();
    let op = "logs:DescribeSubscriptionFilters";
    let list = ctx
        .call(op, &group, || async {
            let pages = ctx.clients.logs().describe_subscription_filters().log_group_name(&group).into_paginator().send();
            all_pages(op, pages, NOT_FOUND, |page| facts(page.subscription_filters())).await
        })
        .await?;
    Ok(keep_named(resources_from(list, "filterName"), sel, "name", "filterName"))
}

enum_facts!(DataProtectionStatus, Distribution, LogGroupClass, StandardUnit);

impl ToFact for LogGroup {
    fn to_fact(&self) -> Value {
        fact! {
            "logGroupName" => self.log_group_name(),
            "creationTime" => self.creation_time(),
            "retentionInDays" => self.retention_in_days(),
            "metricFilterCount" => self.metric_filter_count(),
            "arn" => self.arn(),
            "storedBytes" => self.stored_bytes(),
            "kmsKeyId" => self.kms_key_id(),
            "dataProtectionStatus" => self.data_protection_status(),
            "inheritedProperties" => self.inherited_properties(),
            "logGroupClass" => self.log_group_class(),
            "logGroupArn" => self.log_group_arn(),
            "deletionProtectionEnabled" => self.deletion_protection_enabled(),
        }
    }
}

impl ToFact for InheritedProperty {
    fn to_fact(&self) -> Value {
        Value::String(self.as_str().to_string())
    }
}

impl ToFact for MetricFilter {
    fn to_fact(&self) -> Value {
        fact! {
            "filterName" => self.filter_name(),
            "filterPattern" => self.filter_pattern(),
            "metricTransformations" => self.metric_transformations(),
            "creationTime" => self.creation_time(),
            "logGroupName" => self.log_group_name(),
            "applyOnTransformedLogs" => self.apply_on_transformed_logs(),
        }
    }
}

impl ToFact for MetricTransformation {
    fn to_fact(&self) -> Value {
        fact! {
            "metricName" => self.metric_name(),
            "metricNamespace" => self.metric_namespace(),
            "metricValue" => self.metric_value(),
            "defaultValue" => self.default_value(),
            "dimensions" => self.dimensions(),
            "unit" => self.unit(),
        }
    }
}

impl ToFact for SubscriptionFilter {
    fn to_fact(&self) -> Value {
        fact! {
            "filterName" => self.filter_name(),
            "logGroupName" => self.log_group_name(),
            "filterPattern" => self.filter_pattern(),
            "destinationArn" => self.destination_arn(),
            "roleArn" => self.role_arn(),
            "distribution" => self.distribution(),
            "applyOnTransformedLogs" => self.apply_on_transformed_logs(),
            "creationTime" => self.creation_time(),
        }
    }
}
