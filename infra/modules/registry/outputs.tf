output "repository_id" {
  description = "Name of the repository."
  value       = google_artifact_registry_repository.this.repository_id
}

output "location" {
  description = "Region of the repository."
  value       = google_artifact_registry_repository.this.location
}

output "url" {
  description = "Image prefix: <url>/<image>:<tag>."
  value       = "${google_artifact_registry_repository.this.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.this.repository_id}"
}
