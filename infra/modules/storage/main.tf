# Two buckets:
# - artifacts: the bot's job store (under job_store_prefix, never expired) and its artifact store
#   (under artifacts_prefix: job logs, results, and the runs/ folders that the bot and the
#   training job exchange). Versioning off; old artifacts are deleted by lifecycle rules.
# - dvc: the DVC remote of the ML repositories. Versioning on, so an overwritten or deleted cache
#   object can be restored for a while.

locals {
  artifacts_prefix = trim(var.artifacts_prefix, "/")
  job_store_prefix = trim(var.job_store_prefix, "/")
}

resource "google_storage_bucket" "artifacts" {
  project  = var.project_id
  name     = var.artifacts_bucket_name
  location = var.location
  labels   = var.labels

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  versioning {
    enabled = false
  }

  # The job store rewrites small objects with generation preconditions all the time; soft-deleted
  # generations would only add cost. Lost data here is lost history, not lost models.
  soft_delete_policy {
    retention_duration_seconds = 0
  }

  # Everything under the artifacts prefix: logs, metrics, plots, results.
  lifecycle_rule {
    condition {
      age            = var.artifacts_retention_days
      matches_prefix = ["${local.artifacts_prefix}/"]
    }
    action {
      type = "Delete"
    }
  }

  # The per-run exchange folders (source tarball, log, collected files, completion record) are
  # read back by the bot when the execution ends; they are not needed for long.
  lifecycle_rule {
    condition {
      age            = var.runs_retention_days
      matches_prefix = ["${local.artifacts_prefix}/runs/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  lifecycle {
    precondition {
      condition = (
        local.artifacts_prefix != local.job_store_prefix &&
        !startswith("${local.job_store_prefix}/", "${local.artifacts_prefix}/") &&
        !startswith("${local.artifacts_prefix}/", "${local.job_store_prefix}/")
      )
      error_message = "job_store_prefix and artifacts_prefix must not contain each other: the artifacts' lifecycle rules would expire the job store."
    }
  }
}

resource "google_storage_bucket" "dvc" {
  project  = var.project_id
  name     = var.dvc_bucket_name
  location = var.location
  labels   = var.labels

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  versioning {
    enabled = true
  }

  # The Cloud Run jobs' run-cache (written by the bot only, modules/iam): pull requests' layers
  # expire, as MLOPS_CACHE_MAX_AGE_DAYS does on the bot's host; a removed object is a cache miss.
  dynamic "lifecycle_rule" {
    for_each = var.dvc_cache_prefix == "" ? [] : [var.dvc_cache_prefix]
    content {
      condition {
        age            = var.dvc_cache_pr_days
        matches_prefix = ["${lifecycle_rule.value}pr/"]
      }
      action {
        type = "Delete"
      }
    }
  }

  # DVC's cache is content-addressed, so a live object never changes; this only trims old
  # generations of deleted or overwritten objects.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.dvc_noncurrent_retention_days
    }
    action {
      type = "Delete"
    }
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
