output "secret_ids" {
  description = "Environment variable name => secret id."
  value       = { for env, s in google_secret_manager_secret.this : env => s.secret_id }
}

output "add_version_commands" {
  description = "The gcloud commands that add each secret's value (run them once, and again to rotate)."
  value = {
    for env, s in google_secret_manager_secret.this : env => (
      env == "PRIVATE_KEY"
      ? "gcloud secrets versions add ${s.secret_id} --project ${var.project_id} --data-file=path/to/app.private-key.pem"
      : format("printf %%s \"$%s\" | gcloud secrets versions add %s --project %s --data-file=-", env, s.secret_id, var.project_id)
    )
  }
}
