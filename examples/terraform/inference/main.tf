resource "aws_iam_role" "model" {
  name               = "inference-models"
  assume_role_policy = data.aws_iam_policy_document.sagemaker.json
}

# Compliant: isolation comes from a variable whose default is true.
resource "aws_sagemaker_model" "forecast" {
  name                     = "demand-forecast"
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = var.isolate_models

  primary_container {
    image          = "${local.image_repo}/forecast:5"
    model_data_url = "s3://acme-ml-artifacts/forecast/model.tar.gz"
  }
}

# Fails: isolation switched off explicitly.
resource "aws_sagemaker_model" "pricing" {
  name                     = "dynamic-pricing"
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = false

  primary_container {
    image = "${local.image_repo}/pricing:9"
  }

  vpc_config {
    subnets            = ["subnet-0a1b2c3d"]
    security_group_ids = ["sg-0123abcd"]
  }
}

# Unknown: the value is given per environment at apply time.
resource "aws_sagemaker_model" "churn" {
  name                     = "churn-predictor"
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = var.churn_isolation

  primary_container {
    image = "${local.image_repo}/churn:2"
  }
}

# vigil:suppress sagemaker-model-network-isolation -- calls the partner scoring API at run time (contract until 2027)
resource "aws_sagemaker_model" "partner_scoring" {
  name               = "partner-scoring"
  execution_role_arn = aws_iam_role.model.arn

  primary_container {
    image = "${local.image_repo}/partner-scoring:1"
  }
}

# Not created: count is 0.
resource "aws_sagemaker_model" "legacy" {
  count              = 0
  name               = "legacy-model"
  execution_role_arn = aws_iam_role.model.arn

  primary_container {
    image = "${local.image_repo}/legacy:1"
  }
}
