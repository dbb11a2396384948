variable "project_id" {
  description = "The project that owns the repository."
  type        = string
}

variable "location" {
  description = "Region of the repository (images are pulled from <location>-docker.pkg.dev)."
  type        = string
}

variable "repository_id" {
  description = "Name of the Docker repository."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]*[a-z0-9])?$", var.repository_id)) && length(var.repository_id) <= 63
    error_message = "repository_id must be lowercase letters, digits and dashes, starting with a letter (at most 63 characters)."
  }
}

variable "description" {
  description = "Description shown in the console."
  type        = string
  default     = "mlops-bot images: bot, training, inference"
}

variable "untagged_retention_days" {
  description = "Days after which untagged image versions are deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_retention_days >= 1
    error_message = "untagged_retention_days must be at least 1."
  }
}

variable "tagged_retention_days" {
  description = "Days after which tagged image versions are deleted (0 keeps them forever). The most recent keep_recent_versions and `latest` are always kept."
  type        = number
  default     = 90

  validation {
    condition     = var.tagged_retention_days >= 0
    error_message = "tagged_retention_days must be 0 (keep forever) or more."
  }
}

variable "keep_recent_versions" {
  description = "Versions of each image that are never deleted, newest first."
  type        = number
  default     = 10

  validation {
    condition     = var.keep_recent_versions >= 1
    error_message = "keep_recent_versions must be at least 1, or the image Cloud Run runs could be deleted."
  }
}

variable "labels" {
  description = "Labels on the repository."
  type        = map(string)
  default     = {}
}
