# The Docker repository for the bot, training and inference images. Cleanup policies keep it
# from growing with every push: untagged layers go after a week, tagged images after
# tagged_retention_days, except the most recent versions of each image and `latest`.
resource "google_artifact_registry_repository" "this" {
  project       = var.project_id
  location      = var.location
  repository_id = var.repository_id
  description   = var.description
  format        = "DOCKER"
  labels        = var.labels

  cleanup_policy_dry_run = false

  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "${var.untagged_retention_days * 86400}s"
    }
  }

  dynamic "cleanup_policies" {
    for_each = var.tagged_retention_days > 0 ? [var.tagged_retention_days] : []
    content {
      id     = "delete-old-tagged"
      action = "DELETE"
      condition {
        tag_state  = "TAGGED"
        older_than = "${cleanup_policies.value * 86400}s"
      }
    }
  }

  # KEEP policies win over DELETE ones.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.keep_recent_versions
    }
  }

  cleanup_policies {
    id     = "keep-latest"
    action = "KEEP"
    condition {
      tag_state    = "TAGGED"
      tag_prefixes = ["latest"]
    }
  }
}
