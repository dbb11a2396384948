variable "project_id" {
  description = "The project of the service."
  type        = string
}

variable "region" {
  description = "Region of the service."
  type        = string
}

variable "name" {
  description = "Name of the Cloud Run service."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$", var.name))
    error_message = "A service name is at most 49 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "image" {
  description = "The bot image at creation (later deployments set it outside Terraform)."
  type        = string
}

variable "service_account_email" {
  description = "The service account the bot runs as."
  type        = string
}

variable "env" {
  description = "Plain environment variables (never secrets)."
  type        = map(string)
  default     = {}
}

variable "secret_env" {
  description = "Environment variable name => Secret Manager secret id (latest version)."
  type        = map(string)
  default     = {}
}

variable "port" {
  description = "The port the bot listens on (Cloud Run passes it as PORT)."
  type        = number
  default     = 3000
}

variable "cpu" {
  description = "vCPUs per instance."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.cpu)
    error_message = "cpu must be one of 1, 2, 4, 6, 8."
  }
}

variable "memory" {
  description = "Memory per instance, like 1Gi (clones and worktrees of sources live in memory on Cloud Run)."
  type        = string
  default     = "1Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity like 512Mi or 2Gi."
  }
}

variable "cpu_always_allocated" {
  description = "Keep CPU allocated outside requests (needed for the worker to follow jobs between webhooks)."
  type        = bool
  default     = true
}

variable "min_instances" {
  description = "Instances kept running (at least 1 so that a job in flight is always followed)."
  type        = number
  default     = 1

  validation {
    condition     = var.min_instances >= 0 && var.min_instances <= 100
    error_message = "min_instances must be between 0 and 100."
  }
}

variable "max_instances" {
  description = "Upper bound of instances (they share the job store in Cloud Storage)."
  type        = number
  default     = 3

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000
    error_message = "max_instances must be between 1 and 1000."
  }
}

variable "request_concurrency" {
  description = "Webhook requests one instance serves at once."
  type        = number
  default     = 80

  validation {
    condition     = var.request_concurrency >= 1 && var.request_concurrency <= 1000
    error_message = "request_concurrency must be between 1 and 1000."
  }
}

variable "allow_unauthenticated" {
  description = "Grant roles/run.invoker to allUsers (GitHub must reach the webhook)."
  type        = bool
  default     = true
}

variable "invoker_iam_disabled" {
  description = "Make the service public by turning off the invoker check instead of an allUsers binding (for organizations whose policy forbids allUsers)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to destroy the service from Terraform."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the service."
  type        = map(string)
  default     = {}
}
