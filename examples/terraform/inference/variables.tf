variable "isolate_models" {
  description = "Run inference containers without network access."
  type        = bool
  default     = true
}

variable "churn_isolation" {
  description = "Set per environment in CI; no default on purpose."
  type        = bool
}

locals {
  image_repo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
}
