//! CodePipeline: pipeline definitions, their state, and their executions.

use super::fact::ToFact;
use super::{
    Ctx, Kind, LATEST, Resource, Selector, SelectorExt, SelectorKey, SelectorType, all_pages, facts, keep_latest,
    resources_from,
};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_codepipeline::types::{
    ActionCategory, ActionDeclaration, ActionExecution, ActionExecutionStatus, ActionOwner, ActionState, ActionTypeId,
    ArtifactStore, ArtifactStoreType, EncryptionKey, EncryptionKeyType, ExecutionMode, ExecutionTrigger, ExecutionType,
    InputArtifact, OutputArtifact, PipelineDeclaration, PipelineExecutionStatus, PipelineExecutionSummary,
    PipelineMetadata, PipelineType, SourceRevision, StageDeclaration, StageExecution, StageExecutionStatus, StageState,
    TriggerType,
};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&PIPELINE, &PIPELINE_STATE, &EXECUTION];

const NOT_FOUND: &[&str] = &["PipelineNotFoundException"];

pub static PIPELINE: Kind = Kind {
    name: "codepipeline.pipeline",
    description: "A pipeline's definition: stages, actions, artifact store, role.",
    selector: &[SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "pipeline name" }],
    one_of: &[],
    operations: &["codepipeline:ListPipelines", "codepipeline:GetPipeline"],
    unnamed_only: &["codepipeline:ListPipelines"],
    cli: "aws codepipeline get-pipeline --name N",
    collect: |ctx, sel| collect_pipelines(ctx, sel).boxed(),
};

pub static PIPELINE_STATE: Kind = Kind {
    name: "codepipeline.pipeline_state",
    description: "A pipeline's current state: each stage's latest execution and each action's status.",
    selector: &[SelectorKey { name: "name", ty: SelectorType::String, required: true, doc: "pipeline name" }],
    one_of: &[],
    operations: &["codepipeline:GetPipelineState"],
    unnamed_only: &[],
    cli: "aws codepipeline get-pipeline-state --name N",
    collect: |ctx, sel| collect_pipeline_state(ctx, sel).boxed(),
};

pub static EXECUTION: Kind = Kind {
    name: "codepipeline.execution",
    description: "A pipeline's executions, newest first.",
    selector: &[
        SelectorKey { name: "pipeline", ty: SelectorType::String, required: true, doc: "pipeline name" },
        LATEST,
    ],
    one_of: &[],
    operations: &["codepipeline:ListPipelineExecutions"],
    unnamed_only: &[],
    cli: "aws codepipeline list-pipeline-executions --pipeline-name N --query 'pipelineExecutionSummaries[]'",
    collect: |ctx, sel| collect_executions(ctx, sel).boxed(),
};

async fn pipeline_names(ctx: &Ctx) -> Result<Vec<String>, CollectError> {
    let op = "codepipeline:ListPipelines";
    let list = ctx
        .call(op, "", || async {
            let pages = ctx.clients.codepipeline().list_pipelines().into_paginator().send();
            all_pages(op, pages, &[], |page| {
                page.pipelines().iter().filter_map(|p| p.name()).map(|n| Value::String(n.to_string())).collect()
            })
            .await
        })
        .await?;
    Ok(list.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

/// `GetPipeline` for one name; `Null` when there is no such pipeline.
async fn get_pipeline(ctx: &Ctx, name: &str) -> Result<Value, CollectError> {
    let op = "codepipeline:GetPipeline";
    ctx.call(op, name, || async {
        match ctx.clients.codepipeline().get_pipeline().name(name).send().await {
            Ok(out) => Ok(fact! { "pipeline" => out.pipeline(), "metadata" => out.metadata() }),
            Err(err) => CollectError::classify(op, err, NOT_FOUND).map(|()| Value::Null),
        }
    })
    .await
}

async fn collect_pipelines(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let names = match sel.str("name") {
        Some(name) => vec![name.to_string()],
        None => pipeline_names(ctx).await?,
    };
    let facts = futures::future::try_join_all(names.iter().map(|n| get_pipeline(ctx, n))).await?;
    Ok(names
        .into_iter()
        .zip(facts)
        .filter(|(_, fact)| !fact.is_null())
        .map(|(id, fact)| Resource { id, fact })
        .collect())
}

async fn collect_pipeline_state(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "codepipeline:GetPipelineState";
    let fact = ctx
        .call(op, name, || async {
            match ctx.clients.codepipeline().get_pipeline_state().name(name).send().await {
                Ok(out) => Ok(fact! {
                    "pipelineName" => out.pipeline_name(),
                    "pipelineVersion" => out.pipeline_version(),
                    "stageStates" => out.stage_states(),
                    "created" => out.created(),
                    "updated" => out.updated(),
                }),
                Err(err) => CollectError::classify(op, err, NOT_FOUND).map(|()| Value::Null),
            }
        })
        .await?;
    Ok(super::found(name, fact))
}

async fn collect_executions(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let pipeline = sel.str("pipeline").unwrap_or_default();
    let op = "codepipeline:ListPipelineExecutions";
    let list = ctx
        .call(op, pipeline, || async {
            let pages =
                ctx.clients.codepipeline().list_pipeline_executions().pipeline_name(pipeline).into_paginator().send();
            all_pages(op, pages, NOT_FOUND, |page| facts(page.pipeline_execution_summaries())).await
        })
        .await?;
    let executions = resources_from(list, "pipelineExecutionId");
    Ok(keep_latest(executions, sel, "startTime"))
}

enum_facts!(
    ActionCategory,
    ActionExecutionStatus,
    ActionOwner,
    ArtifactStoreType,
    EncryptionKeyType,
    ExecutionMode,
    ExecutionType,
    PipelineExecutionStatus,
    PipelineType,
    StageExecutionStatus,
    TriggerType,
);

impl ToFact for PipelineDeclaration {
    fn to_fact(&self) -> Value {
        fact! {
            "name" => self.name(),
            "roleArn" => self.role_arn(),
            "artifactStore" => self.artifact_store(),
            "artifactStores" => self.artifact_stores(),
            "stages" => self.stages(),
            "version" => self.version(),
            "executionMode" => self.execution_mode(),
            "pipelineType" => self.pipeline_type(),
        }
    }
}

impl ToFact for ArtifactStore {
    fn to_fact(&self) -> Value {
        fact! { "type" => self.r#type(), "location" => self.location(), "encryptionKey" => self.encryption_key() }
    }
}

impl ToFact for EncryptionKey {
    fn to_fact(&self) -> Value {
        fact! { "id" => self.id(), "type" => self.r#type() }
    }
}

impl ToFact for StageDeclaration {
    fn to_fact(&self) -> Value {
        fact! { "name" => self.name(), "actions" => self.actions() }
    }
}

impl ToFact for ActionDeclaration {
    fn to_fact(&self) -> Value {
        fact! {
            "name" => self.name(),
            "actionTypeId" => self.action_type_id(),
            "runOrder" => self.run_order(),
            "configuration" => self.configuration(),
            "outputArtifacts" => self.output_artifacts(),
            "inputArtifacts" => self.input_artifacts(),
            "roleArn" => self.role_arn(),
            "region" => self.region(),
            "namespace" => self.namespace(),
        }
    }
}

impl ToFact for ActionTypeId {
    fn to_fact(&self) -> Value {
        fact! {
            "category" => self.category(),
            "owner" => self.owner(),
            "provider" => self.provider(),
            "version" => self.version(),
        }
    }
}

impl ToFact for InputArtifact {
    fn to_fact(&self) -> Value {
        fact! { "name" => self.name() }
    }
}

impl ToFact for OutputArtifact {
    fn to_fact(&self) -> Value {
        fact! { "name" => self.name() }
    }
}

impl ToFact for PipelineMetadata {
    fn to_fact(&self) -> Value {
        fact! { "pipelineArn" => self.pipeline_arn(), "created" => self.created(), "updated" => self.updated() }
    }
}

impl ToFact for StageState {
    fn to_fact(&self) -> Value {
        fact! {
            "stageName" => self.stage_name(),
            "actionStates" => self.action_states(),
            "latestExecution" => self.latest_execution(),
        }
    }
}

impl ToFact for StageExecution {
    fn to_fact(&self) -> Value {
        fact! { "pipelineExecutionId" => self.pipeline_execution_id(), "status" => self.status() }
    }
}

impl ToFact for ActionState {
    fn to_fact(&self) -> Value {
        fact! {
            "actionName" => self.action_name(),
            "latestExecution" => self.latest_execution(),
            "entityUrl" => self.entity_url(),
            "revisionUrl" => self.revision_url(),
        }
    }
}

impl ToFact for ActionExecution {
    fn to_fact(&self) -> Value {
        fact! {
            "actionExecutionId" => self.action_execution_id(),
            "status" => self.status(),
            "summary" => self.summary(),
            "lastStatusChange" => self.last_status_change(),
            "externalExecutionId" => self.external_execution_id(),
            "percentComplete" => self.percent_complete(),
        }
    }
}

impl ToFact for PipelineExecutionSummary {
    fn to_fact(&self) -> Value {
        fact! {
            "pipelineExecutionId" => self.pipeline_execution_id(),
            "status" => self.status(),
            "statusSummary" => self.status_summary(),
            "startTime" => self.start_time(),
            "lastUpdateTime" => self.last_update_time(),
            "sourceRevisions" => self.source_revisions(),
            "trigger" => self.trigger(),
            "executionMode" => self.execution_mode(),
            "executionType" => self.execution_type(),
        }
    }
}

impl ToFact for SourceRevision {
    fn to_fact(&self) -> Value {
        fact! {
            "actionName" => self.action_name(),
            "revisionId" => self.revision_id(),
            "revisionSummary" => self.revision_summary(),
            "revisionUrl" => self.revision_url(),
        }
    }
}

impl ToFact for ExecutionTrigger {
    fn to_fact(&self) -> Value {
        fact! { "triggerType" => self.trigger_type(), "triggerDetail" => self.trigger_detail() }
    }
}
