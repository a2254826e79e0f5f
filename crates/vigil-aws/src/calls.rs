//! Counts every API operation and HTTP attempt the SDK makes, by
//! `service:Operation`, so a run can show that it made no wasted calls and how
//! many retries throttling cost.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use vigil_core::report::CallCount;

#[derive(Debug, Clone, Default)]
pub struct CallCounter {
    counts: Arc<Mutex<BTreeMap<String, CallCount>>>,
}

impl CallCounter {
    pub fn snapshot(&self) -> BTreeMap<String, CallCount> {
        self.counts.lock().expect("call counter poisoned").clone()
    }

    /// Counts an operation (or, with `attempt`, an HTTP attempt) of a call
    /// made without an SDK client (`describe_regions.rs`).
    pub fn record(&self, operation: &str, attempt: bool) {
        self.add(operation.to_owned(), attempt);
    }

    fn bump(&self, cfg: &ConfigBag, attempt: bool) {
        let key = match cfg.load::<Metadata>() {
            Some(meta) => format!("{}:{}", service_prefix(meta.service()), meta.name()),
            None => "unknown".to_owned(),
        };
        self.add(key, attempt);
    }

    fn add(&self, key: String, attempt: bool) {
        let mut counts = self.counts.lock().expect("call counter poisoned");
        let entry = counts.entry(key).or_default();
        if attempt {
            entry.attempts += 1;
        } else {
            entry.operations += 1;
        }
    }
}

/// `SageMaker` → `sagemaker`, as IAM spells service prefixes.
fn service_prefix(service: &str) -> String {
    service.to_ascii_lowercase().replace(' ', "")
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "VigilCallCounter"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.bump(cfg, false);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.bump(cfg, true);
        Ok(())
    }
}
