# The training Cloud Run Job. The bot starts one execution per /train with runJob and per-run
# overrides: the container's args (`mlops-bot job --run gs://.../runs/<id> ...`), the task
# timeout, and the allow-listed environment. The entry point downloads the source tarball, runs
# the pipeline, and uploads the log, the results and a completion record.
#
# Like the service's, the image is set here at creation and by deploy.yml afterwards.

locals {
  gpu          = var.gpu_count > 0
  memory_mib   = tonumber(regex("^[0-9]+", var.memory)) * (endswith(var.memory, "Gi") ? 1024 : 1)
  gpu_limits   = local.gpu ? { "nvidia.com/gpu" = tostring(var.gpu_count) } : {}
  task_timeout = "${var.task_timeout_seconds}s"
}

resource "google_cloud_run_v2_job" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  labels              = var.labels
  deletion_protection = var.deletion_protection

  template {
    # One task per execution: a run is one pipeline.
    task_count  = 1
    parallelism = 1

    template {
      service_account = var.service_account_email
      timeout         = local.task_timeout
      # A retried task would run the whole pipeline again; the bot reports the execution as it ends.
      max_retries = var.max_retries

      containers {
        name  = "training"
        image = var.image

        resources {
          limits = merge({
            cpu    = var.cpu
            memory = var.memory
          }, local.gpu_limits)
        }

        dynamic "env" {
          for_each = var.env
          content {
            name  = env.key
            value = env.value
          }
        }
      }

      dynamic "node_selector" {
        for_each = local.gpu ? [var.gpu_type] : []
        content {
          accelerator = node_selector.value
        }
      }

      gpu_zonal_redundancy_disabled = local.gpu ? !var.gpu_zonal_redundancy : null
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].template[0].containers[0].image,
      client,
      client_version,
    ]

    precondition {
      condition     = !local.gpu || (tonumber(var.cpu) >= 4 && local.memory_mib >= 16384)
      error_message = "A GPU task needs at least 4 CPUs and 16Gi of memory: set cpu and memory accordingly."
    }
  }
}

# The bot may run this job (with overrides) and follow or cancel its executions: on this job only.
resource "google_cloud_run_v2_job_iam_member" "runner" {
  count = length(var.runner_members)

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_job.this.name
  role     = var.runner_role
  member   = var.runner_members[count.index]
}
