# The bot as a Cloud Run service: the Probot server (GitHub webhooks at /api/github/webhooks)
# and the job worker, stateless (job state and artifacts are in Cloud Storage), so several
# instances can run at once. The App's credentials come from Secret Manager at revision start.
#
# The image is set here when the service is created; after that, deployments belong to
# .github/workflows/deploy.yml (or `gcloud run deploy --image`), and Terraform ignores the image.

resource "google_cloud_run_v2_service" "this" {
  project              = var.project_id
  name                 = var.name
  location             = var.region
  description          = "mlops-bot: GitHub App that runs the MLOps loop from pull-request comments"
  labels               = var.labels
  ingress              = "INGRESS_TRAFFIC_ALL"
  deletion_protection  = var.deletion_protection
  invoker_iam_disabled = var.invoker_iam_disabled

  template {
    service_account                  = var.service_account_email
    timeout                          = "60s"
    max_instance_request_concurrency = var.request_concurrency

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    containers {
      name  = "bot"
      image = var.image

      ports {
        container_port = var.port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # The worker follows training executions between webhooks: with CPU only during
        # requests it would stall. Instance-based billing: see infra/README.md, Costs.
        cpu_idle          = !var.cpu_always_allocated
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = var.env
        content {
          name  = env.key
          value = env.value
        }
      }

      # Resolved when a revision starts: rotating a secret needs a new revision
      # (gcloud run services update <name> --region <region> --update-labels rotated=<date>).
      dynamic "env" {
        for_each = var.secret_env
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }

      startup_probe {
        initial_delay_seconds = 0
        period_seconds        = 5
        timeout_seconds       = 3
        failure_threshold     = 24
        http_get {
          path = "/healthz"
          port = var.port
        }
      }

      liveness_probe {
        initial_delay_seconds = 0
        period_seconds        = 30
        timeout_seconds       = 5
        failure_threshold     = 3
        http_get {
          path = "/healthz"
          port = var.port
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].containers[0].image,
      client,
      client_version,
    ]
  }
}

# GitHub's webhook deliveries carry no Google credentials: the service must be public. The bot
# refuses every delivery that is not signed with the App's webhook secret.
resource "google_cloud_run_v2_service_iam_member" "public" {
  count = var.allow_unauthenticated && !var.invoker_iam_disabled ? 1 : 0

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.this.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
