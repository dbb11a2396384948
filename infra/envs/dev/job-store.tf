# Where the bot keeps its jobs (MLOPS_JOB_STORE). With a Cloud SQL instance around (MLflow's), a
# database and an IAM user on it: PostgreSQL's row locks, indexes and notifications, and a queue
# operators can query. Without one, objects under job-store/ in the artifacts bucket. The bot
# reaches Cloud SQL through the Node.js connector as its own service account: no password exists.

locals {
  job_store_postgres = var.job_store == "postgres" || (var.job_store == "auto" && var.mlflow_enabled)

  job_store_env = local.job_store_postgres ? {
    MLOPS_JOB_STORE          = one(module.bot_database[*].job_store_url)
    MLOPS_CLOUD_SQL_INSTANCE = one(module.bot_database[*].connection_name)
    } : {
    MLOPS_JOB_STORE = module.storage.job_store_url
  }
}

module "bot_database" {
  source = "../../modules/bot_database"
  count  = local.job_store_postgres ? 1 : 0

  project_id = var.project_id
  region     = var.region
  name       = "${var.name}-jobs"
  # MLflow's instance when there is one; else a small instance of its own.
  instance_name             = one(module.mlflow[*].instance_name)
  bot_service_account_email = module.iam.bot_email
  database_roles            = var.bot_database_roles
  deletion_protection       = var.deletion_protection
  labels                    = local.labels

  depends_on = [module.services]
}
