variable "project_id" {
  description = "The project of the inference service."
  type        = string
}

variable "region" {
  description = "Region of the service (and of the models bucket it creates)."
  type        = string
}

variable "name" {
  description = "Name of the Cloud Run service and of its service account."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.name))
    error_message = "name must be 6-30 lowercase letters, digits and dashes, starting with a letter (it is also the service account id)."
  }
}

variable "image" {
  description = "The inference image (docker/inference) when the service is created; null creates only the service account and the models bucket. Promotions change it afterwards, and Terraform ignores the difference."
  type        = string
  default     = null

  validation {
    condition     = var.image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^:@\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.image))
    error_message = "image must be a full image reference with a tag or digest, like europe-west1-docker.pkg.dev/PROJECT/mlops-bot/inference:3f2a9c1."
  }
}

variable "model_uri" {
  description = "Where the model comes from: null serves the model baked into the image (MODEL_FROM at build); gs://<bucket>/<folder>/<file>.onnx mounts that folder read-only (Cloud Storage FUSE) and points MODEL_PATH at the file, loaded at start."
  type        = string
  default     = null

  validation {
    condition     = var.model_uri == null || can(regex("^gs://[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]/([^/\\s]+/)+[^/\\s]+\\.onnx$", var.model_uri))
    error_message = "model_uri must be gs://<bucket>/<folder>/<file>.onnx (the file in a folder of its own, mounted alone), or null."
  }
}

variable "models_bucket_name" {
  description = "Globally unique name of the bucket this module creates for promoted models (gs:// models live here: <service>/<model id>/model.onnx); null creates none."
  type        = string
  default     = null

  validation {
    condition     = var.models_bucket_name == null || can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.models_bucket_name))
    error_message = "A bucket name is 3-63 characters of lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit."
  }
}

variable "min_instances" {
  description = "Instances always running. 0 scales to zero (the first request after a pause waits for a cold start: the image starts and loads the model, a second or two for the example); 1 or more keeps latency flat."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0 && var.min_instances <= 100
    error_message = "min_instances must be between 0 and 100."
  }
}

variable "max_instances" {
  description = "Most instances (caps cost and the load on whatever the model calls)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000
    error_message = "max_instances must be between 1 and 1000."
  }
}

variable "concurrency" {
  description = "Requests one instance serves at once. The server runs one onnxruntime session and batches requests that arrive together, so a high value is efficient; lower it when p99 latency matters more than cost."
  type        = number
  default     = 80

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000
    error_message = "concurrency must be between 1 and 1000."
  }
}

variable "cpu" {
  description = "vCPUs per instance (the server uses one core for HTTP and inference)."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.cpu)
    error_message = "cpu must be one of 1, 2, 4, 6, 8."
  }
}

variable "memory" {
  description = "Memory per instance (the example model serves in about 130 MiB)."
  type        = string
  default     = "512Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity like 512Mi or 1Gi."
  }
}

variable "cpu_always_allocated" {
  description = "CPU outside requests too (instance-based billing). false (request-based billing): pay only while requests are served, cheapest for bursty traffic. true: background work (GC, keep-alive) never stalls and billing is per instance-second, cheaper under steady load; see infra/README.md."
  type        = bool
  default     = false
}

variable "env" {
  description = "More plain environment variables of the server (SERVE_MAX_BATCH, SERVE_INTRA_OP_THREADS, LOG_LEVEL, …: docs/serving.md); MODEL_PATH and PORT are set here."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.env) : !contains(["MODEL_PATH", "PORT", "SERVE_PORT", "SERVE_HOST"], k)])
    error_message = "MODEL_PATH comes from model_uri (or the image), and PORT, SERVE_PORT and SERVE_HOST from Cloud Run: leave them out of env."
  }
}

variable "invoker_members" {
  description = "IAM members that may call the service (roles/run.invoker), like [\"group:apps@example.com\", \"serviceAccount:…\"]; [\"allUsers\"] makes it public."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.invoker_members : m == "allUsers" || can(regex("^(serviceAccount|group|user|domain):[^\\s]+$", m))])
    error_message = "Each invoker must be an IAM member like group:apps@example.com or serviceAccount:…, or allUsers."
  }
}

variable "deployer_members" {
  description = "IAM members that promote models: roles/run.developer on this service, actAs its service account, and object write in the models bucket (the bot, when deploy.on_merge or /deploy is used)."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to destroy the service from Terraform."
  type        = bool
  default     = true
}

variable "force_destroy_bucket" {
  description = "Let terraform destroy delete the models bucket with every promoted model in it."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Labels on the service and the bucket."
  type        = map(string)
  default     = {}
}
