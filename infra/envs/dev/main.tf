# mlops-bot on Google Cloud, one environment. Apply it in two steps (infra/README.md):
#   1. without images: APIs, buckets, registry, service accounts, secrets, Workload Identity
#      Federation, budget;
#   2. with bot_image and training_image (pushed by the Images workflow): the bot's Cloud Run
#      service and the training Cloud Run job; with mlflow_image the MLflow tracking server (its
#      database, bucket and secret come in step 1), with inference_image the inference server.
# The GKE cluster for the Kubernetes manifests (k8s/) is off unless gke_enabled.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  labels = { app = var.name, env = var.environment }

  # Deterministic names, so that the bot's environment can name the job and its own URL before
  # either exists.
  # The Cloud Run jobs' DVC run-cache, in the DVC bucket; only the bot creates objects there (modules/iam).
  dvc_cache_prefix = "mlops-bot-cache/"

  bot_service_name  = var.name
  training_job_name = "${var.name}-training"
  training_job_id   = "projects/${var.project_id}/locations/${var.region}/jobs/${local.training_job_name}"
  bot_url           = "https://${local.bot_service_name}-${data.google_project.this.number}.${var.region}.run.app"

  secrets = {
    APP_ID         = "${var.name}-app-id"
    PRIVATE_KEY    = "${var.name}-private-key"
    WEBHOOK_SECRET = "${var.name}-webhook-secret"
  }

  # Jobs and the bot log to the tracking server once it runs (an ID token with the service URL as
  # its audience authenticates them: docs/deploy.md). The condition is known at plan, the URL
  # only once the service exists.
  mlflow_running = var.mlflow_enabled && var.mlflow_image != null
  mlflow_env     = local.mlflow_running ? { MLFLOW_TRACKING_URI = one(module.mlflow[*].url) } : {}
  # The bot calls MLflow with its own ID token (MLOPS_MLFLOW_AUTH=google), and may pass the URI to
  # jobs whose repository asks for it (pipeline.env: [MLFLOW_TRACKING_URI]); never a token.
  mlflow_bot_env = local.mlflow_running ? merge(local.mlflow_env, {
    MLOPS_MLFLOW_AUTH = "google"
    MLOPS_JOB_ENV     = "MLFLOW_TRACKING_URI"
  }, var.mlflow_ui_url == null ? {} : { MLOPS_MLFLOW_UI_URL = var.mlflow_ui_url }) : {}

  # Promotions (deploy.on_merge, /deploy): the service the bot rolls and the bucket its models go
  # to; only when the bot may promote and the service exists.
  deploy_env = var.inference_enabled && var.inference_promoted_by_bot && var.inference_image != null ? {
    MLOPS_DEPLOY_SERVICE = one(module.inference[*].id)
    MLOPS_DEPLOY_MODELS  = "gs://${one(module.inference[*].models_bucket)}"
  } : {}

  bot_env = merge({
    LOG_FORMAT                = "json"
    LOG_LEVEL                 = var.log_level
    MLOPS_ARTIFACTS           = module.storage.artifacts_url
    MLOPS_WORKER_CONCURRENCY  = tostring(var.worker_concurrency)
    MLOPS_PUBLIC_URL          = local.bot_url
    MLOPS_CLOUD_RUN_JOB       = local.training_job_id
    MLOPS_CLOUD_RUN_DVC_CACHE = "gs://${module.storage.dvc_bucket}/${trimsuffix(local.dvc_cache_prefix, "/")}"
  }, local.job_store_env, local.mlflow_bot_env, local.cost_summary_env, local.deploy_env, var.bot_env)
}

module "services" {
  source = "../../modules/services"

  project_id = var.project_id
  services = concat([
    "artifactregistry.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudbilling.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "serviceusage.googleapis.com",
    "storage.googleapis.com",
    "sts.googleapis.com",
    ],
    var.mlflow_enabled || local.job_store_postgres ? ["sqladmin.googleapis.com"] : [],
    var.gke_enabled ? ["container.googleapis.com"] : [],
    var.cost_summary_issue != null ? ["cloudscheduler.googleapis.com"] : [],
  )
}

module "storage" {
  source = "../../modules/storage"

  project_id                    = var.project_id
  location                      = var.region
  artifacts_bucket_name         = "${var.project_id}-${var.name}-artifacts"
  dvc_bucket_name               = "${var.project_id}-${var.name}-dvc"
  artifacts_prefix              = "artifacts"
  job_store_prefix              = "job-store"
  artifacts_retention_days      = var.artifacts_retention_days
  runs_retention_days           = var.runs_retention_days
  dvc_noncurrent_retention_days = var.dvc_noncurrent_retention_days
  dvc_cache_prefix              = local.dvc_cache_prefix
  force_destroy                 = var.force_destroy_buckets
  labels                        = local.labels

  depends_on = [module.services]
}

module "registry" {
  source = "../../modules/registry"

  project_id            = var.project_id
  location              = var.region
  repository_id         = var.name
  tagged_retention_days = var.image_retention_days
  keep_recent_versions  = var.keep_recent_images
  labels                = local.labels

  depends_on = [module.services]
}

module "iam" {
  source = "../../modules/iam"

  project_id             = var.project_id
  name                   = var.name
  artifacts_bucket       = module.storage.artifacts_bucket
  dvc_bucket             = module.storage.dvc_bucket
  registry_location      = module.registry.location
  registry_repository_id = module.registry.repository_id
  training_object_prefix = var.restrict_training_to_run_folders ? "${module.storage.artifacts_object_prefix}runs/" : ""
  dvc_cache_prefix       = local.dvc_cache_prefix
  use_custom_job_role    = var.use_custom_job_role

  depends_on = [module.services]
}

module "secrets" {
  source = "../../modules/secrets"

  project_id = var.project_id
  secrets    = local.secrets
  accessors  = [module.iam.bot_member]
  labels     = local.labels

  depends_on = [module.services]
}

module "wif" {
  source = "../../modules/wif"

  project_id             = var.project_id
  github_repository      = var.github_repository
  github_repository_id   = var.github_repository_id
  allowed_refs           = var.github_allowed_refs
  deployer_account_id    = "${var.name}-deployer"
  registry_location      = module.registry.location
  registry_repository_id = module.registry.repository_id
  runtime_service_accounts = {
    bot      = module.iam.bot_service_account_name
    training = module.iam.training_service_account_name
  }

  depends_on = [module.services]
}

module "training_job" {
  source = "../../modules/training_job"
  count  = var.training_image == null ? 0 : 1

  project_id            = var.project_id
  region                = var.region
  name                  = local.training_job_name
  image                 = var.training_image
  service_account_email = module.iam.training_email
  cpu                   = var.training_cpu
  memory                = var.training_memory
  task_timeout_seconds  = var.training_timeout_seconds
  max_retries           = var.training_max_retries
  gpu_count             = var.training_gpu_count
  gpu_type              = var.training_gpu_type
  env                   = merge(local.mlflow_env, var.training_env)
  runner_members        = [module.iam.bot_member]
  runner_role           = module.iam.job_runner_role
  deletion_protection   = var.deletion_protection
  labels                = local.labels

  depends_on = [module.services]
}

module "bot_service" {
  source = "../../modules/bot_service"
  count  = var.bot_image == null ? 0 : 1

  project_id            = var.project_id
  region                = var.region
  name                  = local.bot_service_name
  image                 = var.bot_image
  service_account_email = module.iam.bot_email
  env                   = local.bot_env
  secret_env            = merge(module.secrets.secret_ids, local.cost_summary_secret_env)
  cpu                   = var.bot_cpu
  memory                = var.bot_memory
  cpu_always_allocated  = var.bot_cpu_always_allocated
  min_instances         = var.bot_min_instances
  max_instances         = var.bot_max_instances
  allow_unauthenticated = true
  invoker_iam_disabled  = var.bot_public_access == "invoker-check-disabled"
  deletion_protection   = var.deletion_protection
  labels                = local.labels

  # A revision only starts once the bot may read its secrets (and they have a version: see
  # infra/README.md, step 3).
  depends_on = [module.services, module.secrets, module.iam, module.cost_summary]
}

module "budget" {
  source = "../../modules/budget"
  count  = var.billing_account == null ? 0 : 1
  providers = {
    google = google.billing
  }

  billing_account       = var.billing_account
  project_number        = data.google_project.this.number
  display_name          = "${var.name} (${var.environment})"
  amount                = var.budget_amount
  currency_code         = var.budget_currency
  thresholds            = var.budget_thresholds
  notification_channels = var.budget_notification_channels

  depends_on = [module.services]
}
