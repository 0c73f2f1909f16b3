//! Collectors against recorded responses in the shape of the AWS API reference, for the
//! operations neither emulator implements natively, and for the errors a real account
//! gives: the SDK deserializes the raw HTTP body exactly as it would from AWS.

use aws_sdk_cloudformation::Client as CloudFormation;
use aws_sdk_cloudformation::types::CallAs;
use aws_sdk_cloudtrail::Client as CloudTrail;
use aws_sdk_codepipeline::Client as CodePipeline;
use aws_sdk_config::Client as Config;
use aws_sdk_s3::Client as S3;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use labcheck::collect::{self, Cause, Clients, Ctx, Selector};
use labcheck::grade::{GradeOptions, Status, grade_lab};
use serde_json::{Value, json};
use std::path::Path;

fn recorded(name: &str) -> String {
    std::fs::read_to_string(Path::new("tests/fixtures/recorded").join(name)).expect("recorded response")
}

fn http(status: u16, body: String) -> HttpResponse {
    HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body))
}

fn aws_error(status: u16, code: &str, message: &str) -> HttpResponse {
    http(status, json!({"__type": code, "message": message}).to_string())
}

/// Clients whose unmocked services point nowhere (a call to them would fail loudly).
fn clients() -> Clients {
    let conf = aws_types::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .build();
    Clients::new(&conf)
}

fn selector(pairs: &[(&str, &str)]) -> Selector {
    pairs.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect()
}

fn pipeline_ctx(rules: &[&Rule]) -> Ctx {
    let mut c = clients();
    c.codepipeline = std::sync::OnceLock::from(mock_client!(aws_sdk_codepipeline, RuleMode::MatchAny, rules));
    Ctx::new(c)
}

fn config_ctx(rules: &[&Rule]) -> Ctx {
    let mut c = clients();
    c.config = std::sync::OnceLock::from(mock_client!(aws_sdk_config, RuleMode::MatchAny, rules));
    Ctx::new(c)
}

/// A CloudFormation (Query protocol) answer: `<{action}Response><{action}Result>{inner}`.
fn query_answer(action: &str, inner: &str) -> HttpResponse {
    let ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    http(200, format!("<{action}Response xmlns=\"{ns}\"><{action}Result>{inner}</{action}Result></{action}Response>"))
}

fn query_error(code: &str) -> HttpResponse {
    let body = format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{code}</Message></Error></ErrorResponse>"
    );
    http(400, body)
}

/// A service-managed stack set made from an Organizations delegated administrator account
/// is found only when asked as DELEGATED_ADMIN; its instances and operations likewise.
#[tokio::test]
async fn a_delegated_administrators_stack_set_is_found_as_one() {
    let as_self = mock!(CloudFormation::describe_stack_set)
        .match_requests(|r| r.call_as() == Some(&CallAs::SelfValue))
        .then_http_response(|| query_error("StackSetNotFoundException"));
    let as_admin = mock!(CloudFormation::describe_stack_set)
        .match_requests(|r| r.call_as() == Some(&CallAs::DelegatedAdmin))
        .then_http_response(|| {
            let set = "<StackSet><StackSetName>org-baseline</StackSetName><Status>ACTIVE</Status>\
                       <PermissionModel>SERVICE_MANAGED</PermissionModel></StackSet>";
            query_answer("DescribeStackSet", set)
        });
    let no_instances_as_self = mock!(CloudFormation::list_stack_instances)
        .match_requests(|r| r.call_as() == Some(&CallAs::SelfValue))
        .then_http_response(|| query_error("StackSetNotFoundException"));
    let instances = mock!(CloudFormation::list_stack_instances)
        .match_requests(|r| r.call_as() == Some(&CallAs::DelegatedAdmin))
        .then_http_response(|| {
            let member = "<member><StackSetId>org-baseline:1</StackSetId><Region>us-west-2</Region>\
                          <Account>111122223333</Account><Status>CURRENT</Status></member>";
            query_answer("ListStackInstances", &format!("<Summaries>{member}</Summaries>"))
        });
    let mut c = clients();
    c.cloudformation = std::sync::OnceLock::from(mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        &[&as_self, &as_admin, &no_instances_as_self, &instances]
    ));
    let ctx = Ctx::new(c);
    let found =
        ctx.collect(collect::kind("cloudformation.stack_set").unwrap(), &selector(&[("name", "org-baseline")])).await;
    assert_eq!(found.unwrap()[0].fact["PermissionModel"], "SERVICE_MANAGED");
    let kind = collect::kind("cloudformation.stack_instance").unwrap();
    let found = ctx.collect(kind, &selector(&[("stack_set", "org-baseline")])).await.unwrap();
    assert_eq!(found[0].id, "111122223333/us-west-2");
    assert_eq!((as_self.num_calls(), as_admin.num_calls()), (1, 1), "each way asked once");
}

/// What each request carried once signed: its URI and its `Authorization` header.
#[derive(Debug, Default, Clone)]
struct SentRequests(std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>);

impl aws_smithy_runtime_api::client::interceptors::Intercept for SentRequests {
    fn name(&self) -> &'static str {
        "SentRequests"
    }

    fn read_before_transmit(
        &self,
        context: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let request = context.request();
        let authorization = request.headers().get("authorization").unwrap_or_default().to_string();
        self.0.lock().unwrap().push((request.uri().to_string(), authorization));
        Ok(())
    }
}

/// S3 answers a request about a bucket of another Region with a redirect: after
/// GetBucketLocation (asked in the account's Region), each Get on the bucket goes to the
/// bucket's own Region, signed for it.
#[tokio::test]
async fn a_buckets_settings_are_asked_in_its_own_region() {
    let location = mock!(S3::get_bucket_location).then_http_response(|| {
        let xml =
            r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-2</LocationConstraint>"#;
        http(200, xml.to_string())
    });
    let versioning = mock!(S3::get_bucket_versioning).then_http_response(|| {
        let xml = r#"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#;
        http(200, xml.to_string())
    });
    let sent = SentRequests::default();
    let mut c = clients();
    let interceptor = sent.clone();
    c.s3 =
        std::sync::OnceLock::from(mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[&location, &versioning], |conf| conf
            .interceptor(interceptor.clone())));
    let ctx = Ctx::new(c);
    let bucket = selector(&[("bucket", "audit-logs")]);
    let found = ctx.collect(collect::kind("s3.bucket_versioning").unwrap(), &bucket).await.unwrap();
    assert_eq!(found[0].fact["Status"], "Enabled");

    let sent = sent.0.lock().unwrap().clone();
    let [(location_uri, location_auth), (versioning_uri, versioning_auth)] = &sent[..] else {
        panic!("two requests expected: {sent:?}")
    };
    assert!(location_uri.contains("location") && location_auth.contains("/us-east-1/s3/aws4_request"), "{sent:?}");
    assert!(versioning_uri.contains("versioning"), "{versioning_uri}");
    assert!(versioning_uri.contains(".s3.eu-west-2.amazonaws.com"), "sent to the bucket's Region: {versioning_uri}");
    assert!(versioning_auth.contains("/eu-west-2/s3/aws4_request"), "signed for it: {versioning_auth}");
}

/// Outside its home Region a multi-Region trail is listed (a shadow trail) but named only
/// by its ARN: the trail kinds find it by name and ask about it by ARN.
#[tokio::test]
async fn a_multi_region_trail_is_graded_outside_its_home_region() {
    const ARN: &str = "arn:aws:cloudtrail:us-west-2:111122223333:trail/org-audit";
    let list = mock!(CloudTrail::describe_trails)
        .match_requests(|r| r.trail_name_list().is_empty() && r.include_shadow_trails() == Some(true))
        .then_http_response(|| {
            let trail =
                json!({"Name": "org-audit", "TrailARN": ARN, "HomeRegion": "us-west-2", "IsMultiRegionTrail": true});
            http(200, json!({"trailList": [trail]}).to_string())
        });
    let status = mock!(CloudTrail::get_trail_status)
        .match_requests(|r| r.name() == Some(ARN))
        .then_http_response(|| http(200, json!({"IsLogging": true}).to_string()));
    let selectors = mock!(CloudTrail::get_event_selectors)
        .match_requests(|r| r.trail_name() == Some(ARN))
        .then_http_response(|| http(200, json!({"TrailARN": ARN, "AdvancedEventSelectors": []}).to_string()));
    let mut c = clients();
    c.cloudtrail =
        std::sync::OnceLock::from(mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, &[&list, &status, &selectors]));
    let ctx = Ctx::new(c);
    let by_name = selector(&[("name", "org-audit")]);
    let trail = ctx.collect(collect::kind("cloudtrail.trail").unwrap(), &by_name).await.unwrap();
    assert_eq!(trail[0].fact["HomeRegion"], "us-west-2");
    let found = ctx.collect(collect::kind("cloudtrail.trail_status").unwrap(), &by_name).await.unwrap();
    assert_eq!(found[0].fact["IsLogging"], true);
    let found = ctx.collect(collect::kind("cloudtrail.event_selectors").unwrap(), &by_name).await.unwrap();
    assert_eq!(found[0].fact["TrailARN"], ARN);
    assert_eq!(list.num_calls(), 1, "the listing is read once");
    let unknown = ctx.collect(collect::kind("cloudtrail.trail_status").unwrap(), &selector(&[("name", "nope")])).await;
    assert!(unknown.unwrap().is_empty(), "a trail no Region lists is not found");
}

#[tokio::test]
async fn pipeline_state_fact_has_the_api_shape() {
    let rule =
        mock!(CodePipeline::get_pipeline_state).then_http_response(|| http(200, recorded("get-pipeline-state.json")));
    let ctx = pipeline_ctx(&[&rule]);
    let kind = collect::kind("codepipeline.pipeline_state").unwrap();
    let found = ctx.collect(kind, &selector(&[("name", "labcheck-pipeline")])).await.unwrap();
    assert_eq!(found.len(), 1);
    let fact = &found[0].fact;
    assert_eq!(fact["pipelineName"], "labcheck-pipeline");
    assert_eq!(fact["stageStates"][0]["latestExecution"]["status"], "Succeeded");
    assert_eq!(fact["stageStates"][1]["actionStates"][0]["latestExecution"]["status"], "Failed");
    assert_eq!(
        fact["stageStates"][1]["actionStates"][0]["latestExecution"]["summary"],
        "Build terminated with state: FAILED"
    );
    assert_eq!(fact["created"], "2025-11-26T20:46:40.5Z");
    // Asked twice, answered once: the memo.
    ctx.collect(kind, &selector(&[("name", "labcheck-pipeline")])).await.unwrap();
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn missing_pipeline_is_no_resource_not_an_error() {
    let rule = mock!(CodePipeline::get_pipeline_state).then_http_response(|| {
        aws_error(400, "PipelineNotFoundException", "Account does not have a pipeline with name 'x'")
    });
    let ctx = pipeline_ctx(&[&rule]);
    let kind = collect::kind("codepipeline.pipeline_state").unwrap();
    assert_eq!(ctx.collect(kind, &selector(&[("name", "x")])).await.unwrap(), vec![]);
}

#[tokio::test]
async fn remediation_fact_has_the_api_shape() {
    let rule = mock!(Config::describe_remediation_configurations)
        .match_requests(|req| req.config_rule_names() == ["s3-bucket-sse-enabled"])
        .then_http_response(|| http(200, recorded("describe-remediation-configurations.json")));
    let ctx = config_ctx(&[&rule]);
    let kind = collect::kind("config.remediation").unwrap();
    let found = ctx.collect(kind, &selector(&[("rule", "s3-bucket-sse-enabled")])).await.unwrap();
    assert_eq!(found.len(), 1);
    let expected: Value = serde_json::from_str(&recorded("describe-remediation-configurations.json")).unwrap();
    assert_eq!(found[0].fact, expected["RemediationConfigurations"][0], "the fact is the API's JSON, field for field");
}

async fn cause_of(response: fn() -> HttpResponse) -> Cause {
    let rule = mock!(Config::describe_remediation_configurations).then_http_response(response);
    let ctx = config_ctx(&[&rule]);
    let kind = collect::kind("config.remediation").unwrap();
    let err = ctx.collect(kind, &selector(&[("rule", "r")])).await.unwrap_err();
    assert_eq!(err.operation, "config:DescribeRemediationConfigurations");
    err.cause
}

#[tokio::test]
async fn errors_are_classified_by_cause() {
    assert_eq!(
        cause_of(|| aws_error(400, "AccessDeniedException", "User is not authorized to perform: config:Describe*"))
            .await,
        Cause::AccessDenied
    );
    assert_eq!(cause_of(|| aws_error(400, "ThrottlingException", "Rate exceeded")).await, Cause::Throttled);
    assert_eq!(cause_of(|| aws_error(400, "UnknownOperationException", "")).await, Cause::NotImplemented);
    assert_eq!(
        cause_of(|| aws_error(501, "InternalFailure", "API action not yet implemented")).await,
        Cause::NotImplemented
    );
    assert_eq!(cause_of(|| aws_error(400, "InvalidParameterValueException", "bad")).await, Cause::Service);
}

/// Grading turns an unreadable account into ERRORs naming the cause, never FAILs.
#[tokio::test]
async fn denied_calls_make_errors_not_failures() {
    let lab = labcheck::lab::load_lab_dir(Path::new("labs/security-compliance/config-rule-remediation")).unwrap();
    let denied = || aws_error(400, "AccessDeniedException", "not authorized");
    let rules = [
        mock!(Config::describe_configuration_recorders).then_http_response(denied),
        mock!(Config::describe_configuration_recorder_status).then_http_response(denied),
        mock!(Config::describe_config_rules).then_http_response(denied),
        mock!(Config::describe_remediation_configurations).then_http_response(denied),
    ];
    let ctx = config_ctx(&rules.iter().collect::<Vec<_>>());
    let result = grade_lab(&lab, &ctx, &GradeOptions::default()).await;
    for o in &result.outcomes {
        assert!(matches!(o.status, Status::Error | Status::Skip), "{} is {:?}: {}", o.id, o.status, o.message);
        if o.status == Status::Error {
            assert_eq!(o.cause, Some(Cause::AccessDenied));
            assert!(o.message.contains("access denied"), "{}", o.message);
            let operation = o.operation.as_deref().unwrap_or_default();
            assert!(operation.starts_with("config:Describe"), "{}: {operation:?}", o.id);
            assert!(o.message.starts_with(operation), "{}", o.message);
        }
    }
    assert!(result.count(Status::Error) > 0);
}

/// Two Config rules satisfy the first check; only the second has the remediation the
/// next check needs. Grading binds the capture to the rule that completes the chain,
/// and says it chose among candidates.
#[tokio::test]
async fn a_capture_binds_the_candidate_that_completes_the_chain() {
    let rule = |name: &str| {
        json!({"ConfigRuleName": name, "ConfigRuleArn": format!("arn:aws:config:us-east-1:123456789012:config-rule/{name}"),
               "ConfigRuleId": format!("config-rule-{name}"), "ConfigRuleState": "ACTIVE",
               "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}})
    };
    let rules = json!({"ConfigRules": [rule("a-draft"), rule("s3-sse")]}).to_string();
    let describe_rules = mock!(Config::describe_config_rules).then_http_response(move || http(200, rules.clone()));
    let remediation = |name: &'static str, configs: Value| {
        let body = json!({ "RemediationConfigurations": configs }).to_string();
        mock!(Config::describe_remediation_configurations)
            .match_requests(move |req| req.config_rule_names() == [name])
            .then_http_response(move || http(200, body.clone()))
    };
    let draft = remediation("a-draft", json!([]));
    let finished = remediation(
        "s3-sse",
        json!([{"ConfigRuleName": "s3-sse", "TargetType": "SSM_DOCUMENT", "TargetId": "AWS-EnableS3BucketEncryption",
                "Automatic": true, "MaximumAutomaticAttempts": 5, "RetryAttemptSeconds": 60}]),
    );
    let lab: labcheck::lab::Lab = serde_yaml::from_str(
        "id: chain\ntitle: t\nsummary: s\nchecks:\n\
         - {id: rule, title: r, kind: config.rule, expect: [{path: Source.SourceIdentifier, equals: S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED}], capture: {rule_name: ConfigRuleName}}\n\
         - {id: remediated, title: m, kind: config.remediation, needs: [rule], select: {rule: '{{ rule_name }}'}, expect: [{path: Automatic, equals: true}]}\n",
    )
    .unwrap();
    let result = grade_lab(&lab, &config_ctx(&[&describe_rules, &draft, &finished]), &GradeOptions::default()).await;
    let statuses: Vec<Status> = result.outcomes.iter().map(|o| o.status).collect();
    assert_eq!(statuses, [Status::Pass, Status::Pass], "{:#?}", result.outcomes);
    assert_eq!(result.outcomes[0].resource.as_deref(), Some("s3-sse"));
    assert!(result.outcomes[0].message.contains("one of 2 candidates"), "{}", result.outcomes[0].message);
    assert_eq!(describe_rules.num_calls(), 1, "the other grading reads the memo");
}

/// The checks an emulator cannot show are proven on AWS's answers instead: each case of a
/// lab's `recorded.yaml` grades the lab against its answers, and the check must reach the
/// case's status. `labcheck validate` requires a passing and a failing case for every
/// check a lab declares `not_emulated`.
#[tokio::test]
async fn checks_no_emulator_shows_are_proven_on_recorded_answers() {
    use labcheck::lab::scenario::{RecordedStatus, load_recorded};
    let loaded = labcheck::lab::load_labs(Path::new("labs"));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut proven = 0;
    for lab in &loaded.labs {
        for case in load_recorded(lab).unwrap_or_else(|e| panic!("{}: {e:?}", lab.id)) {
            let result =
                grade_lab(lab, &crate::common::replaying(case.answers.clone()), &GradeOptions::default()).await;
            let outcome = result.outcomes.iter().find(|o| o.id == case.check).expect("the case's check");
            let want = match case.status {
                RecordedStatus::Pass => Status::Pass,
                RecordedStatus::Fail => Status::Fail,
            };
            assert_eq!(outcome.status, want, "{} case `{}`: {}", lab.id, case.id, outcome.message);
            proven += 1;
        }
    }
    let declared = loaded.labs.iter().flat_map(|l| &l.checks).filter(|c| !c.not_emulated.is_empty()).count();
    assert!(proven >= 2 * declared, "{proven} cases for {declared} checks not emulated");
}
