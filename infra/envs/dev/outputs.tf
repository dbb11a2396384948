output "artifacts_url" {
  description = "MLOPS_ARTIFACTS of the bot: job logs and results."
  value       = module.storage.artifacts_url
}

output "job_store_url" {
  description = "MLOPS_JOB_STORE of the bot: the shared job store (postgres:///mlops_bot?user=… on Cloud SQL, or gs://…/job-store)."
  value       = local.job_store_env.MLOPS_JOB_STORE
}

output "job_store_instance" {
  description = "MLOPS_CLOUD_SQL_INSTANCE of the bot: the Cloud SQL instance of its job store (null with the Cloud Storage store)."
  value       = one(module.bot_database[*].connection_name)
}

output "dvc_remote_url" {
  description = "The DVC remote for the ML repositories: dvc remote add -d gcs <url>."
  value       = module.storage.dvc_remote_url
}

output "registry_url" {
  description = "Image prefix: <registry_url>/{bot,training,inference}:<tag>."
  value       = module.registry.url
}

output "bot_service_account" {
  description = "The bot's service account."
  value       = module.iam.bot_email
}

output "training_service_account" {
  description = "The training job's service account."
  value       = module.iam.training_email
}

output "secret_commands" {
  description = "The gcloud command that adds (or rotates) each of the App's secrets."
  value       = module.secrets.add_version_commands
}

output "bot_url" {
  description = "The bot's URL (null until bot_image is set)."
  value       = one(module.bot_service[*].uri)
}

output "webhook_url" {
  description = "The GitHub App's webhook URL (null until bot_image is set)."
  value       = var.bot_image == null ? null : "${one(module.bot_service[*].uri)}/api/github/webhooks"
}

output "training_job" {
  description = "The training job's full name, MLOPS_CLOUD_RUN_JOB of the bot (null until training_image is set)."
  value       = one(module.training_job[*].id)
}

output "workload_identity_provider" {
  description = "GitHub variable GCP_WORKLOAD_IDENTITY_PROVIDER."
  value       = module.wif.provider_name
}

output "deployer_service_account" {
  description = "GitHub variable GCP_SERVICE_ACCOUNT."
  value       = module.wif.deployer_email
}

output "github_variables" {
  description = "The repository variables the Images and Deploy workflows read."
  value = {
    GCP_PROJECT_ID                 = var.project_id
    GCP_REGION                     = var.region
    GCP_ARTIFACT_REPOSITORY        = module.registry.repository_id
    GCP_WORKLOAD_IDENTITY_PROVIDER = module.wif.provider_name
    GCP_SERVICE_ACCOUNT            = module.wif.deployer_email
    CLOUD_RUN_SERVICE              = local.bot_service_name
    CLOUD_RUN_TRAINING_JOB         = local.training_job_name
  }
}

output "mlflow_url" {
  description = "MLFLOW_TRACKING_URI of the bot and the training job (null until mlflow_image is set)."
  value       = var.mlflow_enabled ? one(module.mlflow[*].url) : null
}

output "mlflow_connection_name" {
  description = "The Cloud SQL instance of MLflow, <project>:<region>:<instance> (null when mlflow_enabled is false)."
  value       = var.mlflow_enabled ? one(module.mlflow[*].connection_name) : null
}

output "inference_url" {
  description = "The inference server's URL (null until inference_image is set)."
  value       = var.inference_enabled ? one(module.inference[*].url) : null
}

output "inference_service" {
  description = "The inference service the promotion rolls: name, region, project, and the models bucket."
  value = var.inference_enabled ? {
    name          = one(module.inference[*].service_name)
    region        = var.region
    project       = var.project_id
    models_bucket = one(module.inference[*].models_bucket)
    model_source  = one(module.inference[*].model_source)
  } : null
}

output "gke_get_credentials" {
  description = "The command that points kubectl at the GKE cluster (null when gke_enabled is false)."
  value       = var.gke_enabled ? one(module.gke[*].get_credentials_command) : null
}
