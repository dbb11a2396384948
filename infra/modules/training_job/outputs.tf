output "name" {
  description = "Short name of the job."
  value       = google_cloud_run_v2_job.this.name
}

output "id" {
  description = "Full resource name: projects/<project>/locations/<region>/jobs/<name> (MLOPS_CLOUD_RUN_JOB)."
  value       = google_cloud_run_v2_job.this.id
}
