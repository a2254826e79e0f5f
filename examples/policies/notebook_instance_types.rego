# Notebook instances use the instance types the platform team approved.
package vigil.rules.acme_notebook_instance_types

import rego.v1

metadata := {
	"id": "acme-notebook-instance-types",
	"title": "Notebook instances use approved instance types",
	"risk": "Low",
	"kind": "AWS::SageMaker::NotebookInstance",
	"reads": ["InstanceType"],
	"fails_when": "a notebook instance's InstanceType is not on the approved list",
	"categories": ["Governance"],
}

approved := {"ml.t3.medium", "ml.t3.large", "ml.m5.xlarge"}

deny contains msg if {
	not input.InstanceType in approved
	msg := sprintf("notebook %s runs on %v, which is not an approved type (%v)", [
		input.NotebookInstanceName,
		input.InstanceType,
		concat(", ", sort(approved)),
	])
}
