//! Rules for Amazon SageMaker resources.

pub mod model_network_isolation;
