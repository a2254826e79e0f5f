# Every SageMaker model either runs with network isolation or is attached
# to a VPC: no model's containers reach the internet directly.
package vigil.rules.acme_model_isolated_or_in_vpc

import rego.v1

metadata := {
	"id": "acme-model-isolated-or-in-vpc",
	"title": "Models are isolated or run in our VPCs",
	"risk": "High",
	"kind": "AWS::SageMaker::Model",
	"reads": ["EnableNetworkIsolation", "VpcConfig"],
	"fails_when": "a model has neither network isolation nor a VpcConfig",
	"categories": ["Network"],
	"article": {
		"why": "A model's containers that are neither isolated nor in a VPC can reach the internet with the model's role.",
		"remediate_cloudformation": "Set `EnableNetworkIsolation: true`, or give the model a `VpcConfig` of our subnets.",
	},
}

deny contains msg if {
	not input.EnableNetworkIsolation
	not input.VpcConfig
	msg := sprintf("model %s has neither isolation nor a VPC", [input.ModelName])
}
