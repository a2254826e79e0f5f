//! Model-monitoring job definitions (data quality, model quality, bias,
//! explainability) and schedules. A schedule is judged on the definition
//! it embeds; one that names a separate definition is judged through it.
//! Terraform's AWS provider declares only data-quality definitions.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Identity, MonitoringJob, MonitoringSettings};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::MonitoringJob,
    cloudformation: &[
        definition(
            "AWS::SageMaker::DataQualityJobDefinition",
            &[RESOURCES, ("MonitoringOutputConfig", "DataQualityJobOutputConfig")],
        ),
        definition(
            "AWS::SageMaker::ModelQualityJobDefinition",
            &[RESOURCES, ("MonitoringOutputConfig", "ModelQualityJobOutputConfig")],
        ),
        definition(
            "AWS::SageMaker::ModelBiasJobDefinition",
            &[RESOURCES, ("MonitoringOutputConfig", "ModelBiasJobOutputConfig")],
        ),
        definition(
            "AWS::SageMaker::ModelExplainabilityJobDefinition",
            &[
                RESOURCES,
                ("MonitoringOutputConfig", "ModelExplainabilityJobOutputConfig"),
            ],
        ),
        CfnType {
            name: "AWS::SageMaker::MonitoringSchedule",
            root: "MonitoringScheduleConfig.MonitoringJobDefinition",
            renames: &[],
        },
    ],
    terraform: &[TfType {
        name: "aws_sagemaker_data_quality_job_definition",
        reported_as: "AWS::SageMaker::DataQualityJobDefinition",
    }],
    properties: &[
        MonitoringJob::NETWORK_ISOLATION,
        MonitoringJob::INTER_CONTAINER_ENCRYPTION,
        MonitoringJob::INSTANCE_COUNT,
        MonitoringJob::VOLUME_KMS_KEY_ID,
        MonitoringJob::OUTPUT_KMS_KEY_ID,
    ],
    fixes: &[],
    build,
};

/// A definition names its resources block `JobResources`, and its output
/// block after its type.
const RESOURCES: (&str, &str) = ("MonitoringResources", "JobResources");

const fn definition(name: &'static str, renames: &'static [(&'static str, &'static str)]) -> CfnType {
    CfnType {
        name,
        root: "",
        renames,
    }
}

fn build(declared: &Declared) -> Resource {
    let instance_count = match declared.number(&MonitoringJob::INSTANCE_COUNT) {
        Fact::Known(Some(count)) => Fact::Known(count),
        Fact::Known(None) => Fact::unknown("the definition declares no instance count"),
        Fact::Unknown(why) => Fact::Unknown(why),
    };
    Resource::MonitoringJob(MonitoringJob {
        identity: Identity::declared(declared.name(&MonitoringJob::NAME)),
        type_name: declared.type_name,
        settings: MonitoringSettings {
            network_isolation: declared.flag(&MonitoringJob::NETWORK_ISOLATION),
            inter_container_encryption: declared.flag(&MonitoringJob::INTER_CONTAINER_ENCRYPTION),
            instance_count,
            instance_type: declared.text(&MonitoringJob::INSTANCE_TYPE),
            // A key chosen at deployment (a reference, a parameter) is still a key.
            volume_kms_key_id: Fact::Known(declared.key(&MonitoringJob::VOLUME_KMS_KEY_ID)),
            output_kms_key_id: Fact::Known(declared.key(&MonitoringJob::OUTPUT_KMS_KEY_ID)),
        },
    })
}
