//! `AWS::SageMaker::NotebookInstance` / `aws_sagemaker_notebook_instance`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Identity, NotebookInstance};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::NotebookInstance,
    cloudformation: &[CfnType::named("AWS::SageMaker::NotebookInstance")],
    terraform: &[TfType {
        name: "aws_sagemaker_notebook_instance",
        reported_as: "AWS::SageMaker::NotebookInstance",
    }],
    properties: &[
        NotebookInstance::DIRECT_INTERNET_ACCESS,
        NotebookInstance::SUBNET_ID,
        NotebookInstance::ROOT_ACCESS,
        NotebookInstance::KMS_KEY_ID,
        NotebookInstance::IMDS_MINIMUM_VERSION,
        NotebookInstance::PLATFORM,
        NotebookInstance::ROLE_ARN,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::NotebookInstance(NotebookInstance {
        identity: Identity::declared(declared.name(&NotebookInstance::NAME)),
        direct_internet_access: declared.enabled(&NotebookInstance::DIRECT_INTERNET_ACCESS),
        // Any subnet, even one chosen at deployment, puts the instance in a VPC.
        subnet_id: Fact::Known(declared.written(&NotebookInstance::SUBNET_ID)),
        root_access: declared.enabled(&NotebookInstance::ROOT_ACCESS),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_id: Fact::Known(declared.key(&NotebookInstance::KMS_KEY_ID)),
        imds_v2_required: declared.equals(&NotebookInstance::IMDS_MINIMUM_VERSION, "2"),
        platform: declared.text(&NotebookInstance::PLATFORM),
        // A role the template declares is named by its logical id or
        // address, which messages show (not `!GetAtt Role.Arn`).
        role_arn: Fact::Known(declared.named(&NotebookInstance::ROLE_ARN)),
        // Whether a role exists is a fact of the account, not the template.
        role_exists: Fact::unknown(vigil_core::SageMakerModel::ROLE_NOT_LOOKED_UP),
        role_policies: declared.role_policies(&NotebookInstance::ROLE_ARN),
        egress: declared.egress(&NotebookInstance::SUBNET_ID),
    })
}
