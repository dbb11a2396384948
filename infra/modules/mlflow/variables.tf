variable "project_id" {
  description = "The project of the tracking server, its database and its bucket."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run service, the Cloud SQL instance and the artifacts bucket."
  type        = string
}

variable "project_number" {
  description = "The project's number: part of the service's deterministic URL (https://<name>-<number>.<region>.run.app), which MLflow accepts as its Host header."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.project_number))
    error_message = "project_number must be the numeric project number (data.google_project.this.number)."
  }
}

variable "name" {
  description = "Name of the Cloud Run service and its service account, and prefix of the Cloud SQL instance (<name>-<4 hex>) and the password secret (<name>-db-password)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.name))
    error_message = "name must be 6-30 lowercase letters, digits and dashes, starting with a letter (it is also the service account id)."
  }
}

variable "image" {
  description = "The MLflow image (docker/mlflow) when the service is created; null creates everything but the service. Later deployments set it outside Terraform."
  type        = string
  default     = null

  validation {
    condition     = var.image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^:@\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.image))
    error_message = "image must be a full image reference with a tag or digest, like europe-west1-docker.pkg.dev/PROJECT/mlops-bot/mlflow:latest."
  }
}

variable "artifacts_bucket_name" {
  description = "Globally unique name of the bucket MLflow stores artifacts in (models, plots); only the server's service account touches it (artifacts are proxied)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "A bucket name is 3-63 characters of lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit."
  }
}

variable "invoker_members" {
  description = "IAM members that may call the server (roles/run.invoker): the bot's and the training job's service accounts, and the people's group, like [\"serviceAccount:…\", \"group:ml-team@example.com\"]."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.invoker_members : can(regex("^(serviceAccount|group|user|domain):[^\\s]+$", m))])
    error_message = "Each invoker must be an IAM member like serviceAccount:x@p.iam.gserviceaccount.com or group:ml-team@example.com (never allUsers)."
  }
}

variable "database_version" {
  description = "PostgreSQL version of the Cloud SQL instance."
  type        = string
  default     = "POSTGRES_17"

  validation {
    condition     = can(regex("^POSTGRES_[0-9]+$", var.database_version))
    error_message = "database_version must be a Cloud SQL PostgreSQL version like POSTGRES_17."
  }
}

variable "database_tier" {
  description = "Machine type of the Cloud SQL instance (Enterprise edition): db-f1-micro or db-g1-small (shared core, cheapest) or db-custom-<vCPUs>-<MiB>."
  type        = string
  default     = "db-f1-micro"

  validation {
    condition     = can(regex("^db-(f1-micro|g1-small|custom-[0-9]+-[0-9]+)$", var.database_tier))
    error_message = "database_tier must be db-f1-micro, db-g1-small or db-custom-<vCPUs>-<MiB>."
  }
}

variable "database_disk_gb" {
  description = "Initial SSD size of the instance in GB (it grows by itself when full)."
  type        = number
  default     = 10

  validation {
    condition     = var.database_disk_gb >= 10 && floor(var.database_disk_gb) == var.database_disk_gb
    error_message = "database_disk_gb must be a whole number, at least 10."
  }
}

variable "database_high_availability" {
  description = "A standby in a second zone (REGIONAL availability): about twice the instance's price."
  type        = bool
  default     = false
}

variable "point_in_time_recovery" {
  description = "Keep write-ahead logs for point-in-time recovery (daily backups are on either way)."
  type        = bool
  default     = false
}

variable "backup_retention_count" {
  description = "Daily backups kept."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_count >= 1 && var.backup_retention_count <= 365
    error_message = "backup_retention_count must be between 1 and 365."
  }
}

variable "min_instances" {
  description = "Instances of the server always running (0: scale to zero when idle; the first request after a pause waits a cold start of a few seconds)."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0 && var.min_instances <= 10
    error_message = "min_instances must be between 0 and 10."
  }
}

variable "max_instances" {
  description = "Most instances of the server. Each opens up to workers x (pool_size + max_overflow) database connections: keep the total under the tier's limit (about 25 on db-f1-micro)."
  type        = number
  default     = 2

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 100
    error_message = "max_instances must be between 1 and 100."
  }
}

variable "workers" {
  description = "Server worker processes per instance (MLflow's --workers)."
  type        = number
  default     = 2

  validation {
    condition     = var.workers >= 1 && var.workers <= 16 && floor(var.workers) == var.workers
    error_message = "workers must be a whole number from 1 to 16."
  }
}

variable "cpu" {
  description = "vCPUs per instance."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4"], var.cpu)
    error_message = "cpu must be 1, 2 or 4."
  }
}

variable "memory" {
  description = "Memory per instance (each worker loads MLflow: about 250 MiB)."
  type        = string
  default     = "2Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity like 1Gi or 2Gi."
  }
}

variable "deletion_protection" {
  description = "Refuse to destroy the Cloud SQL instance and the service from Terraform (set false before terraform destroy)."
  type        = bool
  default     = true
}

variable "force_destroy_bucket" {
  description = "Let terraform destroy delete the artifacts bucket with every logged model and plot in it."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Labels on the instance, the bucket, the secret and the service."
  type        = map(string)
  default     = {}
}
