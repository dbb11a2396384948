output "name" {
  description = "Name of the service."
  value       = google_cloud_run_v2_service.this.name
}

output "id" {
  description = "Full resource name of the service."
  value       = google_cloud_run_v2_service.this.id
}

output "uri" {
  description = "The service's URL."
  value       = google_cloud_run_v2_service.this.uri
}
