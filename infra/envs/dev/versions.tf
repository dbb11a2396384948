terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    # The MLflow database password and the Cloud SQL instance name suffix.
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State in a Cloud Storage bucket made once by hand (infra/README.md, step 1). The bucket and
  # prefix come from a file: terraform init -backend-config=backend.hcl
  backend "gcs" {}
}
