# The shared MLflow tracking server:
#
#   Cloud Run service <name>  (image docker/mlflow, non-root; requires an ID token: run.invoker only
#        │                    for invoker_members: the bot's and the training job's service
#        │                    accounts and the people's group)
#        ├── backend store: Cloud SQL for PostgreSQL, through Cloud Run's built-in Cloud SQL
#        │   connection (the Auth Proxy's unix socket in /cloudsql/<connection name>). The
#        │   instance has a public IP but no authorized network, and accepts only connections
#        │   with the connector's client certificates: there is no path to it with a password
#        │   alone. The password is in Secret Manager; the server reads it at revision start.
#        └── artifacts: a bucket only the server's service account can touch. Clients upload and
#            download through the server (proxied artifacts, mlflow-artifacts:/ URIs), so the
#            training job needs no grant on the bucket.
#
# Room for issue 20: the instance has cloudsql.iam_authentication on, so a database and an IAM
# user for the bot can be added on it later (outputs instance_name, connection_name).

locals {
  service_host = "${var.name}-${var.project_number}.${var.region}.run.app"
  sa_member    = "serviceAccount:${google_service_account.mlflow.email}"
  port         = 5000
}

resource "google_service_account" "mlflow" {
  project      = var.project_id
  account_id   = var.name
  display_name = "${var.name} (MLflow tracking server)"
  description  = "Runs the MLflow tracking server: connects to its Cloud SQL instance, reads its database password, stores artifacts in its bucket."
}

# --- Cloud SQL ---------------------------------------------------------------------------------

# An instance name cannot be used again for about a week after deletion: a suffix lets a destroyed
# and re-applied environment come back at once.
resource "random_id" "instance" {
  byte_length = 2
}

resource "google_sql_database_instance" "this" {
  project             = var.project_id
  name                = "${var.name}-${random_id.instance.hex}"
  region              = var.region
  database_version    = var.database_version
  deletion_protection = var.deletion_protection

  settings {
    # PostgreSQL 16+ defaults to Enterprise Plus, which has no shared-core tiers.
    edition           = "ENTERPRISE"
    tier              = var.database_tier
    availability_type = var.database_high_availability ? "REGIONAL" : "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = var.database_disk_gb
    disk_autoresize   = true
    user_labels       = var.labels

    ip_configuration {
      # A public address with no authorized networks: only the Cloud SQL connectors (Cloud Run's
      # built-in one, the Auth Proxy, the language connectors) reach it, with an IAM-checked
      # client certificate. No VPC or peering to manage.
      ipv4_enabled = true
      ssl_mode     = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = var.point_in_time_recovery

      backup_retention_settings {
        retained_backups = var.backup_retention_count
      }
    }

    maintenance_window {
      day  = 7
      hour = 3
    }

    # IAM database users (the bot's, issue 20) next to MLflow's built-in user.
    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }
  }
}

resource "google_sql_database" "mlflow" {
  project  = var.project_id
  instance = google_sql_database_instance.this.name
  name     = "mlflow"
}

# Letters and digits only: the password goes into a connection URI (the entry point quotes it
# anyway).
resource "random_password" "db" {
  length  = 32
  special = false
}

resource "google_sql_user" "mlflow" {
  project  = var.project_id
  instance = google_sql_database_instance.this.name
  name     = "mlflow"
  password = random_password.db.result
  # PostgreSQL refuses to drop a role that owns tables; the instance goes with its users anyway.
  deletion_policy = "ABANDON"
}

# The connector checks cloudsql.instances.connect/get; the grant names this instance only.
resource "google_project_iam_member" "sql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = local.sa_member

  condition {
    title       = "${var.name}-instance-only"
    description = "Only the MLflow Cloud SQL instance."
    expression  = "resource.name == \"projects/${var.project_id}/instances/${google_sql_database_instance.this.name}\""
  }
}

# --- The password in Secret Manager --------------------------------------------------------------
# Terraform generates it, so it is in Terraform's state too (the state bucket is as sensitive as
# the secret): rotate with terraform apply -replace=module.mlflow[0].random_password.db, then roll
# the service (infra/README.md).

resource "google_secret_manager_secret" "db_password" {
  project   = var.project_id
  secret_id = "${var.name}-db-password"
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "db_password" {
  secret      = google_secret_manager_secret.db_password.id
  secret_data = random_password.db.result
}

resource "google_secret_manager_secret_iam_member" "db_password" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.db_password.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.sa_member
}

# --- Artifacts -----------------------------------------------------------------------------------

resource "google_storage_bucket" "artifacts" {
  project  = var.project_id
  name     = var.artifacts_bucket_name
  location = var.region
  labels   = var.labels

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy_bucket

  versioning {
    enabled = false
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }
}

resource "google_storage_bucket_iam_member" "artifacts" {
  bucket = google_storage_bucket.artifacts.name
  role   = "roles/storage.objectAdmin"
  member = local.sa_member
}
