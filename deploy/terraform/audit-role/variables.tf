variable "auditing_account_id" {
  description = "The account Vigil runs in (its credentials assume this role)."
  type        = string
  validation {
    condition     = can(regex("^[0-9]{12}$", var.auditing_account_id))
    error_message = "auditing_account_id is a 12-digit account id."
  }
}

variable "auditing_principal_name" {
  description = "Optional: only this role of the auditing account may assume the audit role; empty trusts the whole account."
  type        = string
  default     = ""
}

variable "external_id" {
  description = "Optional external id the caller must pass (--external-id)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "role_name" {
  type    = string
  default = "VigilAudit"
}

variable "role_path" {
  type    = string
  default = "/"
}

variable "allow_security_hub_import" {
  description = "Also allow securityhub:BatchImportFindings (vigil audit --security-hub)."
  type        = bool
  default     = false
}
