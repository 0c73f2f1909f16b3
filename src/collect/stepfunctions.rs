//! Step Functions: state machines, with their definition decoded.

use super::{Ctx, Kind, Resource, Selector, SelectorKey, found, keep_named, raw::decode_documents, resources_from};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&STATE_MACHINE];

pub static STATE_MACHINE: Kind = Kind {
    name: "stepfunctions.state_machine",
    description: "A state machine: type, role, definition (decoded), logging and X-Ray tracing.",
    selector: &[SelectorKey::optional("name", "state machine name")],
    one_of: &[],
    // The name is found by listing: DescribeStateMachine takes only an ARN.
    operations: &["states:ListStateMachines", "states:DescribeStateMachine"],
    unnamed_only: &[],
    cli: "aws stepfunctions describe-state-machine --state-machine-arn ARN",
    collect: |ctx, sel| collect_state_machines(ctx, sel).boxed(),
};

async fn collect_state_machines(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "states:ListStateMachines";
    let list = raw_pages!(ctx, op, "", &[], "stateMachines", "nextToken", |token| ctx
        .clients
        .sfn()
        .list_state_machines()
        .set_next_token(token.clone()))
    .await?;
    let mut out = Vec::new();
    for item in keep_named(resources_from(list, "name"), sel, "name", "name") {
        let Some(arn) = item.fact.get("stateMachineArn").and_then(Value::as_str) else { continue };
        let op = "states:DescribeStateMachine";
        let not_found = &["StateMachineDoesNotExist"];
        let body =
            raw_call!(ctx, op, arn, not_found, ctx.clients.sfn().describe_state_machine().state_machine_arn(arn)).await?;
        out.extend(found(item.id, decode_documents(body, &["definition"])));
    }
    Ok(out)
}
