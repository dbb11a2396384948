output "artifacts_bucket" {
  description = "Name of the artifacts and job store bucket."
  value       = google_storage_bucket.artifacts.name
}

output "dvc_bucket" {
  description = "Name of the DVC remote bucket."
  value       = google_storage_bucket.dvc.name
}

output "artifacts_url" {
  description = "MLOPS_ARTIFACTS: the artifact store's gs:// URL."
  value       = "gs://${google_storage_bucket.artifacts.name}/${local.artifacts_prefix}"
}

output "artifacts_object_prefix" {
  description = "The artifact store's object name prefix, with a trailing slash."
  value       = "${local.artifacts_prefix}/"
}

output "job_store_url" {
  description = "MLOPS_JOB_STORE: the job store's gs:// URL."
  value       = "gs://${google_storage_bucket.artifacts.name}/${local.job_store_prefix}"
}

output "dvc_remote_url" {
  description = "The DVC remote URL, for `dvc remote add -d gcs <url>`."
  value       = "gs://${google_storage_bucket.dvc.name}"
}
