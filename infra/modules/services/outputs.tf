output "enabled" {
  description = "The enabled API service names (depend on this output to wait for them)."
  value       = sort([for s in google_project_service.this : s.service])
}
