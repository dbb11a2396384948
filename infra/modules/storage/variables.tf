variable "project_id" {
  description = "The project that owns the buckets."
  type        = string
}

variable "location" {
  description = "Bucket location: the region of the Cloud Run service and job keeps traffic local and free."
  type        = string
}

variable "artifacts_bucket_name" {
  description = "Globally unique name of the artifacts and job store bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "A bucket name is 3-63 characters of lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit."
  }
}

variable "dvc_bucket_name" {
  description = "Globally unique name of the DVC remote bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.dvc_bucket_name))
    error_message = "A bucket name is 3-63 characters of lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit."
  }
}

variable "artifacts_prefix" {
  description = "Folder of the artifact store in the artifacts bucket (MLOPS_ARTIFACTS); expired by age."
  type        = string
  default     = "artifacts"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_/-]*$", trim(var.artifacts_prefix, "/")))
    error_message = "artifacts_prefix must be a non-empty folder name like artifacts or mlops/artifacts."
  }
}

variable "job_store_prefix" {
  description = "Folder of the job store in the artifacts bucket (MLOPS_JOB_STORE); never expired."
  type        = string
  default     = "job-store"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_/-]*$", trim(var.job_store_prefix, "/")))
    error_message = "job_store_prefix must be a non-empty folder name like job-store."
  }
}

variable "artifacts_retention_days" {
  description = "Days after which job logs and results under the artifacts prefix are deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.artifacts_retention_days >= 1 && floor(var.artifacts_retention_days) == var.artifacts_retention_days
    error_message = "artifacts_retention_days must be a whole number of days, at least 1."
  }
}

variable "runs_retention_days" {
  description = "Days after which the per-run exchange folders (<artifacts>/runs/) are deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.runs_retention_days >= 1 && floor(var.runs_retention_days) == var.runs_retention_days
    error_message = "runs_retention_days must be a whole number of days, at least 1."
  }
}

variable "dvc_noncurrent_retention_days" {
  description = "Days a replaced or deleted DVC remote object stays restorable."
  type        = number
  default     = 30

  validation {
    condition     = var.dvc_noncurrent_retention_days >= 1 && floor(var.dvc_noncurrent_retention_days) == var.dvc_noncurrent_retention_days
    error_message = "dvc_noncurrent_retention_days must be a whole number of days, at least 1."
  }
}

variable "dvc_cache_prefix" {
  description = "Object name prefix of the Cloud Run jobs' DVC run-cache in the DVC bucket, like mlops-bot-cache/; its pull requests' layers (<prefix>pr/) expire after dvc_cache_pr_days. Empty: no run-cache."
  type        = string
  default     = ""

  validation {
    condition     = var.dvc_cache_prefix == "" || can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/$", var.dvc_cache_prefix))
    error_message = "dvc_cache_prefix must be empty or a folder path ending in /, like mlops-bot-cache/."
  }
}

variable "dvc_cache_pr_days" {
  description = "Days an object of a pull request's run-cache layer is kept (a removed one is only a cache miss)."
  type        = number
  default     = 14

  validation {
    condition     = var.dvc_cache_pr_days >= 1 && floor(var.dvc_cache_pr_days) == var.dvc_cache_pr_days
    error_message = "dvc_cache_pr_days must be a whole number of days, at least 1."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete non-empty buckets (and everything in them)."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Labels on both buckets."
  type        = map(string)
  default     = {}
}
