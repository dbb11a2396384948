# The GitHub App's credentials as Secret Manager secrets, with no versions: Terraform never sees
# the values, so they are not in its state. Add a version to each by hand (see infra/README.md):
#
#   printf %s "$APP_ID" | gcloud secrets versions add <secret> --data-file=-
#
# Only the accessors listed here (the bot's service account) can read them.
resource "google_secret_manager_secret" "this" {
  for_each = var.secrets

  project   = var.project_id
  secret_id = each.value
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  # Keyed by position, not by member: service account emails may be unknown until apply.
  for_each = {
    for pair in setproduct(keys(var.secrets), range(length(var.accessors))) : "${pair[0]}/${pair[1]}" => {
      env   = pair[0]
      index = pair[1]
    }
  }

  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.value.env].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = var.accessors[each.value.index]
}
