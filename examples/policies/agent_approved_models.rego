# Bedrock agents run on the foundation models the team approved.
package vigil.rules.acme_agent_approved_models

import rego.v1

metadata := {
	"id": "acme-agent-approved-models",
	"title": "Bedrock agents use approved foundation models",
	"risk": "Medium",
	"kind": "AWS::Bedrock::Agent",
	"reads": ["FoundationModel"],
	"fails_when": "an agent's FoundationModel is not on the approved list",
	"categories": ["Governance"],
}

approved := {"anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.nova-pro-v1:0"}

deny contains msg if {
	model := object.get(input, "FoundationModel", "no model")
	not model in approved
	msg := sprintf("agent %s runs on %v, which is not an approved model", [input.AgentName, model])
}
