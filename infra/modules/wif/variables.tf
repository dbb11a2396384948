variable "project_id" {
  description = "The project of the pool and the deployer service account."
  type        = string
}

variable "github_repository" {
  description = "The only repository whose workflows may authenticate, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name, like my-org/mlops-bot."
  }
}

variable "github_repository_id" {
  description = "The repository's numeric id (gh api repos/OWNER/NAME --jq .id), checked too when set."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[0-9]*$", var.github_repository_id))
    error_message = "github_repository_id must be the numeric repository id, or empty."
  }
}

variable "allowed_refs" {
  description = "Git refs whose workflow runs may authenticate, like [\"refs/heads/main\"]; empty allows every ref of the repository."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.allowed_refs : can(regex("^refs/(heads|tags)/[^\"\\s]+$", r))])
    error_message = "allowed_refs must be full refs like refs/heads/main or refs/tags/v1."
  }
}

variable "pool_id" {
  description = "Id of the workload identity pool (a deleted pool's id stays taken for 30 days)."
  type        = string
  default     = "github"

  validation {
    condition     = can(regex("^[a-z0-9-]{4,32}$", var.pool_id)) && !startswith(var.pool_id, "gcp-")
    error_message = "pool_id must be 4-32 lowercase letters, digits and dashes, not starting with gcp-."
  }
}

variable "provider_id" {
  description = "Id of the OIDC provider in the pool."
  type        = string
  default     = "github-actions"

  validation {
    condition     = can(regex("^[a-z0-9-]{4,32}$", var.provider_id)) && !startswith(var.provider_id, "gcp-")
    error_message = "provider_id must be 4-32 lowercase letters, digits and dashes, not starting with gcp-."
  }
}

variable "deployer_account_id" {
  description = "Account id of the deployer service account."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.deployer_account_id))
    error_message = "deployer_account_id must be 6-30 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "registry_location" {
  description = "Region of the Docker repository the deployer pushes to."
  type        = string
}

variable "registry_repository_id" {
  description = "Name of the Docker repository the deployer pushes to."
  type        = string
}

variable "runtime_service_accounts" {
  description = "Name => full resource name of each service account the deployer deploys with (actAs)."
  type        = map(string)
  default     = {}
}
