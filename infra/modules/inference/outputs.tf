output "service_name" {
  description = "Name of the Cloud Run service the promotion rolls (null until image is set)."
  value       = one(google_cloud_run_v2_service.this[*].name)
}

output "id" {
  description = "Full resource name of the service: projects/<project>/locations/<region>/services/<name> (null until image is set)."
  value       = one(google_cloud_run_v2_service.this[*].id)
}

output "url" {
  description = "The service's URL (null until image is set)."
  value       = one(google_cloud_run_v2_service.this[*].uri)
}

output "service_account_email" {
  description = "The server's service account."
  value       = google_service_account.inference.email
}

output "models_bucket" {
  description = "The bucket promoted models are uploaded to (null when models_bucket_name is null)."
  value       = one(google_storage_bucket.models[*].name)
}

output "model_source" {
  description = "How the first revision gets its model: \"image\", or the gs:// URI mounted at /model."
  value       = local.gcs_model ? var.model_uri : "image"
}
