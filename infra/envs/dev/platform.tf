# The rest of the platform: the MLflow tracking server, the inference server, and the optional
# GKE cluster for the Kubernetes manifests (k8s/). See infra/README.md and docs/deploy.md.

module "mlflow" {
  source = "../../modules/mlflow"
  count  = var.mlflow_enabled ? 1 : 0

  project_id            = var.project_id
  region                = var.region
  project_number        = data.google_project.this.number
  name                  = "${var.name}-mlflow"
  image                 = var.mlflow_image
  artifacts_bucket_name = "${var.project_id}-${var.name}-mlflow"
  # The bot (reads runs back, links them), the training job (logs runs), and the people.
  invoker_members            = concat([module.iam.bot_member, module.iam.training_member], var.mlflow_invoker_members)
  database_tier              = var.mlflow_database_tier
  database_high_availability = var.mlflow_database_high_availability
  min_instances              = var.mlflow_min_instances
  max_instances              = var.mlflow_max_instances
  deletion_protection        = var.deletion_protection
  force_destroy_bucket       = var.force_destroy_buckets
  labels                     = local.labels

  depends_on = [module.services]
}

module "inference" {
  source = "../../modules/inference"
  count  = var.inference_enabled ? 1 : 0

  project_id           = var.project_id
  region               = var.region
  name                 = "${var.name}-inference"
  image                = var.inference_image
  model_uri            = var.inference_model_uri
  models_bucket_name   = "${var.project_id}-${var.name}-models"
  min_instances        = var.inference_min_instances
  max_instances        = var.inference_max_instances
  concurrency          = var.inference_concurrency
  cpu_always_allocated = var.inference_cpu_always_allocated
  env                  = var.inference_env
  invoker_members      = var.inference_invoker_members
  # Promotion (deploy.on_merge, /deploy) rolls this service as the bot.
  deployer_members     = var.inference_promoted_by_bot ? [module.iam.bot_member] : []
  deletion_protection  = var.deletion_protection
  force_destroy_bucket = var.force_destroy_buckets
  labels               = local.labels

  depends_on = [module.services]
}

module "gke" {
  source = "../../modules/gke"
  count  = var.gke_enabled ? 1 : 0

  project_id              = var.project_id
  region                  = var.region
  name                    = var.name
  autopilot               = var.gke_autopilot
  master_authorized_cidrs = var.gke_master_authorized_cidrs
  registry_location       = module.registry.location
  registry_repository_id  = module.registry.repository_id
  # k8s/: the inference Deployment's service account may read promoted models.
  workload_bindings = var.inference_enabled ? [{
    namespace       = "mlops-inference"
    service_account = "inference"
    role            = "roles/storage.objectViewer"
    bucket          = one(module.inference[*].models_bucket)
  }] : []
  deletion_protection = var.deletion_protection
  labels              = local.labels

  depends_on = [module.services]
}
