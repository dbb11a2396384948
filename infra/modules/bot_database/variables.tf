variable "project_id" {
  description = "The project of the instance and the bot's service account."
  type        = string
}

variable "region" {
  description = "Region of the instance of its own (when instance_name is null)."
  type        = string
}

variable "name" {
  description = "Prefix of the instance of its own (<name>-<4 hex>) and of the IAM conditions' titles."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,80}[a-z0-9]$", var.name))
    error_message = "name must be lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "instance_name" {
  description = "An existing Cloud SQL for PostgreSQL instance with cloudsql.iam_authentication on (the MLflow module's instance_name); null makes a small instance of its own."
  type        = string
  default     = null
}

variable "database_name" {
  description = "The bot's database on the instance (MLOPS_JOB_STORE names it)."
  type        = string
  default     = "mlops_bot"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a plain PostgreSQL identifier: lowercase letters, digits and _."
  }
}

variable "bot_service_account_email" {
  description = "Email of the bot's service account: its IAM database user, and the member of the Cloud SQL grants."
  type        = string

  validation {
    condition     = endswith(var.bot_service_account_email, ".gserviceaccount.com")
    error_message = "bot_service_account_email must be a service account email (…@<project>.iam.gserviceaccount.com)."
  }
}

variable "database_roles" {
  description = "PostgreSQL roles the bot's IAM user is a member of. cloudsqlsuperuser owns the databases made through the API, so the bot can create its schema; it can also manage other roles on the instance (MLflow's included). [] grants nothing: then run, once, GRANT CREATE ON DATABASE mlops_bot TO \"<bot user>\" as the instance's admin (docs/deploy.md)."
  type        = list(string)
  default     = ["cloudsqlsuperuser"]
}

variable "database_version" {
  description = "PostgreSQL version of the instance of its own."
  type        = string
  default     = "POSTGRES_17"
}

variable "database_tier" {
  description = "Machine type of the instance of its own (db-f1-micro: shared core, about 25 connections; each bot instance uses at most 5)."
  type        = string
  default     = "db-f1-micro"
}

variable "deletion_protection" {
  description = "Refuse to delete the instance of its own (terraform destroy fails until it is false)."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels of the instance of its own."
  type        = map(string)
  default     = {}
}
