package vigil.rules.acme_model_isolated_or_in_vpc_test

import data.vigil.rules.acme_model_isolated_or_in_vpc as policy
import rego.v1

test_a_model_with_neither_fails if {
	policy.deny == {"model m has neither isolation nor a VPC"} with input as {"ModelName": "m"}
}

test_an_isolated_model_passes if {
	count(policy.deny) == 0 with input as {"ModelName": "m", "EnableNetworkIsolation": true}
}

test_a_model_in_a_vpc_passes if {
	count(policy.deny) == 0 with input as {
		"ModelName": "m",
		"EnableNetworkIsolation": false,
		"VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]},
	}
}
