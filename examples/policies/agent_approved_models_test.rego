package vigil.rules.acme_agent_approved_models_test

import data.vigil.rules.acme_agent_approved_models as policy
import rego.v1

test_an_approved_model_passes if {
	count(policy.deny) == 0 with input as {"AgentName": "a", "FoundationModel": "amazon.nova-pro-v1:0"}
}

test_another_model_fails if {
	policy.deny == {"agent a runs on meta.llama3-8b-instruct-v1:0, which is not an approved model"} with input as {
		"AgentName": "a",
		"FoundationModel": "meta.llama3-8b-instruct-v1:0",
	}
}

test_an_agent_without_a_model_fails if {
	count(policy.deny) == 1 with input as {"AgentName": "a"}
}
