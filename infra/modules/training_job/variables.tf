variable "project_id" {
  description = "The project of the job."
  type        = string
}

variable "region" {
  description = "Region of the job (GPU jobs: a region with L4 GPUs for Cloud Run, e.g. us-central1, europe-west1)."
  type        = string
}

variable "name" {
  description = "Name of the Cloud Run job."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$", var.name))
    error_message = "A job name is at most 49 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "image" {
  description = "The training image at creation (its entry point must provide `mlops-bot job`)."
  type        = string
}

variable "service_account_email" {
  description = "The service account the tasks run as."
  type        = string
}

variable "cpu" {
  description = "vCPUs per task."
  type        = string
  default     = "2"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.cpu)
    error_message = "cpu must be one of 1, 2, 4, 6, 8."
  }
}

variable "memory" {
  description = "Memory per task, like 4Gi."
  type        = string
  default     = "4Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity like 512Mi or 4Gi."
  }
}

variable "task_timeout_seconds" {
  description = "Default timeout of a task (the bot overrides it per run from the pipeline's timeout)."
  type        = number
  default     = 3600

  validation {
    condition     = var.task_timeout_seconds >= 60 && var.task_timeout_seconds <= 86400
    error_message = "task_timeout_seconds must be between 60 and 86400 (24 hours)."
  }
}

variable "max_retries" {
  description = "Retries of a failed task before the execution fails."
  type        = number
  default     = 0

  validation {
    condition     = var.max_retries >= 0 && var.max_retries <= 10
    error_message = "max_retries must be between 0 and 10."
  }
}

variable "gpu_count" {
  description = "GPUs per task: 0 (default) or 1."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 1], var.gpu_count)
    error_message = "gpu_count must be 0 or 1 (Cloud Run attaches at most one GPU to an instance)."
  }
}

variable "gpu_type" {
  description = "The accelerator when gpu_count is 1."
  type        = string
  default     = "nvidia-l4"
}

variable "gpu_zonal_redundancy" {
  description = "Reserve GPU capacity for zonal failover (costs more); off by default for jobs."
  type        = bool
  default     = false
}

variable "env" {
  description = "Plain environment variables of every task (the bot adds per-run ones as overrides)."
  type        = map(string)
  default     = {}
}

variable "runner_members" {
  description = "IAM members that may run this job with overrides and follow its executions (the bot)."
  type        = list(string)
  default     = []
}

variable "runner_role" {
  description = "The role granted to runner_members on this job (a custom role name, or roles/run.developer)."
  type        = string
  default     = "roles/run.developer"
}

variable "deletion_protection" {
  description = "Refuse to destroy the job from Terraform."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on the job."
  type        = map(string)
  default     = {}
}
