//! EC2: the subnets other resources are placed in (their VPC and Availability Zone).

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_ec2::types::{Filter, Subnet, SubnetState};
use futures::FutureExt;
use serde_json::{Value, json};

pub static KINDS: &[&Kind] = &[&SUBNETS];

pub static SUBNETS: Kind = Kind {
    name: "ec2.subnets",
    description: "Subnets by id, as one resource (Subnets: each one's VPC, Availability Zone, CIDR, state); ids that \
                  do not exist are left out. unique(Subnets[].AvailabilityZone) gives the Availability Zones they span.",
    selector: &[SelectorKey::required_list("ids", "subnet ids, e.g. a capture of a service's subnets")],
    one_of: &[],
    operations: &["ec2:DescribeSubnets"],
    unnamed_only: &[],
    cli: "aws ec2 describe-subnets --filters Name=subnet-id,Values=ID1,ID2 --query '{Subnets: Subnets}'",
    collect: |ctx, sel| collect_subnets(ctx, sel).boxed(),
};

async fn collect_subnets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let ids = sel.strings("ids");
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let op = "ec2:DescribeSubnets";
    let key = ids.join(",");
    // A filter, not SubnetIds: one id that does not exist would fail the whole call.
    let filter = Filter::builder().name("subnet-id").set_values(Some(ids)).build();
    let subnets = ctx
        .call(op, &key, || async {
            match ctx.clients.ec2().describe_subnets().filters(filter).send().await {
                Ok(out) => Ok(json!({ "Subnets": out.subnets().to_fact() })),
                Err(err) => CollectError::classify(op, err, &[]).map(|()| Value::Null),
            }
        })
        .await?;
    let none = subnets["Subnets"].as_array().is_none_or(Vec::is_empty);
    Ok(if none { vec![] } else { found(key, subnets) })
}

enum_facts!(SubnetState);

impl ToFact for Subnet {
    fn to_fact(&self) -> Value {
        fact! {
            "SubnetId" => self.subnet_id(),
            "SubnetArn" => self.subnet_arn(),
            "VpcId" => self.vpc_id(),
            "AvailabilityZone" => self.availability_zone(),
            "AvailabilityZoneId" => self.availability_zone_id(),
            "CidrBlock" => self.cidr_block(),
            "State" => self.state(),
            "DefaultForAz" => self.default_for_az(),
            "MapPublicIpOnLaunch" => self.map_public_ip_on_launch(),
            "OwnerId" => self.owner_id(),
        }
    }
}
