//! Model-monitoring job definitions (data quality, model quality, bias,
//! explainability) and schedules. A schedule is judged on the definition
//! it embeds; one that names a separate definition is judged through it.
//! Terraform's AWS provider declares only data-quality definitions.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Identity, IsolatableJob};
use vigil_core::{Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::MonitoringJob,
    cloudformation: &[
        definition("AWS::SageMaker::DataQualityJobDefinition"),
        definition("AWS::SageMaker::ModelQualityJobDefinition"),
        definition("AWS::SageMaker::ModelBiasJobDefinition"),
        definition("AWS::SageMaker::ModelExplainabilityJobDefinition"),
        CfnType {
            name: "AWS::SageMaker::MonitoringSchedule",
            root: "MonitoringScheduleConfig.MonitoringJobDefinition",
        },
    ],
    terraform: &[TfType {
        name: "aws_sagemaker_data_quality_job_definition",
        reported_as: "AWS::SageMaker::DataQualityJobDefinition",
    }],
    properties: &[IsolatableJob::NETWORK_ISOLATION],
    fixes: &[],
    build,
};

const fn definition(name: &'static str) -> CfnType {
    CfnType { name, root: "" }
}

fn build(declared: &Declared) -> Resource {
    let job = IsolatableJob::new(
        Identity::declared(declared.name(&IsolatableJob::NAME)),
        declared.flag(&IsolatableJob::NETWORK_ISOLATION),
    );
    Resource::MonitoringJob(job, declared.type_name)
}
