# Every instance-backed production variant of an endpoint configuration
# runs on two instances or more, so one instance's failure does not take
# the endpoint down. Serverless variants have no instances and pass.
package vigil.rules.acme_endpoint_variants_redundant

import rego.v1

metadata := {
	"id": "acme-endpoint-variants-redundant",
	"title": "Endpoint variants run on two instances or more",
	"risk": "Medium",
	"kind": "AWS::SageMaker::EndpointConfig",
	"reads": ["ProductionVariants"],
	"fails_when": "a production variant has an InitialInstanceCount below 2",
	"categories": ["Resilience"],
}

deny contains msg if {
	some variant in input.ProductionVariants
	variant.InitialInstanceCount < 2
	msg := sprintf("variant %s of %s runs on %d instance(s)", [
		variant.VariantName,
		input.EndpointConfigName,
		variant.InitialInstanceCount,
	])
}
