# Vigil's read-only audit role, the same as deploy/audit-role.yaml: apply it
# in every account an organization audit enters. The actions are exactly
# those the README lists under "IAM permissions" (a test keeps them equal).

data "aws_partition" "current" {}

locals {
  trusted = var.auditing_principal_name == "" ? "arn:${data.aws_partition.current.partition}:iam::${var.auditing_account_id}:root" : "arn:${data.aws_partition.current.partition}:iam::${var.auditing_account_id}:role/${var.auditing_principal_name}"

  audit_actions = [
    "ec2:DescribeRegions",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcs",
    "ec2:DescribeNetworkInterfaces",
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListRoles",
    "iam:ListEntitiesForPolicy",
    "iam:ListServiceSpecificCredentials",
    "iam:ListUserPolicies",
    "iam:GetUserPolicy",
    "iam:ListAttachedUserPolicies",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "kms:DescribeKey",
    "sagemaker:ListModels",
    "sagemaker:DescribeModel",
    "sagemaker:ListNotebookInstances",
    "sagemaker:DescribeNotebookInstance",
    "sagemaker:ListDomains",
    "sagemaker:DescribeDomain",
    "sagemaker:ListTrainingJobs",
    "sagemaker:DescribeTrainingJob",
    "sagemaker:ListProcessingJobs",
    "sagemaker:DescribeProcessingJob",
    "sagemaker:ListHyperParameterTuningJobs",
    "sagemaker:DescribeHyperParameterTuningJob",
    "sagemaker:ListDataQualityJobDefinitions",
    "sagemaker:DescribeDataQualityJobDefinition",
    "sagemaker:ListModelQualityJobDefinitions",
    "sagemaker:DescribeModelQualityJobDefinition",
    "sagemaker:ListModelBiasJobDefinitions",
    "sagemaker:DescribeModelBiasJobDefinition",
    "sagemaker:ListModelExplainabilityJobDefinitions",
    "sagemaker:DescribeModelExplainabilityJobDefinition",
    "sagemaker:ListMonitoringSchedules",
    "sagemaker:DescribeMonitoringSchedule",
    "sagemaker:ListEndpointConfigs",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:ListEndpoints",
    "sagemaker:ListFeatureGroups",
    "sagemaker:DescribeFeatureGroup",
    "sagemaker:ListClusters",
    "sagemaker:DescribeCluster",
    "sagemaker:ListNotebookInstanceLifecycleConfigs",
    "sagemaker:DescribeNotebookInstanceLifecycleConfig",
    "sagemaker:ListImages",
    "sagemaker:ListAppImageConfigs",
    "sagemaker:ListTags",
    "sagemaker:ListInferenceExperiments",
    "sagemaker:DescribeInferenceExperiment",
    "sagemaker:ListFlowDefinitions",
    "sagemaker:DescribeFlowDefinition",
    "sagemaker:ListModelPackageGroups",
    "sagemaker:ListModelPackages",
    "bedrock-agentcore:ListAgentRuntimes",
    "bedrock-agentcore:GetAgentRuntime",
    "bedrock-agentcore:ListGateways",
    "bedrock-agentcore:GetGateway",
    "bedrock-agentcore:ListMemories",
    "bedrock-agentcore:GetMemory",
    "bedrock-agentcore:ListBrowsers",
    "bedrock-agentcore:GetBrowser",
    "bedrock-agentcore:ListCodeInterpreters",
    "bedrock-agentcore:GetCodeInterpreter",
    "bedrock:ListKnowledgeBases",
    "bedrock:ListDataSources",
    "bedrock:GetDataSource",
    "bedrock:ListAgents",
    "bedrock:GetAgent",
    "bedrock:ListGuardrails",
    "bedrock:GetGuardrail",
    "bedrock:ListPrompts",
    "bedrock:GetPrompt",
    "bedrock:ListFlows",
    "bedrock:GetFlow",
    "bedrock:ListCustomModels",
    "bedrock:GetCustomModel",
    "bedrock:GetModelCustomizationJob",
    "bedrock:ListImportedModels",
    "bedrock:GetImportedModel",
    "bedrock:ListModelInvocationJobs",
    "bedrock:GetModelInvocationJob",
    "bedrock:GetModelInvocationLoggingConfiguration",
    "cloudwatch:ListMetrics",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketAcl",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetAccountPublicAccessBlock",
    "logs:DescribeLogGroups",
  ]
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [local.trusted]
    }
    dynamic "condition" {
      for_each = var.external_id == "" ? [] : [var.external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

data "aws_iam_policy_document" "audit" {
  statement {
    actions   = local.audit_actions
    resources = ["*"]
  }
}

resource "aws_iam_role" "audit" {
  name                 = var.role_name
  path                 = var.role_path
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "audit" {
  name   = "vigil-audit"
  role   = aws_iam_role.audit.id
  policy = data.aws_iam_policy_document.audit.json
}

resource "aws_iam_role_policy" "security_hub_import" {
  count = var.allow_security_hub_import ? 1 : 0
  name  = "vigil-security-hub-import"
  role  = aws_iam_role.audit.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["securityhub:BatchImportFindings"], Resource = "*" }]
  })
}
