# --- Project ---------------------------------------------------------------------------------

variable "project_id" {
  description = "The Google Cloud project everything is created in (it must be linked to a billing account)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project id: 6-30 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "region" {
  description = "Region of the Cloud Run service and job, the buckets and the Docker repository."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region like europe-west1 or us-central1."
  }
}

variable "name" {
  description = "Name prefix of every resource (service, job, service accounts, secrets, repository)."
  type        = string
  default     = "mlops-bot"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2-20 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "environment" {
  description = "Environment label on every resource."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.environment))
    error_message = "environment must be a label value: lowercase letters, digits and dashes."
  }
}

variable "deletion_protection" {
  description = "Refuse to destroy the Cloud Run service and job from Terraform (set false before terraform destroy)."
  type        = bool
  default     = false
}

# --- GitHub ----------------------------------------------------------------------------------

variable "github_repository" {
  description = "The repository (owner/name) whose GitHub Actions may push images and deploy, through Workload Identity Federation."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name, like my-org/mlops-bot."
  }
}

variable "github_repository_id" {
  description = "Numeric id of that repository (gh api repos/OWNER/NAME --jq .id); when set, tokens must match it too."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[0-9]*$", var.github_repository_id))
    error_message = "github_repository_id must be the numeric repository id, or empty."
  }
}

variable "github_allowed_refs" {
  description = "Git refs whose workflow runs may push and deploy (the Images workflow runs on the default branch; run Deploy from it too). Empty: any branch of the repository."
  type        = list(string)
  default     = ["refs/heads/main"]

  validation {
    condition     = alltrue([for r in var.github_allowed_refs : can(regex("^refs/(heads|tags)/[^\"\\s]+$", r))])
    error_message = "github_allowed_refs must be full refs like refs/heads/main."
  }
}

# --- Images ----------------------------------------------------------------------------------

variable "bot_image" {
  description = "Image of the bot when the service is created (null: no service yet). Later deployments go through deploy.yml."
  type        = string
  default     = null

  validation {
    condition     = var.bot_image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^:@\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.bot_image))
    error_message = "bot_image must be a full image reference with a tag or digest, like europe-west1-docker.pkg.dev/PROJECT/mlops-bot/bot:latest."
  }
}

variable "training_image" {
  description = "Image of the training job when it is created (null: no job yet). Its entry point must provide `mlops-bot job`."
  type        = string
  default     = null

  validation {
    condition     = var.training_image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^:@\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.training_image))
    error_message = "training_image must be a full image reference with a tag or digest, like europe-west1-docker.pkg.dev/PROJECT/mlops-bot/training:latest."
  }
}

variable "image_retention_days" {
  description = "Days after which tagged images are deleted from the registry (0: never); the most recent keep_recent_images per image and `latest` stay."
  type        = number
  default     = 90

  validation {
    condition     = var.image_retention_days >= 0
    error_message = "image_retention_days must be 0 or more."
  }
}

variable "keep_recent_images" {
  description = "Versions of each image that the registry's cleanup never deletes."
  type        = number
  default     = 10

  validation {
    condition     = var.keep_recent_images >= 1
    error_message = "keep_recent_images must be at least 1."
  }
}

# --- The bot (Cloud Run service) ---------------------------------------------------------------

variable "bot_min_instances" {
  description = "Instances of the bot always running. 1 keeps webhooks fast and training executions followed."
  type        = number
  default     = 1

  validation {
    condition     = var.bot_min_instances >= 0 && var.bot_min_instances <= 10
    error_message = "bot_min_instances must be between 0 and 10."
  }
}

variable "bot_max_instances" {
  description = "Most instances of the bot (they share the job store, so any number is safe)."
  type        = number
  default     = 3

  validation {
    condition     = var.bot_max_instances >= 1 && var.bot_max_instances <= 100
    error_message = "bot_max_instances must be between 1 and 100."
  }
}

variable "bot_cpu" {
  description = "vCPUs of a bot instance."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4"], var.bot_cpu)
    error_message = "bot_cpu must be 1, 2 or 4."
  }
}

variable "bot_memory" {
  description = "Memory of a bot instance (its disk is in memory too: source clones count)."
  type        = string
  default     = "1Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.bot_memory))
    error_message = "bot_memory must be a quantity like 512Mi or 2Gi."
  }
}

variable "bot_cpu_always_allocated" {
  description = "CPU outside requests, so the worker keeps following executions between webhooks (instance-based billing)."
  type        = bool
  default     = true
}

variable "worker_concurrency" {
  description = "MLOPS_WORKER_CONCURRENCY: jobs one bot instance runs at once (with Cloud Run Jobs it only follows them)."
  type        = number
  default     = 4

  validation {
    condition     = var.worker_concurrency >= 1 && var.worker_concurrency <= 64 && floor(var.worker_concurrency) == var.worker_concurrency
    error_message = "worker_concurrency must be a whole number from 1 to 64."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the bot."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "warn", "error", "fatal"], var.log_level)
    error_message = "log_level must be one of trace, debug, info, warn, error, fatal."
  }
}

variable "bot_env" {
  description = "More plain environment variables of the bot (they win over the ones set here); never secrets."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.bot_env) : !contains(["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "PORT"], k)])
    error_message = "APP_ID, PRIVATE_KEY and WEBHOOK_SECRET come from Secret Manager, and Cloud Run sets PORT: leave them out of bot_env."
  }
}

variable "bot_public_access" {
  description = "How GitHub reaches the webhook: \"allUsers\" (an invoker binding) or \"invoker-check-disabled\" (for organizations whose policy forbids allUsers)."
  type        = string
  default     = "allUsers"

  validation {
    condition     = contains(["allUsers", "invoker-check-disabled"], var.bot_public_access)
    error_message = "bot_public_access must be \"allUsers\" or \"invoker-check-disabled\"."
  }
}

# --- Training (Cloud Run job) -----------------------------------------------------------------

variable "training_cpu" {
  description = "vCPUs of a training task."
  type        = string
  default     = "2"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.training_cpu)
    error_message = "training_cpu must be one of 1, 2, 4, 6, 8."
  }
}

variable "training_memory" {
  description = "Memory of a training task (the checkout, data and model live in memory too)."
  type        = string
  default     = "4Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.training_memory))
    error_message = "training_memory must be a quantity like 4Gi."
  }
}

variable "training_timeout_seconds" {
  description = "Default task timeout; the bot sets each run's from the pipeline's `timeout` (plus a margin)."
  type        = number
  default     = 3600

  validation {
    condition     = var.training_timeout_seconds >= 60 && var.training_timeout_seconds <= 86400
    error_message = "training_timeout_seconds must be between 60 and 86400."
  }
}

variable "training_max_retries" {
  description = "Retries of a failed training task (0: a failure is reported, not retried)."
  type        = number
  default     = 0

  validation {
    condition     = var.training_max_retries >= 0 && var.training_max_retries <= 10
    error_message = "training_max_retries must be between 0 and 10."
  }
}

variable "training_gpu_count" {
  description = "GPUs per training task: 0 (off) or 1 (needs training_cpu >= 4, training_memory >= 16Gi and GPU quota in the region)."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 1], var.training_gpu_count)
    error_message = "training_gpu_count must be 0 or 1."
  }
}

variable "training_gpu_type" {
  description = "The GPU when training_gpu_count is 1."
  type        = string
  default     = "nvidia-l4"

  validation {
    condition     = can(regex("^nvidia-[a-z0-9-]+$", var.training_gpu_type))
    error_message = "training_gpu_type must be a Cloud Run accelerator name like nvidia-l4."
  }
}

variable "training_env" {
  description = "Plain environment variables of every training task (per-run ones come from the bot)."
  type        = map(string)
  default     = {}
}

variable "restrict_training_to_run_folders" {
  description = "Limit the training job's access in the artifacts bucket to <artifacts>/runs/ (an IAM condition), so a pipeline cannot touch the job store or other artifacts."
  type        = bool
  default     = true
}

variable "use_custom_job_role" {
  description = "Grant the bot a custom role on the training job (run with overrides, follow, cancel) instead of roles/run.developer."
  type        = bool
  default     = true
}

# --- Storage ----------------------------------------------------------------------------------

variable "artifacts_retention_days" {
  description = "Days job logs and results are kept in the artifacts bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.artifacts_retention_days >= 1
    error_message = "artifacts_retention_days must be at least 1."
  }
}

variable "runs_retention_days" {
  description = "Days the per-run folders (source tarball, log, completion record) are kept."
  type        = number
  default     = 7

  validation {
    condition     = var.runs_retention_days >= 1
    error_message = "runs_retention_days must be at least 1."
  }
}

variable "dvc_noncurrent_retention_days" {
  description = "Days a replaced or deleted object of the DVC remote stays restorable."
  type        = number
  default     = 30

  validation {
    condition     = var.dvc_noncurrent_retention_days >= 1
    error_message = "dvc_noncurrent_retention_days must be at least 1."
  }
}

variable "force_destroy_buckets" {
  description = "Let terraform destroy delete the buckets with everything in them (job history, artifacts, the DVC remote)."
  type        = bool
  default     = false
}

# --- Budget -----------------------------------------------------------------------------------

variable "billing_account" {
  description = "Billing account id (XXXXXX-XXXXXX-XXXXXX) for the budget alert; null: no budget."
  type        = string
  default     = null

  validation {
    condition     = var.billing_account == null || can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account must look like 012345-6789AB-CDEF01 (gcloud billing accounts list), or be null."
  }
}

variable "budget_amount" {
  description = "Monthly budget of the project, in whole units of budget_currency."
  type        = number
  default     = 50

  validation {
    condition     = var.budget_amount >= 1 && floor(var.budget_amount) == var.budget_amount
    error_message = "budget_amount must be a whole number, at least 1."
  }
}

variable "budget_currency" {
  description = "Currency of budget_amount: the billing account's currency."
  type        = string
  default     = "USD"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.budget_currency))
    error_message = "budget_currency must be an ISO 4217 code like USD or EUR."
  }
}

variable "budget_thresholds" {
  description = "Fractions of budget_amount of actual spend that send an alert (one more fires on the forecast passing the amount)."
  type        = list(number)
  default     = [0.5, 0.9, 1.0]

  validation {
    condition     = length(var.budget_thresholds) > 0 && alltrue([for t in var.budget_thresholds : t > 0 && t <= 10])
    error_message = "budget_thresholds must be fractions above 0, like [0.5, 0.9, 1.0]."
  }
}

variable "budget_notification_channels" {
  description = "Cloud Monitoring notification channels alerted too (besides the billing account's admins)."
  type        = list(string)
  default     = []
}

variable "cost_summary_issue" {
  description = "Where the bot posts the weekly cost summary, as owner/repo#number (an issue of a repository the App is installed on); null: no summary."
  type        = string
  default     = null

  validation {
    condition     = var.cost_summary_issue == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+$", var.cost_summary_issue))
    error_message = "cost_summary_issue must look like my-org/ml-platform#12."
  }
}

variable "cost_summary_schedule" {
  description = "When Cloud Scheduler asks the bot for the weekly cost summary, in cron syntax, UTC."
  type        = string
  default     = "0 7 * * 1"
}
