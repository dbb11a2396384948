variable "project_id" {
  description = "The project of the cluster."
  type        = string
}

variable "region" {
  description = "Region of the cluster (Autopilot clusters are regional; a Standard cluster is regional too here)."
  type        = string
}

variable "name" {
  description = "Name of the cluster and prefix of its node service account (<name>-nodes)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{3,23}[a-z0-9]$", var.name))
    error_message = "name must be 5-25 lowercase letters, digits and dashes, starting with a letter (<name>-nodes is a service account id)."
  }
}

variable "autopilot" {
  description = "Autopilot (Google manages nodes, pays per pod request) or Standard (one node pool of node_machine_type that you size)."
  type        = bool
  default     = true
}

variable "network" {
  description = "VPC network of the cluster (self link or name)."
  type        = string
  default     = "default"
}

variable "subnetwork" {
  description = "Subnetwork of the cluster in the region (null: the network's subnet in the region, for auto-mode networks like default)."
  type        = string
  default     = null
}

variable "release_channel" {
  description = "GKE release channel: RAPID, REGULAR or STABLE."
  type        = string
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "master_authorized_cidrs" {
  description = "CIDR blocks that may reach the control plane's public endpoint, like [\"203.0.113.0/24\"]; empty leaves it open to any address (still authenticated by Google IAM)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.master_authorized_cidrs : can(cidrhost(c, 0))])
    error_message = "Each master_authorized_cidrs entry must be a CIDR block like 203.0.113.0/24."
  }
}

variable "node_machine_type" {
  description = "Machine type of the Standard node pool (ignored with Autopilot)."
  type        = string
  default     = "e2-standard-2"
}

variable "node_count" {
  description = "Nodes per zone of the Standard node pool at creation; the autoscaler moves between node_min_count and node_max_count (ignored with Autopilot)."
  type        = number
  default     = 1

  validation {
    condition     = var.node_count >= 0 && floor(var.node_count) == var.node_count
    error_message = "node_count must be a whole number, 0 or more."
  }
}

variable "node_min_count" {
  description = "Fewest nodes per zone of the Standard node pool (ignored with Autopilot)."
  type        = number
  default     = 1
}

variable "node_max_count" {
  description = "Most nodes per zone of the Standard node pool (ignored with Autopilot)."
  type        = number
  default     = 3

  validation {
    condition     = var.node_max_count >= 1
    error_message = "node_max_count must be at least 1."
  }
}

variable "registry_location" {
  description = "Region of the Docker repository the nodes pull images from."
  type        = string
}

variable "registry_repository_id" {
  description = "Name of the Docker repository the nodes pull images from."
  type        = string
}

variable "workload_bindings" {
  description = "Workload Identity grants to Kubernetes service accounts: a list of { namespace, service_account, role, bucket } (bucket: the role is granted on that bucket), like the inference server's read access to the models bucket."
  type = list(object({
    namespace       = string
    service_account = string
    role            = string
    bucket          = string
  }))
  default = []
}

variable "deletion_protection" {
  description = "Refuse to destroy the cluster from Terraform (set false before terraform destroy)."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Resource labels on the cluster."
  type        = map(string)
  default     = {}
}
