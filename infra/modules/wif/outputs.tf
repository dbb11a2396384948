output "provider_name" {
  description = "The workload_identity_provider input of google-github-actions/auth."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "deployer_email" {
  description = "The service_account input of google-github-actions/auth."
  value       = google_service_account.deployer.email
}
