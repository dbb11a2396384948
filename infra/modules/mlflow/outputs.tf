output "url" {
  description = "MLFLOW_TRACKING_URI of the bot and the training job: the service's URL (null until image is set)."
  value       = one(google_cloud_run_v2_service.this[*].uri)
}

output "service_name" {
  description = "Name of the Cloud Run service (null until image is set)."
  value       = one(google_cloud_run_v2_service.this[*].name)
}

output "service_account_email" {
  description = "The server's service account."
  value       = google_service_account.mlflow.email
}

output "instance_name" {
  description = "Name of the Cloud SQL instance (issue 20 adds the bot's database and IAM user on it)."
  value       = google_sql_database_instance.this.name
}

output "connection_name" {
  description = "The instance's connection name, <project>:<region>:<instance>, for Cloud SQL connectors."
  value       = google_sql_database_instance.this.connection_name
}

output "database_password_secret" {
  description = "Secret Manager secret id of the mlflow database user's password."
  value       = google_secret_manager_secret.db_password.secret_id
}

output "artifacts_bucket" {
  description = "Name of the MLflow artifacts bucket."
  value       = google_storage_bucket.artifacts.name
}
