package vigil.rules.acme_endpoint_variants_redundant_test

import data.vigil.rules.acme_endpoint_variants_redundant as policy
import rego.v1

test_one_instance_fails if {
	policy.deny == {"variant a of c runs on 1 instance(s)"} with input as {
		"EndpointConfigName": "c",
		"ProductionVariants": [
			{"VariantName": "a", "InitialInstanceCount": 1},
			{"VariantName": "b", "InitialInstanceCount": 2},
		],
	}
}

test_serverless_passes if {
	count(policy.deny) == 0 with input as {
		"EndpointConfigName": "c",
		"ProductionVariants": [{"VariantName": "s", "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}],
	}
}
