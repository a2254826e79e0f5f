package vigil.rules.acme_notebook_instance_types_test

import data.vigil.rules.acme_notebook_instance_types as policy
import rego.v1

test_an_approved_type_passes if {
	count(policy.deny) == 0 with input as {"NotebookInstanceName": "n", "InstanceType": "ml.t3.medium"}
}

test_a_large_gpu_type_fails if {
	count(policy.deny) == 1 with input as {"NotebookInstanceName": "n", "InstanceType": "ml.p4d.24xlarge"}
}
