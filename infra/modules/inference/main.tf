# The inference server (docker/inference: src/serve on onnxruntime-node) as a Cloud Run service.
#
# The model, one of two ways:
#   - in the image (model_uri = null): the image was built with the model (MODEL_FROM=pipeline or
#     context); a promotion rolls the service to a new image tag.
#   - from Cloud Storage (model_uri = gs://bucket/folder/model.onnx): the folder is mounted
#     read-only at /model with Cloud Storage FUSE (second-generation execution environment) and
#     MODEL_PATH names the file, which the server loads at start. A promotion uploads the model
#     to a new folder (gs://<models bucket>/<service>/<model id>/model.onnx, same file name) and
#     rolls the service to a revision whose volume mounts that folder (only-dir).
#
# Either way each revision pins one model, and a rollback is a traffic move to an older revision.
# Terraform sets the image and the model volume when it creates the service; promotions own them
# afterwards (Terraform ignores both). Scaling, CPU, probes, environment and IAM stay Terraform's.
#
# Traffic reaches an instance once its startup probe passes, and the probe is /ready: 200 only
# when the model is loaded. The liveness probe is /health (the process answers).

locals {
  gcs_model    = var.model_uri != null
  model_parts  = local.gcs_model ? regex("^gs://([^/]+)/(.+)/([^/]+)$", var.model_uri) : ["", "", ""]
  model_bucket = local.model_parts[0]
  model_folder = local.model_parts[1]
  model_file   = local.model_parts[2]
  port         = 8080
  sa_member    = "serviceAccount:${google_service_account.inference.email}"

  env = merge(var.env, local.gcs_model ? { MODEL_PATH = "/model/${local.model_file}" } : {})
}

resource "google_service_account" "inference" {
  project      = var.project_id
  account_id   = var.name
  display_name = "${var.name} (inference server)"
  description  = "Runs the inference server; reads models from Cloud Storage when the model is not in the image."
}

# --- Promoted models ---------------------------------------------------------------------------

resource "google_storage_bucket" "models" {
  count = var.models_bucket_name == null ? 0 : 1

  project  = var.project_id
  name     = var.models_bucket_name
  location = var.region
  labels   = var.labels

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy_bucket

  # A model folder is written once; versioning keeps an overwritten or deleted model restorable.
  versioning {
    enabled = true
  }
}

resource "google_storage_bucket_iam_member" "models_reader" {
  count = var.models_bucket_name == null ? 0 : 1

  bucket = google_storage_bucket.models[0].name
  role   = "roles/storage.objectViewer"
  member = local.sa_member
}

# A model_uri in another bucket: read access there too.
resource "google_storage_bucket_iam_member" "model_uri_reader" {
  count = local.gcs_model && local.model_bucket != var.models_bucket_name ? 1 : 0

  bucket = local.model_bucket
  role   = "roles/storage.objectViewer"
  member = local.sa_member
}

resource "google_storage_bucket_iam_member" "models_writer" {
  for_each = var.models_bucket_name == null ? {} : {
    for pair in setproduct(["roles/storage.objectCreator", "roles/storage.objectViewer"], range(length(var.deployer_members))) :
    "${pair[0]}/${pair[1]}" => { role = pair[0], index = pair[1] }
  }

  bucket = google_storage_bucket.models[0].name
  role   = each.value.role
  member = var.deployer_members[each.value.index]
}

# --- The service -------------------------------------------------------------------------------

resource "google_cloud_run_v2_service" "this" {
  count = var.image == null ? 0 : 1

  project             = var.project_id
  name                = var.name
  location            = var.region
  description         = "mlops-bot inference server (ONNX model on onnxruntime-node)"
  labels              = var.labels
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection

  template {
    service_account                  = google_service_account.inference.email
    timeout                          = "30s"
    max_instance_request_concurrency = var.concurrency
    # Cloud Storage volumes need the second generation; the first starts faster otherwise.
    execution_environment = local.gcs_model ? "EXECUTION_ENVIRONMENT_GEN2" : "EXECUTION_ENVIRONMENT_GEN1"

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    dynamic "volumes" {
      for_each = local.gcs_model ? [1] : []
      content {
        name = "model"
        gcs {
          bucket        = local.model_bucket
          read_only     = true
          mount_options = ["only-dir=${local.model_folder}"]
        }
      }
    }

    containers {
      name  = "inference"
      image = var.image

      ports {
        container_port = local.port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        cpu_idle          = !var.cpu_always_allocated
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = local.env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "volume_mounts" {
        for_each = local.gcs_model ? [1] : []
        content {
          name       = "model"
          mount_path = "/model"
        }
      }

      # Traffic only once the model is loaded (/ready is 503 while it loads).
      startup_probe {
        initial_delay_seconds = 0
        period_seconds        = 2
        timeout_seconds       = 2
        failure_threshold     = 60
        http_get {
          path = "/ready"
          port = local.port
        }
      }

      liveness_probe {
        period_seconds    = 15
        timeout_seconds   = 3
        failure_threshold = 3
        http_get {
          path = "/health"
          port = local.port
        }
      }
    }
  }

  # Promotions own the image, the model volume, and the revision's name and lineage labels
  # (mlops-bot-pr, -sha, -train-job, -deploy-job); Terraform leaves them as the last promotion set them.
  lifecycle {
    ignore_changes = [
      template[0].containers[0].image,
      template[0].volumes,
      template[0].revision,
      template[0].labels,
      client,
      client_version,
    ]
  }
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = var.image == null ? {} : { for i in range(length(var.invoker_members)) : tostring(i) => i }

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.this[0].name
  role     = "roles/run.invoker"
  member   = var.invoker_members[each.value]
}

# Promotion: deploy new revisions of this service (not others), as its service account.
resource "google_cloud_run_v2_service_iam_member" "deployer" {
  for_each = var.image == null ? {} : { for i in range(length(var.deployer_members)) : tostring(i) => i }

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.this[0].name
  role     = "roles/run.developer"
  member   = var.deployer_members[each.value]
}

resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each = { for i in range(length(var.deployer_members)) : tostring(i) => i }

  service_account_id = google_service_account.inference.name
  role               = "roles/iam.serviceAccountUser"
  member             = var.deployer_members[each.value]
}
