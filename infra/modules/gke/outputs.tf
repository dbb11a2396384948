output "cluster_name" {
  description = "Name of the cluster (gcloud container clusters get-credentials <name> --region <region>)."
  value       = google_container_cluster.this.name
}

output "endpoint" {
  description = "The control plane's address."
  value       = google_container_cluster.this.endpoint
  sensitive   = true
}

output "workload_pool" {
  description = "The Workload Identity pool of the cluster (<project>.svc.id.goog)."
  value       = local.workload_pool
}

output "nodes_service_account" {
  description = "The nodes' service account."
  value       = google_service_account.nodes.email
}

output "get_credentials_command" {
  description = "The command that points kubectl at the cluster."
  value       = "gcloud container clusters get-credentials ${google_container_cluster.this.name} --region ${var.region} --project ${var.project_id}"
}
