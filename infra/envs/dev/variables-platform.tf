# Settings of the MLflow tracking server, the inference server and the GKE cluster (platform.tf).
# The image pattern is the one of bot_image (variables.tf).

# --- MLflow (Cloud Run + Cloud SQL + a bucket) --------------------------------------------------

variable "mlflow_enabled" {
  description = "Create the MLflow tracking server's database (Cloud SQL for PostgreSQL), bucket, secret and service account; the service itself once mlflow_image is set."
  type        = bool
  default     = true
}

variable "mlflow_image" {
  description = "The MLflow image (docker/mlflow) when the service is created (null: no service yet); its URL then becomes MLFLOW_TRACKING_URI of the bot and the training job."
  type        = string
  default     = null

  validation {
    condition     = var.mlflow_image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^:@\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.mlflow_image))
    error_message = "mlflow_image must be a full image reference with a tag or digest, like europe-west1-docker.pkg.dev/PROJECT/mlops-bot/mlflow:latest."
  }
}

variable "mlflow_invoker_members" {
  description = "Who else may call MLflow (the UI through `gcloud run services proxy`, notebooks): IAM members like [\"group:ml-team@example.com\"]. The bot's and the training job's service accounts always may."
  type        = list(string)
  default     = []
}

variable "mlflow_ui_url" {
  description = "MLOPS_MLFLOW_UI_URL of the bot: the base of the MLflow links in its reports, for people (the service itself wants an ID token, which browsers do not send). \"http://localhost:5000\" suits teams that open it with `gcloud run services proxy <service> --port 5000`; null: the service URL."
  type        = string
  default     = null

  validation {
    condition     = var.mlflow_ui_url == null || can(regex("^https?://[^\\s]+$", var.mlflow_ui_url))
    error_message = "mlflow_ui_url must be an http(s) URL like http://localhost:5000, or null."
  }
}

variable "mlflow_database_tier" {
  description = "Cloud SQL machine type of MLflow's database (db-f1-micro: shared core, the cheapest)."
  type        = string
  default     = "db-f1-micro"
}

variable "mlflow_database_high_availability" {
  description = "A standby instance in a second zone for MLflow's database (about twice the price)."
  type        = bool
  default     = false
}

variable "mlflow_min_instances" {
  description = "MLflow instances always running (0: scale to zero; a cold start of a few seconds after a pause)."
  type        = number
  default     = 0
}

variable "mlflow_max_instances" {
  description = "Most MLflow instances (each holds a few database connections; db-f1-micro allows about 25)."
  type        = number
  default     = 2
}

# --- Inference (Cloud Run) ----------------------------------------------------------------------

variable "inference_enabled" {
  description = "Create the inference server's service account and models bucket; the service itself once inference_image is set."
  type        = bool
  default     = true
}

variable "inference_image" {
  description = "The inference image (docker/inference) when the service is created (null: no service yet). Promotions roll it afterwards."
  type        = string
  default     = null

  validation {
    condition     = var.inference_image == null || can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^:@\\s]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.inference_image))
    error_message = "inference_image must be a full image reference with a tag or digest, like europe-west1-docker.pkg.dev/PROJECT/mlops-bot/inference:latest."
  }
}

variable "inference_model_uri" {
  description = "null: serve the model built into inference_image. gs://<bucket>/<folder>/model.onnx: load that file at start instead (the folder is mounted read-only)."
  type        = string
  default     = null
}

variable "inference_min_instances" {
  description = "Inference instances always running (0 scales to zero, with a cold start after a pause)."
  type        = number
  default     = 0
}

variable "inference_max_instances" {
  description = "Most inference instances."
  type        = number
  default     = 5
}

variable "inference_concurrency" {
  description = "Requests one inference instance serves at once (it batches concurrent requests into one model run)."
  type        = number
  default     = 80
}

variable "inference_cpu_always_allocated" {
  description = "Instance-based billing for the inference server (CPU outside requests): cheaper under steady traffic, dearer when idle; infra/README.md weighs it."
  type        = bool
  default     = false
}

variable "inference_env" {
  description = "More environment variables of the inference server (SERVE_MAX_BATCH, LOG_LEVEL, …; docs/serving.md)."
  type        = map(string)
  default     = {}
}

variable "inference_invoker_members" {
  description = "Who may call the inference server: IAM members like [\"group:apps@example.com\"], or [\"allUsers\"] for a public endpoint."
  type        = list(string)
  default     = []
}

variable "inference_promoted_by_bot" {
  description = "Let the bot promote models (deploy.on_merge, /deploy): new revisions of the inference service, uploads to the models bucket."
  type        = bool
  default     = false
}

# --- GKE (optional) -----------------------------------------------------------------------------

variable "gke_enabled" {
  description = "Create a GKE cluster for the Kubernetes manifests of the inference server (k8s/, docs/kubernetes.md)."
  type        = bool
  default     = false
}

variable "gke_autopilot" {
  description = "Autopilot (Google runs the nodes; pay per pod request) rather than Standard with one node pool."
  type        = bool
  default     = true
}

variable "gke_master_authorized_cidrs" {
  description = "CIDR blocks that may reach the cluster's control plane (empty: any address, still behind Google IAM)."
  type        = list(string)
  default     = []
}

# --- The bot's job store ---------------------------------------------------------------------------

variable "job_store" {
  description = "Where the bot keeps its jobs: postgres (a database and an IAM user for the bot on MLflow's Cloud SQL instance, or on a small instance of its own when MLflow is off), gcs (objects in the artifacts bucket, no database), or auto (postgres when mlflow_enabled, else gcs)."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "postgres", "gcs"], var.job_store)
    error_message = "job_store must be auto, postgres or gcs."
  }
}

variable "bot_database_roles" {
  description = "PostgreSQL roles of the bot's IAM database user. cloudsqlsuperuser (the default) lets it create its schema in its database, and also manage roles on the instance it shares with MLflow; [] grants nothing, and an admin runs GRANT CREATE ON DATABASE mlops_bot once (docs/deploy.md)."
  type        = list(string)
  default     = ["cloudsqlsuperuser"]
}
