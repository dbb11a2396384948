# Workload Identity Federation for GitHub Actions: the workflows of one repository exchange their
# OIDC token for a short-lived token of the deployer service account. No service account keys.
#
# The deployer may push images to the one Docker repository, deploy Cloud Run services and jobs
# (roles/run.developer), and act as the runtime service accounts it deploys with.

locals {
  # Tokens of any other repository are refused by the provider, before any binding is looked at.
  # With the numeric id too, a repository re-created under the same name after a rename or
  # deletion does not inherit the access. With allowed_refs, a workflow run on another branch
  # (anyone who can push one) gets nothing either.
  repository_condition = join(" && ", compact([
    "assertion.repository == \"${var.github_repository}\"",
    var.github_repository_id == "" ? "" : "assertion.repository_id == \"${var.github_repository_id}\"",
    length(var.allowed_refs) == 0 ? "" : "assertion.ref in [${join(", ", [for r in var.allowed_refs : "\"${r}\""])}]",
  ]))
}

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.project_id
  workload_identity_pool_id = var.pool_id
  display_name              = "GitHub Actions"
  description               = "OIDC tokens of GitHub Actions workflows in ${var.github_repository}"
}

resource "google_iam_workload_identity_pool_provider" "github" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = var.provider_id
  display_name                       = "GitHub OIDC"
  description                        = "token.actions.githubusercontent.com, repository ${var.github_repository} only"

  attribute_mapping = {
    "google.subject"                = "assertion.sub"
    "attribute.repository"          = "assertion.repository"
    "attribute.repository_id"       = "assertion.repository_id"
    "attribute.repository_owner_id" = "assertion.repository_owner_id"
    "attribute.ref"                 = "assertion.ref"
  }

  attribute_condition = local.repository_condition

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "deployer" {
  project      = var.project_id
  account_id   = var.deployer_account_id
  display_name = "GitHub Actions deployer (${var.github_repository})"
  description  = "Pushes images to Artifact Registry and deploys the bot's Cloud Run service and training job."
}

resource "google_service_account_iam_member" "deployer_workload_identity" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository/${var.github_repository}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_push" {
  project    = var.project_id
  location   = var.registry_location
  repository = var.registry_repository_id
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_run" {
  project = var.project_id
  role    = "roles/run.developer"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

# Deploying a service or job that runs as a service account needs actAs on that account.
resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each = var.runtime_service_accounts

  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}
