variable "isolate" {
  type = bool
}

resource "aws_sagemaker_model" "absent" {
  name               = "absent"
  execution_role_arn = "arn:aws:iam::123456789012:role/r"
  primary_container {
    image = "img"
  }
}

resource "aws_sagemaker_model" "explicit_false" {
  name                     = "explicit-false"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = "false"
  primary_container {
    image = "img"
  }
}

resource "aws_sagemaker_model" "from_tfvars" {
  name                     = "from-tfvars"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = var.isolate
  primary_container {
    image = "img"
  }
}
