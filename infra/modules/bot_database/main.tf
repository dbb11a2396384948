# The bot's job store in PostgreSQL (MLOPS_JOB_STORE=postgres:///mlops_bot?user=…):
#
#   Cloud SQL instance  the MLflow module's (instance_name), or, when MLflow is off, a small one of
#        │              its own: public IP with no authorized network and client certificates
#        │              required, so only the Cloud SQL connectors reach it (no VPC to manage)
#        ├── database mlops_bot
#        └── IAM user   the bot's service account (CLOUD_IAM_SERVICE_ACCOUNT): the bot signs in
#                       with its own identity through the Node.js connector, so no password exists.
#                       It is a member of database_roles (default cloudsqlsuperuser, which owns the
#                       databases made through the API) so it can create its schema and tables.
#
# The bot's service account gets roles/cloudsql.client and roles/cloudsql.instanceUser on this
# instance only (IAM conditions).

locals {
  own_instance  = var.instance_name == null
  instance_name = local.own_instance ? google_sql_database_instance.own[0].name : var.instance_name
  # Cloud SQL names an IAM service account's database user by its email without the domain suffix.
  user = trimsuffix(var.bot_service_account_email, ".gserviceaccount.com")
  bot  = "serviceAccount:${var.bot_service_account_email}"
}

data "google_sql_database_instance" "shared" {
  count   = local.own_instance ? 0 : 1
  project = var.project_id
  name    = var.instance_name
}

# An instance name cannot be used again for about a week after deletion: a suffix lets a destroyed
# and re-applied environment come back at once.
resource "random_id" "instance" {
  count       = local.own_instance ? 1 : 0
  byte_length = 2
}

resource "google_sql_database_instance" "own" {
  count               = local.own_instance ? 1 : 0
  project             = var.project_id
  name                = "${var.name}-${random_id.instance[0].hex}"
  region              = var.region
  database_version    = var.database_version
  deletion_protection = var.deletion_protection

  settings {
    edition           = "ENTERPRISE"
    tier              = var.database_tier
    availability_type = "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = 10
    disk_autoresize   = true
    user_labels       = var.labels

    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled    = true
      start_time = "02:00"

      backup_retention_settings {
        retained_backups = 7
      }
    }

    maintenance_window {
      day  = 7
      hour = 3
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }
  }
}

resource "google_sql_database" "bot" {
  project  = var.project_id
  instance = local.instance_name
  name     = var.database_name
  # The bot's tables belong to its IAM user, which PostgreSQL will not drop a database from under.
  deletion_policy = "ABANDON"
}

resource "google_sql_user" "bot" {
  project        = var.project_id
  instance       = local.instance_name
  name           = local.user
  type           = "CLOUD_IAM_SERVICE_ACCOUNT"
  database_roles = var.database_roles
  # PostgreSQL refuses to drop a role that owns tables; the instance goes with its users anyway.
  deletion_policy = "ABANDON"
}

# The connector checks cloudsql.instances.connect/get (client) and the IAM sign-in checks
# cloudsql.instances.login (instanceUser); both grants name this instance only.
resource "google_project_iam_member" "bot" {
  for_each = toset(["roles/cloudsql.client", "roles/cloudsql.instanceUser"])
  project  = var.project_id
  role     = each.value
  member   = local.bot

  condition {
    title       = "${var.name}-instance-only"
    description = "Only the Cloud SQL instance of the bot's job store."
    expression  = "resource.name == \"projects/${var.project_id}/instances/${local.instance_name}\""
  }
}
