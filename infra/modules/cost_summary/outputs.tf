output "token_secret_id" {
  description = "The Secret Manager secret holding the token (the bot's MLOPS_TASKS_TOKEN)."
  value       = google_secret_manager_secret.token.secret_id
}

output "job_name" {
  description = "Name of the Cloud Scheduler job."
  value       = google_cloud_scheduler_job.weekly.name
}
