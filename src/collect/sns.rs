//! SNS: topics (attributes: policy, encryption) and their subscriptions.

use super::fact::ToFact;
use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, all_pages, found, raw::decode_documents, resources_from,
};
use crate::collect::error::CollectError;
use crate::fact;
use aws_sdk_sns::types::*;
use futures::FutureExt;
use serde_json::{Value, json};

pub static KINDS: &[&Kind] = &[&TOPIC, &SUBSCRIPTION];

const NOT_FOUND: &[&str] = &["NotFound", "NotFoundException"];

pub static TOPIC: Kind = Kind {
    name: "sns.topic",
    description: "A topic: its ARN and attributes (Policy and delivery policies decoded, KmsMasterKeyId, counts as strings).",
    selector: &[SelectorKey::required("name", "topic name")],
    one_of: &[],
    // A topic is found by name through the listing: GetTopicAttributes takes an ARN.
    operations: &["sns:ListTopics", "sns:GetTopicAttributes"],
    unnamed_only: &[],
    cli: "aws sns get-topic-attributes --topic-arn ARN (with TopicArn)",
    collect: |ctx, sel| collect_topic(ctx, sel).boxed(),
};

pub static SUBSCRIPTION: Kind = Kind {
    name: "sns.subscription",
    description: "The subscriptions of a topic: protocol and endpoint.",
    selector: &[SelectorKey::required("topic", "topic name")],
    one_of: &[],
    operations: &["sns:ListTopics", "sns:ListSubscriptionsByTopic"],
    unnamed_only: &[],
    cli: "aws sns list-subscriptions-by-topic --topic-arn ARN --query 'Subscriptions[]'",
    collect: |ctx, sel| collect_subscriptions(ctx, sel).boxed(),
};

/// The ARN of the topic called `name`, if there is one.
async fn topic_arn(ctx: &Ctx, name: &str) -> Result<Option<String>, CollectError> {
    let op = "sns:ListTopics";
    let topics = ctx
        .call(op, "", || async {
            let pages = ctx.clients.sns().list_topics().into_paginator().send();
            all_pages(op, pages, &[], |page| {
                page.topics().iter().filter_map(|t| t.topic_arn()).map(Value::from).collect()
            })
            .await
        })
        .await?;
    let suffix = format!(":{name}");
    Ok(topics
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|arn| arn.ends_with(&suffix))
        .map(str::to_string))
}

async fn collect_topic(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let Some(arn) = topic_arn(ctx, name).await? else { return Ok(Vec::new()) };
    let op = "sns:GetTopicAttributes";
    let attributes = ctx
        .call(op, &arn, || async {
            match ctx.clients.sns().get_topic_attributes().topic_arn(&arn).send().await {
                Ok(out) => Ok(out.attributes().to_fact()),
                Err(err) => CollectError::classify(op, err, NOT_FOUND).map(|()| Value::Null),
            }
        })
        .await?;
    if attributes.is_null() {
        return Ok(Vec::new());
    }
    let fact = json!({"TopicArn": arn, "Attributes": attributes});
    let documents = ["Attributes.Policy", "Attributes.DeliveryPolicy", "Attributes.EffectiveDeliveryPolicy"];
    Ok(found(name, decode_documents(fact, &documents)))
}

async fn collect_subscriptions(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let Some(arn) = topic_arn(ctx, sel.str("topic").unwrap_or_default()).await? else { return Ok(Vec::new()) };
    let op = "sns:ListSubscriptionsByTopic";
    let list = ctx
        .call(op, &arn, || async {
            let pages = ctx.clients.sns().list_subscriptions_by_topic().topic_arn(&arn).into_paginator().send();
            all_pages(op, pages, NOT_FOUND, |page| super::facts(page.subscriptions())).await
        })
        .await?;
    Ok(resources_from(list, "SubscriptionArn"))
}

impl ToFact for Subscription {
    fn to_fact(&self) -> Value {
        fact! {
            "SubscriptionArn" => self.subscription_arn(),
            "Owner" => self.owner(),
            "Protocol" => self.protocol(),
            "Endpoint" => self.endpoint(),
            "TopicArn" => self.topic_arn(),
        }
    }
}
