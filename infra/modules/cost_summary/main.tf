# The weekly cost summary (docs/operations.md, Costs) on a schedule outside the bot: every Monday
# Cloud Scheduler asks the bot's service to post last week's summary, so it is posted even when no
# instance was running (bot_min_instances = 0). The bot's own hourly timer does the same; each
# week is posted once, whoever asks first.
#
# The scheduler proves itself with a bearer token Terraform generates, so it is in Terraform's
# state too (the state bucket is as sensitive as the secret), like the MLflow database password:
# rotate with terraform apply -replace=module.cost_summary[0].random_password.token, then roll
# the bot's service so it reads the new version.

resource "random_password" "token" {
  length  = 48
  special = false
}

resource "google_secret_manager_secret" "token" {
  project   = var.project_id
  secret_id = "${var.name}-tasks-token"
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "token" {
  secret      = google_secret_manager_secret.token.id
  secret_data = random_password.token.result
}

resource "google_secret_manager_secret_iam_member" "bot" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.token.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = var.bot_member
}

resource "google_cloud_scheduler_job" "weekly" {
  project          = var.project_id
  region           = var.region
  name             = "${var.name}-weekly-cost-summary"
  description      = "Posts last week's estimated training costs to the configured issue (mlops-bot)."
  schedule         = var.schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "120s"

  retry_config {
    retry_count          = 3
    min_backoff_duration = "300s"
    max_backoff_duration = "3600s"
  }

  http_target {
    http_method = "POST"
    uri         = "${trimsuffix(var.bot_url, "/")}/tasks/weekly-cost-summary"
    headers = {
      Authorization = "Bearer ${random_password.token.result}"
    }
  }
}
