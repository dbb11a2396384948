# The Google APIs the deployment uses. Disabling an API on destroy is left off on purpose: other
# things in the project may use it, and re-enabling takes minutes.
resource "google_project_service" "this" {
  for_each = toset(var.services)

  project                    = var.project_id
  service                    = each.value
  disable_on_destroy         = false
  disable_dependent_services = false
}
