variable "project_id" {
  description = "The project to enable the APIs in."
  type        = string
}

variable "services" {
  description = "API service names, like run.googleapis.com."
  type        = list(string)

  validation {
    condition     = alltrue([for s in var.services : can(regex("^[a-z0-9.-]+\\.googleapis\\.com$", s))])
    error_message = "Each service must be an API service name ending in .googleapis.com, like run.googleapis.com."
  }
}
