variable "isolate" {
  type    = bool
  default = true
}

locals {
  isolation = var.isolate
}

resource "aws_sagemaker_model" "literal" {
  name                     = "literal"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = true
  primary_container {
    image = "img"
  }
}

resource "aws_sagemaker_model" "from_local" {
  name                     = "from-local"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = local.isolation
  primary_container {
    image = "img"
  }
}

resource "aws_sagemaker_model" "conditional" {
  name                     = "conditional"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = var.isolate == true ? true : false
  primary_container {
    image = "img"
  }
}
