//! EC2 Auto Scaling: groups (zones, health checks, load balancer target groups) and
//! their scaling policies.

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, all_pages, facts, keep_named, resources_from};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_autoscaling::types::*;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&GROUP, &POLICY];

pub static GROUP: Kind = Kind {
    name: "autoscaling.group",
    description: "An Auto Scaling group: size, Availability Zones and subnets, health check type and grace period, target groups, launch template (LaunchTemplate, or MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification).",
    selector: &[SelectorKey::optional("name", "Auto Scaling group name")],
    one_of: &[],
    operations: &["autoscaling:DescribeAutoScalingGroups"],
    unnamed_only: &[],
    cli: "aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names N --query 'AutoScalingGroups[0]'",
    collect: |ctx, sel| collect_groups(ctx, sel).boxed(),
};

pub static POLICY: Kind = Kind {
    name: "autoscaling.policy",
    description: "The scaling policies of a group: type (target tracking, step, simple), metric, target value.",
    selector: &[
        SelectorKey::required("group", "Auto Scaling group name"),
        SelectorKey::optional("name", "policy name"),
    ],
    one_of: &[],
    operations: &["autoscaling:DescribePolicies"],
    unnamed_only: &[],
    cli: "aws autoscaling describe-policies --auto-scaling-group-name G --query 'ScalingPolicies[]'",
    collect: |ctx, sel| collect_policies(ctx, sel).boxed(),
};

async fn collect_groups(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let names = name.map(|n| vec![n.to_string()]);
    let op = "autoscaling:DescribeAutoScalingGroups";
    let list = ctx
        .call(op, name.unwrap_or_default(), || async {
            let pages =
                ctx.clients.autoscaling().describe_auto_scaling_groups().set_auto_scaling_group_names(names.clone());
            all_pages(op, pages.into_paginator().send(), &[], |page| facts(page.auto_scaling_groups())).await
        })
        .await?;
    Ok(resources_from(list, "AutoScalingGroupName"))
}

async fn collect_policies(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let group = sel.str("group").unwrap_or_default();
    let op = "autoscaling:DescribePolicies";
    let list = ctx
        .call(op, group, || async {
            let pages =
                ctx.clients.autoscaling().describe_policies().auto_scaling_group_name(group).into_paginator().send();
            all_pages(op, pages, &[], |page| facts(page.scaling_policies())).await
        })
        .await?;
    Ok(keep_named(resources_from(list, "PolicyName"), sel, "name", "PolicyName"))
}

enum_facts!(
    CapacityDistributionStrategy,
    CapacityReservationPreference,
    DeletionProtection,
    ImpairedZoneHealthCheckBehavior,
    LifecycleState,
    MetricStatistic,
    MetricType,
    RetentionAction,
    WarmPoolState,
    WarmPoolStatus
);

impl ToFact for AutoScalingGroup {
    fn to_fact(&self) -> Value {
        fact! {
            "AutoScalingGroupName" => self.auto_scaling_group_name(),
            "AutoScalingGroupARN" => self.auto_scaling_group_arn(),
            "LaunchConfigurationName" => self.launch_configuration_name(),
            "LaunchTemplate" => self.launch_template(),
            "MixedInstancesPolicy" => self.mixed_instances_policy(),
            "MinSize" => self.min_size(),
            "MaxSize" => self.max_size(),
            "DesiredCapacity" => self.desired_capacity(),
            "PredictedCapacity" => self.predicted_capacity(),
            "DefaultCooldown" => self.default_cooldown(),
            "AvailabilityZones" => self.availability_zones(),
            "AvailabilityZoneIds" => self.availability_zone_ids(),
            "LoadBalancerNames" => self.load_balancer_names(),
            "TargetGroupARNs" => self.target_group_arns(),
            "HealthCheckType" => self.health_check_type(),
            "HealthCheckGracePeriod" => self.health_check_grace_period(),
            "Instances" => self.instances(),
            "CreatedTime" => self.created_time(),
            "SuspendedProcesses" => self.suspended_processes(),
            "PlacementGroup" => self.placement_group(),
            "VPCZoneIdentifier" => self.vpc_zone_identifier(),
            "EnabledMetrics" => self.enabled_metrics(),
            "Status" => self.status(),
            "Tags" => self.tags(),
            "TerminationPolicies" => self.termination_policies(),
            "NewInstancesProtectedFromScaleIn" => self.new_instances_protected_from_scale_in(),
            "ServiceLinkedRoleARN" => self.service_linked_role_arn(),
            "MaxInstanceLifetime" => self.max_instance_lifetime(),
            "CapacityRebalance" => self.capacity_rebalance(),
            "WarmPoolConfiguration" => self.warm_pool_configuration(),
            "WarmPoolSize" => self.warm_pool_size(),
            "Context" => self.context(),
            "DesiredCapacityType" => self.desired_capacity_type(),
            "DefaultInstanceWarmup" => self.default_instance_warmup(),
            "TrafficSources" => self.traffic_sources(),
            "InstanceMaintenancePolicy" => self.instance_maintenance_policy(),
            "DeletionProtection" => self.deletion_protection(),
            "AvailabilityZoneDistribution" => self.availability_zone_distribution(),
            "AvailabilityZoneImpairmentPolicy" => self.availability_zone_impairment_policy(),
            "CapacityReservationSpecification" => self.capacity_reservation_specification(),
            "InstanceLifecyclePolicy" => self.instance_lifecycle_policy(),
            "Operator" => self.operator(),
        }
    }
}

impl ToFact for ScalingPolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "AutoScalingGroupName" => self.auto_scaling_group_name(),
            "PolicyName" => self.policy_name(),
            "PolicyARN" => self.policy_arn(),
            "PolicyType" => self.policy_type(),
            "AdjustmentType" => self.adjustment_type(),
            "MinAdjustmentStep" => self.min_adjustment_step(),
            "MinAdjustmentMagnitude" => self.min_adjustment_magnitude(),
            "ScalingAdjustment" => self.scaling_adjustment(),
            "Cooldown" => self.cooldown(),
            "StepAdjustments" => self.step_adjustments(),
            "MetricAggregationType" => self.metric_aggregation_type(),
            "EstimatedInstanceWarmup" => self.estimated_instance_warmup(),
            "Alarms" => self.alarms(),
            "TargetTrackingConfiguration" => self.target_tracking_configuration(),
            "Enabled" => self.enabled(),
        }
    }
}

impl ToFact for MixedInstancesPolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "LaunchTemplate" => self.launch_template(),
            "InstancesDistribution" => self.instances_distribution(),
        }
    }
}

impl ToFact for LaunchTemplate {
    fn to_fact(&self) -> Value {
        fact! {
            "LaunchTemplateSpecification" => self.launch_template_specification(),
            "Overrides" => self.overrides(),
        }
    }
}

impl ToFact for LaunchTemplateOverrides {
    fn to_fact(&self) -> Value {
        fact! {
            "InstanceType" => self.instance_type(),
            "WeightedCapacity" => self.weighted_capacity(),
            "LaunchTemplateSpecification" => self.launch_template_specification(),
            "ImageId" => self.image_id(),
        }
    }
}

impl ToFact for InstancesDistribution {
    fn to_fact(&self) -> Value {
        fact! {
            "OnDemandAllocationStrategy" => self.on_demand_allocation_strategy(),
            "OnDemandBaseCapacity" => self.on_demand_base_capacity(),
            "OnDemandPercentageAboveBaseCapacity" => self.on_demand_percentage_above_base_capacity(),
            "SpotAllocationStrategy" => self.spot_allocation_strategy(),
            "SpotInstancePools" => self.spot_instance_pools(),
            "SpotMaxPrice" => self.spot_max_price(),
        }
    }
}

impl ToFact for LaunchTemplateSpecification {
    fn to_fact(&self) -> Value {
        fact! {
            "LaunchTemplateId" => self.launch_template_id(),
            "LaunchTemplateName" => self.launch_template_name(),
            "Version" => self.version(),
        }
    }
}

impl ToFact for Instance {
    fn to_fact(&self) -> Value {
        fact! {
            "InstanceId" => self.instance_id(),
            "InstanceType" => self.instance_type(),
            "AvailabilityZone" => self.availability_zone(),
            "AvailabilityZoneId" => self.availability_zone_id(),
            "LifecycleState" => self.lifecycle_state(),
            "HealthStatus" => self.health_status(),
            "LaunchConfigurationName" => self.launch_configuration_name(),
            "LaunchTemplate" => self.launch_template(),
            "ImageId" => self.image_id(),
            "ProtectedFromScaleIn" => self.protected_from_scale_in(),
            "WeightedCapacity" => self.weighted_capacity(),
        }
    }
}

impl ToFact for SuspendedProcess {
    fn to_fact(&self) -> Value {
        fact! {
            "ProcessName" => self.process_name(),
            "SuspensionReason" => self.suspension_reason(),
        }
    }
}

impl ToFact for EnabledMetric {
    fn to_fact(&self) -> Value {
        fact! {
            "Metric" => self.metric(),
            "Granularity" => self.granularity(),
        }
    }
}

impl ToFact for TagDescription {
    fn to_fact(&self) -> Value {
        fact! {
            "ResourceId" => self.resource_id(),
            "ResourceType" => self.resource_type(),
            "Key" => self.key(),
            "Value" => self.value(),
            "PropagateAtLaunch" => self.propagate_at_launch(),
        }
    }
}

impl ToFact for WarmPoolConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "MaxGroupPreparedCapacity" => self.max_group_prepared_capacity(),
            "MinSize" => self.min_size(),
            "PoolState" => self.pool_state(),
            "Status" => self.status(),
            "InstanceReusePolicy" => self.instance_reuse_policy(),
        }
    }
}

impl ToFact for TrafficSourceIdentifier {
    fn to_fact(&self) -> Value {
        fact! {
            "Identifier" => self.identifier(),
            "Type" => self.r#type(),
        }
    }
}

impl ToFact for InstanceMaintenancePolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "MinHealthyPercentage" => self.min_healthy_percentage(),
            "MaxHealthyPercentage" => self.max_healthy_percentage(),
        }
    }
}

impl ToFact for AvailabilityZoneDistribution {
    fn to_fact(&self) -> Value {
        fact! {
            "CapacityDistributionStrategy" => self.capacity_distribution_strategy(),
        }
    }
}

impl ToFact for AvailabilityZoneImpairmentPolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "ZonalShiftEnabled" => self.zonal_shift_enabled(),
            "ImpairedZoneHealthCheckBehavior" => self.impaired_zone_health_check_behavior(),
        }
    }
}

impl ToFact for CapacityReservationSpecification {
    fn to_fact(&self) -> Value {
        fact! {
            "CapacityReservationPreference" => self.capacity_reservation_preference(),
            "CapacityReservationTarget" => self.capacity_reservation_target(),
        }
    }
}

impl ToFact for InstanceLifecyclePolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "RetentionTriggers" => self.retention_triggers(),
        }
    }
}

impl ToFact for Operator {
    fn to_fact(&self) -> Value {
        fact! {
            "Principal" => self.principal(),
        }
    }
}

impl ToFact for StepAdjustment {
    fn to_fact(&self) -> Value {
        fact! {
            "MetricIntervalLowerBound" => self.metric_interval_lower_bound(),
            "MetricIntervalUpperBound" => self.metric_interval_upper_bound(),
            "ScalingAdjustment" => self.scaling_adjustment(),
        }
    }
}

impl ToFact for Alarm {
    fn to_fact(&self) -> Value {
        fact! {
            "AlarmName" => self.alarm_name(),
            "AlarmARN" => self.alarm_arn(),
        }
    }
}

impl ToFact for TargetTrackingConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "PredefinedMetricSpecification" => self.predefined_metric_specification(),
            "CustomizedMetricSpecification" => self.customized_metric_specification(),
            "TargetValue" => self.target_value(),
            "DisableScaleIn" => self.disable_scale_in(),
        }
    }
}

impl ToFact for InstanceReusePolicy {
    fn to_fact(&self) -> Value {
        fact! {
            "ReuseOnScaleIn" => self.reuse_on_scale_in(),
        }
    }
}

impl ToFact for CapacityReservationTarget {
    fn to_fact(&self) -> Value {
        fact! {
            "CapacityReservationIds" => self.capacity_reservation_ids(),
            "CapacityReservationResourceGroupArns" => self.capacity_reservation_resource_group_arns(),
        }
    }
}

impl ToFact for RetentionTriggers {
    fn to_fact(&self) -> Value {
        fact! {
            "TerminateHookAbandon" => self.terminate_hook_abandon(),
        }
    }
}

impl ToFact for PredefinedMetricSpecification {
    fn to_fact(&self) -> Value {
        fact! {
            "PredefinedMetricType" => self.predefined_metric_type(),
            "ResourceLabel" => self.resource_label(),
        }
    }
}

impl ToFact for CustomizedMetricSpecification {
    fn to_fact(&self) -> Value {
        fact! {
            "MetricName" => self.metric_name(),
            "Namespace" => self.namespace(),
            "Dimensions" => self.dimensions(),
            "Statistic" => self.statistic(),
            "Unit" => self.unit(),
            "Period" => self.period(),
            "Metrics" => self.metrics(),
        }
    }
}

impl ToFact for MetricDimension {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for TargetTrackingMetricDataQuery {
    fn to_fact(&self) -> Value {
        fact! {
            "Id" => self.id(),
            "Expression" => self.expression(),
            "MetricStat" => self.metric_stat(),
            "Label" => self.label(),
            "Period" => self.period(),
            "ReturnData" => self.return_data(),
        }
    }
}

impl ToFact for TargetTrackingMetricStat {
    fn to_fact(&self) -> Value {
        fact! {
            "Metric" => self.metric(),
            "Stat" => self.stat(),
            "Unit" => self.unit(),
            "Period" => self.period(),
        }
    }
}

impl ToFact for Metric {
    fn to_fact(&self) -> Value {
        fact! {
            "Namespace" => self.namespace(),
            "MetricName" => self.metric_name(),
            "Dimensions" => self.dimensions(),
        }
    }
}
