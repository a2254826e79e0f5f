# vigil:suppress sagemaker-model-network-isolation -- seed
resource "aws_sagemaker_model" "m" {
  count                    = var.enabled ? 1 : 0
  enable_network_isolation = local.isolate == "yes" ? true : (false)
  vpc_config {
    subnets = ["a"]
  }
}
