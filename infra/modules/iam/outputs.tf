output "bot_email" {
  description = "Email of the bot's service account."
  value       = google_service_account.bot.email
}

output "bot_member" {
  description = "IAM member of the bot's service account."
  value       = local.bot_member
}

output "training_email" {
  description = "Email of the training job's service account."
  value       = google_service_account.training.email
}

output "training_member" {
  description = "IAM member of the training job's service account."
  value       = local.training_member
}

output "bot_service_account_name" {
  description = "Full resource name of the bot's service account."
  value       = google_service_account.bot.name
}

output "training_service_account_name" {
  description = "Full resource name of the training job's service account."
  value       = google_service_account.training.name
}

output "job_runner_role" {
  description = "The role to grant the bot on the training job."
  value       = var.use_custom_job_role ? google_project_iam_custom_role.job_runner[0].name : "roles/run.developer"
}
