//! Elastic Load Balancing (v2): load balancers, target groups (health checks, with
//! their attributes) and listeners.

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, all_pages, facts, resources_from};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_elasticloadbalancingv2::types::*;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&LOAD_BALANCER, &TARGET_GROUP, &LISTENER];

pub static LOAD_BALANCER: Kind = Kind {
    name: "elbv2.load_balancer",
    description: "An Application or Network Load Balancer: scheme, Availability Zones and subnets, state, plus its Attributes.",
    selector: &[SelectorKey::optional("name", "load balancer name")],
    one_of: &[],
    operations: &["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"],
    unnamed_only: &[],
    cli: "aws elbv2 describe-load-balancers --names N --query 'LoadBalancers[0]' (plus Attributes: describe-load-balancer-attributes)",
    collect: |ctx, sel| collect_load_balancers(ctx, sel).boxed(),
};

pub static TARGET_GROUP: Kind = Kind {
    name: "elbv2.target_group",
    description: "A target group: protocol, health check (path, thresholds, matcher), plus its Attributes (cross-zone, deregistration delay, stickiness).",
    selector: &[SelectorKey::optional("name", "target group name")],
    one_of: &[],
    operations: &["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes"],
    unnamed_only: &[],
    cli: "aws elbv2 describe-target-groups --names N --query 'TargetGroups[0]' (plus Attributes: describe-target-group-attributes)",
    collect: |ctx, sel| collect_target_groups(ctx, sel).boxed(),
};

pub static LISTENER: Kind = Kind {
    name: "elbv2.listener",
    description: "The listeners of a load balancer: port, protocol, certificates, default actions.",
    selector: &[SelectorKey::required("load_balancer", "load balancer name")],
    one_of: &[],
    operations: &["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners"],
    unnamed_only: &[],
    cli: "aws elbv2 describe-listeners --load-balancer-arn ARN --query 'Listeners[]'",
    collect: |ctx, sel| collect_listeners(ctx, sel).boxed(),
};

async fn describe_load_balancers(ctx: &Ctx, name: Option<&str>) -> Result<Value, CollectError> {
    let op = "elasticloadbalancing:DescribeLoadBalancers";
    let names = name.map(|n| vec![n.to_string()]);
    ctx.call(op, name.unwrap_or_default(), || async {
        let pages = ctx.clients.elbv2().describe_load_balancers().set_names(names.clone()).into_paginator().send();
        all_pages(op, pages, &["LoadBalancerNotFound"], |page| facts(page.load_balancers())).await
    })
    .await
}

/// `fact` with `"Attributes"` added, from `attributes` (a memoised list answer).
fn with_attributes(mut fact: Value, attributes: Value) -> Value {
    if let Value::Object(map) = &mut fact {
        map.insert("Attributes".into(), attributes);
    }
    fact
}

async fn collect_load_balancers(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let list = describe_load_balancers(ctx, sel.str("name")).await?;
    let mut out = Vec::new();
    for lb in resources_from(list, "LoadBalancerName") {
        let arn = lb.fact.get("LoadBalancerArn").and_then(Value::as_str).unwrap_or_default().to_string();
        let op = "elasticloadbalancing:DescribeLoadBalancerAttributes";
        let attributes = ctx
            .call(op, &arn, || async {
                match ctx.clients.elbv2().describe_load_balancer_attributes().load_balancer_arn(&arn).send().await {
                    Ok(out) => Ok(Value::Array(facts(out.attributes()))),
                    Err(err) => CollectError::classify(op, err, &["LoadBalancerNotFound"]).map(|()| Value::Null),
                }
            })
            .await?;
        out.push(Resource { id: lb.id, fact: with_attributes(lb.fact, attributes) });
    }
    Ok(out)
}

async fn collect_target_groups(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let names = name.map(|n| vec![n.to_string()]);
    let op = "elasticloadbalancing:DescribeTargetGroups";
    let list = ctx
        .call(op, name.unwrap_or_default(), || async {
            let pages = ctx.clients.elbv2().describe_target_groups().set_names(names.clone()).into_paginator().send();
            all_pages(op, pages, &["TargetGroupNotFound"], |page| facts(page.target_groups())).await
        })
        .await?;
    let mut out = Vec::new();
    for tg in resources_from(list, "TargetGroupName") {
        let arn = tg.fact.get("TargetGroupArn").and_then(Value::as_str).unwrap_or_default().to_string();
        let op = "elasticloadbalancing:DescribeTargetGroupAttributes";
        let attributes = ctx
            .call(op, &arn, || async {
                match ctx.clients.elbv2().describe_target_group_attributes().target_group_arn(&arn).send().await {
                    Ok(out) => Ok(Value::Array(facts(out.attributes()))),
                    Err(err) => CollectError::classify(op, err, &["TargetGroupNotFound"]).map(|()| Value::Null),
                }
            })
            .await?;
        out.push(Resource { id: tg.id, fact: with_attributes(tg.fact, attributes) });
    }
    Ok(out)
}

async fn collect_listeners(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let list = describe_load_balancers(ctx, sel.str("load_balancer")).await?;
    let mut out = Vec::new();
    for lb in resources_from(list, "LoadBalancerName") {
        let arn = lb.fact.get("LoadBalancerArn").and_then(Value::as_str).unwrap_or_default().to_string();
        let op = "elasticloadbalancing:DescribeListeners";
        let listeners = ctx
            .call(op, &arn, || async {
                let pages = ctx.clients.elbv2().describe_listeners().load_balancer_arn(&arn).into_paginator().send();
                all_pages(op, pages, &["LoadBalancerNotFound"], |page| facts(page.listeners())).await
            })
            .await?;
        out.extend(resources_from(listeners, "ListenerArn"));
    }
    Ok(out)
}

enum_facts!(
    ActionTypeEnum,
    AdvertiseTrustStoreCaNamesEnum,
    AuthenticateCognitoActionConditionalBehaviorEnum,
    AuthenticateOidcActionConditionalBehaviorEnum,
    EnablePrefixForIpv6SourceNatEnum,
    IpAddressType,
    JwtValidationActionAdditionalClaimFormatEnum,
    LoadBalancerSchemeEnum,
    LoadBalancerStateEnum,
    LoadBalancerTypeEnum,
    ProtocolEnum,
    RedirectActionStatusCodeEnum,
    TargetGroupIpAddressTypeEnum,
    TargetTypeEnum,
    TrustStoreAssociationStatusEnum
);

impl ToFact for LoadBalancer {
    fn to_fact(&self) -> Value {
        fact! {
            "LoadBalancerArn" => self.load_balancer_arn(),
            "DNSName" => self.dns_name(),
            "CanonicalHostedZoneId" => self.canonical_hosted_zone_id(),
            "CreatedTime" => self.created_time(),
            "LoadBalancerName" => self.load_balancer_name(),
            "Scheme" => self.scheme(),
            "VpcId" => self.vpc_id(),
            "State" => self.state(),
            "Type" => self.r#type(),
            "AvailabilityZones" => self.availability_zones(),
            "SecurityGroups" => self.security_groups(),
            "IpAddressType" => self.ip_address_type(),
            "CustomerOwnedIpv4Pool" => self.customer_owned_ipv4_pool(),
            "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic" => self.enforce_security_group_inbound_rules_on_private_link_traffic(),
            "EnablePrefixForIpv6SourceNat" => self.enable_prefix_for_ipv6_source_nat(),
            "IpamPools" => self.ipam_pools(),
        }
    }
}

impl ToFact for LoadBalancerAttribute {
    fn to_fact(&self) -> Value {
        fact! {
            "Key" => self.key(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for TargetGroup {
    fn to_fact(&self) -> Value {
        fact! {
            "TargetGroupArn" => self.target_group_arn(),
            "TargetGroupName" => self.target_group_name(),
            "Protocol" => self.protocol(),
            "Port" => self.port(),
            "VpcId" => self.vpc_id(),
            "HealthCheckProtocol" => self.health_check_protocol(),
            "HealthCheckPort" => self.health_check_port(),
            "HealthCheckEnabled" => self.health_check_enabled(),
            "HealthCheckIntervalSeconds" => self.health_check_interval_seconds(),
            "HealthCheckTimeoutSeconds" => self.health_check_timeout_seconds(),
            "HealthyThresholdCount" => self.healthy_threshold_count(),
            "UnhealthyThresholdCount" => self.unhealthy_threshold_count(),
            "HealthCheckPath" => self.health_check_path(),
            "Matcher" => self.matcher(),
            "LoadBalancerArns" => self.load_balancer_arns(),
            "TargetType" => self.target_type(),
            "ProtocolVersion" => self.protocol_version(),
            "IpAddressType" => self.ip_address_type(),
            "TargetControlPort" => self.target_control_port(),
        }
    }
}

impl ToFact for TargetGroupAttribute {
    fn to_fact(&self) -> Value {
        fact! {
            "Key" => self.key(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for Listener {
    fn to_fact(&self) -> Value {
        fact! {
            "ListenerArn" => self.listener_arn(),
            "LoadBalancerArn" => self.load_balancer_arn(),
            "Port" => self.port(),
            "Protocol" => self.protocol(),
            "Certificates" => self.certificates(),
            "SslPolicy" => self.ssl_policy(),
            "DefaultActions" => self.default_actions(),
            "AlpnPolicy" => self.alpn_policy(),
            "MutualAuthentication" => self.mutual_authentication(),
        }
    }
}

impl ToFact for LoadBalancerState {
    fn to_fact(&self) -> Value {
        fact! {
            "Code" => self.code(),
            "Reason" => self.reason(),
        }
    }
}

impl ToFact for AvailabilityZone {
    fn to_fact(&self) -> Value {
        fact! {
            "ZoneName" => self.zone_name(),
            "SubnetId" => self.subnet_id(),
            "OutpostId" => self.outpost_id(),
            "LoadBalancerAddresses" => self.load_balancer_addresses(),
            "SourceNatIpv6Prefixes" => self.source_nat_ipv6_prefixes(),
        }
    }
}

impl ToFact for IpamPools {
    fn to_fact(&self) -> Value {
        fact! {
            "Ipv4IpamPoolId" => self.ipv4_ipam_pool_id(),
        }
    }
}

impl ToFact for Matcher {
    fn to_fact(&self) -> Value {
        fact! {
            "HttpCode" => self.http_code(),
            "GrpcCode" => self.grpc_code(),
        }
    }
}

impl ToFact for Certificate {
    fn to_fact(&self) -> Value {
        fact! {
            "CertificateArn" => self.certificate_arn(),
            "IsDefault" => self.is_default(),
        }
    }
}

impl ToFact for Action {
    fn to_fact(&self) -> Value {
        fact! {
            "Type" => self.r#type(),
            "TargetGroupArn" => self.target_group_arn(),
            "AuthenticateOidcConfig" => self.authenticate_oidc_config(),
            "AuthenticateCognitoConfig" => self.authenticate_cognito_config(),
            "Order" => self.order(),
            "RedirectConfig" => self.redirect_config(),
            "FixedResponseConfig" => self.fixed_response_config(),
            "ForwardConfig" => self.forward_config(),
            "JwtValidationConfig" => self.jwt_validation_config(),
        }
    }
}

impl ToFact for MutualAuthenticationAttributes {
    fn to_fact(&self) -> Value {
        fact! {
            "Mode" => self.mode(),
            "TrustStoreArn" => self.trust_store_arn(),
            "IgnoreClientCertificateExpiry" => self.ignore_client_certificate_expiry(),
            "TrustStoreAssociationStatus" => self.trust_store_association_status(),
            "AdvertiseTrustStoreCaNames" => self.advertise_trust_store_ca_names(),
        }
    }
}

impl ToFact for LoadBalancerAddress {
    fn to_fact(&self) -> Value {
        fact! {
            "IpAddress" => self.ip_address(),
            "AllocationId" => self.allocation_id(),
            "PrivateIPv4Address" => self.private_ipv4_address(),
            "IPv6Address" => self.ipv6_address(),
        }
    }
}

impl ToFact for AuthenticateOidcActionConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "Issuer" => self.issuer(),
            "AuthorizationEndpoint" => self.authorization_endpoint(),
            "TokenEndpoint" => self.token_endpoint(),
            "UserInfoEndpoint" => self.user_info_endpoint(),
            "ClientId" => self.client_id(),
            "ClientSecret" => self.client_secret(),
            "SessionCookieName" => self.session_cookie_name(),
            "Scope" => self.scope(),
            "SessionTimeout" => self.session_timeout(),
            "AuthenticationRequestExtraParams" => self.authentication_request_extra_params(),
            "OnUnauthenticatedRequest" => self.on_unauthenticated_request(),
            "UseExistingClientSecret" => self.use_existing_client_secret(),
        }
    }
}

impl ToFact for AuthenticateCognitoActionConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "UserPoolArn" => self.user_pool_arn(),
            "UserPoolClientId" => self.user_pool_client_id(),
            "UserPoolDomain" => self.user_pool_domain(),
            "SessionCookieName" => self.session_cookie_name(),
            "Scope" => self.scope(),
            "SessionTimeout" => self.session_timeout(),
            "AuthenticationRequestExtraParams" => self.authentication_request_extra_params(),
            "OnUnauthenticatedRequest" => self.on_unauthenticated_request(),
        }
    }
}

impl ToFact for RedirectActionConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "Protocol" => self.protocol(),
            "Port" => self.port(),
            "Host" => self.host(),
            "Path" => self.path(),
            "Query" => self.query(),
            "StatusCode" => self.status_code(),
        }
    }
}

impl ToFact for FixedResponseActionConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "MessageBody" => self.message_body(),
            "StatusCode" => self.status_code(),
            "ContentType" => self.content_type(),
        }
    }
}

impl ToFact for ForwardActionConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "TargetGroups" => self.target_groups(),
            "TargetGroupStickinessConfig" => self.target_group_stickiness_config(),
        }
    }
}

impl ToFact for JwtValidationActionConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "JwksEndpoint" => self.jwks_endpoint(),
            "Issuer" => self.issuer(),
            "AdditionalClaims" => self.additional_claims(),
        }
    }
}

impl ToFact for TargetGroupTuple {
    fn to_fact(&self) -> Value {
        fact! {
            "TargetGroupArn" => self.target_group_arn(),
            "Weight" => self.weight(),
        }
    }
}

impl ToFact for TargetGroupStickinessConfig {
    fn to_fact(&self) -> Value {
        fact! {
            "Enabled" => self.enabled(),
            "DurationSeconds" => self.duration_seconds(),
        }
    }
}

impl ToFact for JwtValidationActionAdditionalClaim {
    fn to_fact(&self) -> Value {
        fact! {
            "Format" => self.format(),
            "Name" => self.name(),
            "Values" => self.values(),
        }
    }
}
