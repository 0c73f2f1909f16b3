//! Lambda: functions' configuration, resource policies, aliases, asynchronous invocation.

use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, keep_named, raw::decode_documents, resources_from,
};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&FUNCTION, &CONCURRENCY, &POLICY, &ALIAS, &EVENT_INVOKE_CONFIG];

const FUNCTION_KEY: SelectorKey = SelectorKey::required("function", "function name or ARN");
const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

pub static FUNCTION: Kind = Kind {
    name: "lambda.function",
    description: "A Lambda function's configuration: runtime, role, timeout, tracing, dead-letter queue, environment.",
    selector: &[SelectorKey::optional("name", "function name")],
    one_of: &[],
    operations: &["lambda:GetFunctionConfiguration", "lambda:ListFunctions"],
    unnamed_only: &["lambda:ListFunctions"],
    cli: "aws lambda get-function-configuration --function-name N",
    collect: |ctx, sel| collect_functions(ctx, sel).boxed(),
};

pub static CONCURRENCY: Kind = Kind {
    name: "lambda.function_concurrency",
    description: "A function's reserved concurrency (ReservedConcurrentExecutions; absent when none is reserved).",
    selector: &[FUNCTION_KEY],
    one_of: &[],
    operations: &["lambda:GetFunctionConcurrency"],
    unnamed_only: &[],
    cli: "aws lambda get-function-concurrency --function-name F",
    collect: |ctx, sel| collect_concurrency(ctx, sel).boxed(),
};

pub static POLICY: Kind = Kind {
    name: "lambda.policy",
    description: "A function's resource-based policy (who may invoke it), decoded.",
    selector: &[FUNCTION_KEY],
    one_of: &[],
    operations: &["lambda:GetPolicy"],
    unnamed_only: &[],
    cli: "aws lambda get-policy --function-name F",
    collect: |ctx, sel| collect_policy(ctx, sel).boxed(),
};

pub static ALIAS: Kind = Kind {
    name: "lambda.alias",
    description: "A function's aliases: the version each points to, weighted routing.",
    selector: &[FUNCTION_KEY, SelectorKey::optional("name", "alias name")],
    one_of: &[],
    operations: &["lambda:ListAliases"],
    unnamed_only: &[],
    cli: "aws lambda list-aliases --function-name F --query 'Aliases[]'",
    collect: |ctx, sel| collect_aliases(ctx, sel).boxed(),
};

pub static EVENT_INVOKE_CONFIG: Kind = Kind {
    name: "lambda.event_invoke_config",
    description: "A function's asynchronous invocation settings: retries, event age, on-success/on-failure destinations.",
    selector: &[FUNCTION_KEY],
    one_of: &[],
    operations: &["lambda:GetFunctionEventInvokeConfig"],
    unnamed_only: &[],
    cli: "aws lambda get-function-event-invoke-config --function-name F",
    collect: |ctx, sel| collect_event_invoke_config(ctx, sel).boxed(),
};

async fn collect_functions(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    match sel.str("name") {
        Some(name) => {
            let op = "lambda:GetFunctionConfiguration";
            let body = raw_call!(
                ctx,
                op,
                name,
                NOT_FOUND,
                ctx.clients.lambda().get_function_configuration().function_name(name)
            )
            .await?;
            Ok(found(name, body))
        }
        None => {
            let op = "lambda:ListFunctions";
            let list = raw_pages!(ctx, op, "", NOT_FOUND, "Functions", "NextMarker", |marker| ctx
                .clients
                .lambda()
                .list_functions()
                .set_marker(marker.clone()))
            .await?;
            Ok(resources_from(list, "FunctionName"))
        }
    }
}

async fn collect_concurrency(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let function = sel.str("function").unwrap_or_default();
    let op = "lambda:GetFunctionConcurrency";
    let body =
        raw_call!(ctx, op, function, NOT_FOUND, ctx.clients.lambda().get_function_concurrency().function_name(function))
            .await?;
    Ok(found(function, body))
}

async fn collect_policy(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let function = sel.str("function").unwrap_or_default();
    let op = "lambda:GetPolicy";
    let body = raw_call!(ctx, op, function, NOT_FOUND, ctx.clients.lambda().get_policy().function_name(function)).await?;
    Ok(found(function, decode_documents(body, &["Policy"])))
}

async fn collect_aliases(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let function = sel.str("function").unwrap_or_default();
    let op = "lambda:ListAliases";
    let list = raw_pages!(ctx, op, function, NOT_FOUND, "Aliases", "NextMarker", |marker| ctx
        .clients
        .lambda()
        .list_aliases()
        .function_name(function)
        .set_marker(marker.clone()))
    .await?;
    Ok(keep_named(resources_from(list, "Name"), sel, "name", "Name"))
}

async fn collect_event_invoke_config(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let function = sel.str("function").unwrap_or_default();
    let op = "lambda:GetFunctionEventInvokeConfig";
    let body = raw_call!(
        ctx,
        op,
        function,
        NOT_FOUND,
        ctx.clients.lambda().get_function_event_invoke_config().function_name(function)
    )
    .await?;
    Ok(found(function, body))
}
