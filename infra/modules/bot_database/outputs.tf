output "connection_name" {
  description = "The instance's connection name, <project>:<region>:<instance>: the bot's MLOPS_CLOUD_SQL_INSTANCE."
  value       = local.own_instance ? google_sql_database_instance.own[0].connection_name : data.google_sql_database_instance.shared[0].connection_name
}

output "database_user" {
  description = "The bot's IAM database user (its service account email without .gserviceaccount.com)."
  value       = google_sql_user.bot.name
}

output "job_store_url" {
  description = "The bot's MLOPS_JOB_STORE: the database and the IAM user, no host (the connector reaches the instance), no password (IAM authentication)."
  value       = "postgres:///${google_sql_database.bot.name}?user=${urlencode(google_sql_user.bot.name)}"
}
