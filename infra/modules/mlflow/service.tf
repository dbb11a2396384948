# The tracking server as a Cloud Run service, created once `image` is set. Like the bot's, the
# image is Terraform's only at creation; later deployments (gcloud run deploy, the Deploy
# workflow) own it and Terraform ignores the difference.

resource "google_cloud_run_v2_service" "this" {
  count = var.image == null ? 0 : 1

  project             = var.project_id
  name                = var.name
  location            = var.region
  description         = "MLflow tracking server (backend: Cloud SQL ${google_sql_database_instance.this.name}; artifacts: gs://${google_storage_bucket.artifacts.name})"
  labels              = var.labels
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection

  template {
    service_account                  = google_service_account.mlflow.email
    timeout                          = "300s"
    max_instance_request_concurrency = 40

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = [google_sql_database_instance.this.connection_name]
      }
    }

    containers {
      name  = "mlflow"
      image = var.image

      ports {
        container_port = local.port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # CPU only while requests are served: MLflow does nothing between them.
        cpu_idle          = true
        startup_cpu_boost = true
      }

      # docker/mlflow/entrypoint.py composes the backend store URI from these (the socket of the
      # built-in Cloud SQL connection) and starts `mlflow server` with proxied artifacts.
      env {
        name  = "MLFLOW_CLOUD_SQL_INSTANCE"
        value = google_sql_database_instance.this.connection_name
      }
      env {
        name  = "MLFLOW_DB_NAME"
        value = google_sql_database.mlflow.name
      }
      env {
        name  = "MLFLOW_DB_USER"
        value = google_sql_user.mlflow.name
      }
      env {
        name = "MLFLOW_DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.db_password.secret_id
            version = "latest"
          }
        }
      }
      env {
        name  = "MLFLOW_ARTIFACTS_DESTINATION"
        value = "gs://${google_storage_bucket.artifacts.name}/mlflow"
      }
      env {
        name  = "MLFLOW_WORKERS"
        value = tostring(var.workers)
      }
      # MLflow refuses Host headers it does not know (DNS rebinding): the two URLs of the
      # service (deterministic and hashed), and localhost for `gcloud run services proxy`.
      env {
        name  = "MLFLOW_SERVER_ALLOWED_HOSTS"
        value = "${local.service_host},${var.name}-*.a.run.app,localhost:*,127.0.0.1:*"
      }
      # Few connections per worker: a small instance allows about 25 in all.
      env {
        name  = "MLFLOW_SQLALCHEMYSTORE_POOL_SIZE"
        value = "2"
      }
      env {
        name  = "MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW"
        value = "2"
      }

      volume_mounts {
        name       = "cloudsql"
        mount_path = "/cloudsql"
      }

      # The first start creates the schema (a minute or two on a small instance).
      startup_probe {
        initial_delay_seconds = 0
        period_seconds        = 5
        timeout_seconds       = 3
        failure_threshold     = 48
        http_get {
          path = "/health"
          port = local.port
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/health"
          port = local.port
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

  # A revision starts only once the server may read its password and reach its instance.
  depends_on = [
    google_secret_manager_secret_version.db_password,
    google_secret_manager_secret_iam_member.db_password,
    google_project_iam_member.sql_client,
    google_sql_user.mlflow,
  ]
}

# Never public: callers present an ID token (audience: the service URL) of an invoker.
resource "google_cloud_run_v2_service_iam_member" "invoker" {
  # Keyed by position, not by member: service account emails may be unknown until apply.
  for_each = var.image == null ? {} : { for i in range(length(var.invoker_members)) : tostring(i) => i }

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.this[0].name
  role     = "roles/run.invoker"
  member   = var.invoker_members[each.value]
}
