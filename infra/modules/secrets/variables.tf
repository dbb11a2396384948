variable "project_id" {
  description = "The project that owns the secrets."
  type        = string
}

variable "secrets" {
  description = "Environment variable name => secret id, e.g. { APP_ID = \"mlops-bot-app-id\" }."
  type        = map(string)

  validation {
    condition     = alltrue([for id in values(var.secrets) : can(regex("^[A-Za-z0-9_-]{1,255}$", id))])
    error_message = "Secret ids are 1-255 letters, digits, dashes and underscores."
  }
}

variable "accessors" {
  description = "IAM members that may read the secrets' values (serviceAccount:...)."
  type        = list(string)
}

variable "labels" {
  description = "Labels on the secrets."
  type        = map(string)
  default     = {}
}
