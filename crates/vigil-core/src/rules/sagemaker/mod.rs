//! Rules for Amazon SageMaker resources.

pub mod model_in_vpc;
pub mod model_network_isolation;
