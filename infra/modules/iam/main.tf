# The two runtime identities and what each may touch, nothing more:
#
# bot (the Cloud Run service)
#   - objects in the artifacts bucket: admin (job store, artifacts, run folders)
#   - objects in the DVC remote: read (the data check reads .dir manifests); create under
#     dvc_cache_prefix (the Cloud Run jobs' run-cache: it stores each run's push in the layer the
#     run may write, the default branch's or its pull request's)
#   - the Docker repository: read
#   - actAs the training service account (to run the training job as it)
#   - on the training job only: run with overrides, follow and cancel executions
#     (granted in the training_job module, with the custom role defined here)
#   - its three secrets: read (granted in the secrets module)
#
# training (the Cloud Run job's tasks; they run the pipeline of a pull request)
#   - objects in the artifacts bucket: admin, limited by an IAM condition to the run folders
#     when training_object_prefix is set, so a pipeline cannot touch the job store
#   - objects in the DVC remote: read and create (dvc pull / dvc push), but never create under
#     dvc_cache_prefix: a pull request's pipeline runs with this identity, and the run-cache's
#     default-branch layer is what later default-branch runs restore

locals {
  bot_member      = "serviceAccount:${google_service_account.bot.email}"
  training_member = "serviceAccount:${google_service_account.training.email}"
}

resource "google_service_account" "bot" {
  project      = var.project_id
  account_id   = "${var.name}-bot"
  display_name = "${var.name} bot (Cloud Run service)"
  description  = "Runs the mlops-bot GitHub App; starts and follows training job executions."
}

resource "google_service_account" "training" {
  project      = var.project_id
  account_id   = "${var.name}-training"
  display_name = "${var.name} training (Cloud Run job)"
  description  = "Identity of training job tasks: reads sources and writes results in the artifacts bucket, uses the DVC remote."
}

# --- bot ---------------------------------------------------------------------------------------

resource "google_storage_bucket_iam_member" "bot_artifacts" {
  bucket = var.artifacts_bucket
  role   = "roles/storage.objectAdmin"
  member = local.bot_member
}

resource "google_storage_bucket_iam_member" "bot_dvc" {
  bucket = var.dvc_bucket
  role   = "roles/storage.objectViewer"
  member = local.bot_member
}

resource "google_artifact_registry_repository_iam_member" "bot_registry" {
  project    = var.project_id
  location   = var.registry_location
  repository = var.registry_repository_id
  role       = "roles/artifactregistry.reader"
  member     = local.bot_member
}

resource "google_service_account_iam_member" "bot_acts_as_training" {
  service_account_id = google_service_account.training.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.bot_member
}

# The permissions the Cloud Run runner needs on the training job, as a role granted on that job
# alone: run it with per-run overrides, read, list and cancel its executions and tasks. Unlike
# roles/run.developer, it cannot update or delete the job (and so cannot change its image or
# service account).
resource "google_project_iam_custom_role" "job_runner" {
  count = var.use_custom_job_role ? 1 : 0

  project     = var.project_id
  role_id     = replace("${var.name}_job_runner", "-", "_")
  title       = "${var.name} training job runner"
  description = "Run one Cloud Run job with overrides and follow or cancel its executions."
  permissions = [
    "run.jobs.get",
    "run.jobs.run",
    "run.jobs.runWithOverrides",
    "run.executions.get",
    "run.executions.list",
    "run.executions.cancel",
    "run.tasks.get",
    "run.tasks.list",
  ]
}

# --- training ----------------------------------------------------------------------------------

resource "google_storage_bucket_iam_member" "training_artifacts" {
  bucket = var.artifacts_bucket
  role   = "roles/storage.objectAdmin"
  member = local.training_member

  dynamic "condition" {
    for_each = var.training_object_prefix == "" ? [] : [var.training_object_prefix]
    content {
      title       = "run-folders-only"
      description = "Only objects under ${condition.value} (the per-run folders), never the job store."
      expression  = "resource.name.startsWith(\"projects/_/buckets/${var.artifacts_bucket}/objects/${condition.value}\")"
    }
  }
}

resource "google_storage_bucket_iam_member" "training_dvc_read" {
  bucket = var.dvc_bucket
  role   = "roles/storage.objectViewer"
  member = local.training_member
}

resource "google_storage_bucket_iam_member" "training_dvc_write" {
  bucket = var.dvc_bucket
  role   = "roles/storage.objectCreator"
  member = local.training_member

  dynamic "condition" {
    for_each = var.dvc_cache_prefix == "" ? [] : [var.dvc_cache_prefix]
    content {
      title       = "not-the-run-cache"
      description = "Anything but the run-cache under ${condition.value}, which only the bot writes."
      expression  = "!resource.name.startsWith(\"projects/_/buckets/${var.dvc_bucket}/objects/${condition.value}\")"
    }
  }
}

# The Cloud Run jobs' run-cache: the bot stores what a run pushed (into its run folder) in the
# layer that run may write. Create only: a layer's objects are content-addressed, never replaced.
resource "google_storage_bucket_iam_member" "bot_dvc_cache" {
  count = var.dvc_cache_prefix == "" ? 0 : 1

  bucket = var.dvc_bucket
  role   = "roles/storage.objectCreator"
  member = local.bot_member

  condition {
    title       = "run-cache-only"
    description = "Only objects under ${var.dvc_cache_prefix}, the run-cache's layers."
    expression  = "resource.name.startsWith(\"projects/_/buckets/${var.dvc_bucket}/objects/${var.dvc_cache_prefix}\")"
  }
}
