variable "project_id" {
  description = "The project of the service accounts."
  type        = string
}

variable "name" {
  description = "Prefix of the service account ids (<name>-bot, <name>-training) and the custom role."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2-20 lowercase letters, digits and dashes, starting with a letter (service account ids are at most 30 characters)."
  }
}

variable "artifacts_bucket" {
  description = "Name of the artifacts and job store bucket."
  type        = string
}

variable "dvc_bucket" {
  description = "Name of the DVC remote bucket."
  type        = string
}

variable "registry_location" {
  description = "Region of the Docker repository."
  type        = string
}

variable "registry_repository_id" {
  description = "Name of the Docker repository."
  type        = string
}

variable "training_object_prefix" {
  description = "Object name prefix the training job may use in the artifacts bucket (e.g. artifacts/runs/); empty grants the whole bucket."
  type        = string
  default     = ""

  validation {
    condition     = var.training_object_prefix == "" || can(regex("^[^/].*/$", var.training_object_prefix))
    error_message = "training_object_prefix must be empty or a folder path ending in /, like artifacts/runs/."
  }
}

variable "use_custom_job_role" {
  description = "Define the least-privilege job runner role; false means the bot gets roles/run.developer on the training job instead."
  type        = bool
  default     = true
}

variable "dvc_cache_prefix" {
  description = "Object name prefix of the Cloud Run jobs' DVC run-cache in the DVC bucket (MLOPS_CLOUD_RUN_DVC_CACHE), like mlops-bot-cache/: only the bot may create objects there, the training job only reads them. Empty: no run-cache."
  type        = string
  default     = ""

  validation {
    condition     = var.dvc_cache_prefix == "" || can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/$", var.dvc_cache_prefix))
    error_message = "dvc_cache_prefix must be empty or a folder path ending in /, like mlops-bot-cache/."
  }
}
