# The flagship rule written as a policy, for bench/policy.sh: the same
# property and verdicts as sagemaker-model-network-isolation.
package vigil.rules.bench_model_isolation

import rego.v1

metadata := {
	"id": "bench-model-isolation",
	"title": "Enable Network Isolation for SageMaker Models (as a policy)",
	"risk": "Medium",
	"kind": "AWS::SageMaker::Model",
	"reads": ["EnableNetworkIsolation"],
	"fails_when": "a model's EnableNetworkIsolation is not true",
}

# Absent is false, as on AWS.
deny contains msg if {
	not input.EnableNetworkIsolation == true
	msg := sprintf("Model %s does not enable network isolation", [input.ModelName])
}
