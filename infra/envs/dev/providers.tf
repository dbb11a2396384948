provider "google" {
  project = var.project_id
  region  = var.region

  # On every resource that takes labels (the modules add app and env).
  default_labels = {
    managed-by = "terraform"
  }
}

# The Billing Budget API refuses end-user credentials without a quota project: this alias, used
# only by the budget, bills the API calls to the project itself.
provider "google" {
  alias                 = "billing"
  project               = var.project_id
  region                = var.region
  user_project_override = true
  billing_project       = var.project_id
}
