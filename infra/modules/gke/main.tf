# An optional GKE cluster for the inference server's Kubernetes manifests (k8s/). Autopilot by
# default: Google runs the nodes, Workload Identity is always on, pods pay for what they request.
# Standard (autopilot = false) gets Workload Identity and one autoscaled node pool.
#
# Pods authenticate as themselves: IAM grants name the Kubernetes service account directly
# (Workload Identity Federation for GKE, principal://…/subject/ns/<namespace>/sa/<name>), so no
# Google service account key or impersonation chain exists. The nodes run as their own service
# account, which may only write logs and metrics and pull from the project's Docker repository.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  workload_pool = "${var.project_id}.svc.id.goog"
  nodes_member  = "serviceAccount:${google_service_account.nodes.email}"
  # One member per Kubernetes service account (namespace, name).
  workload_principal = "principal://iam.googleapis.com/projects/${data.google_project.this.number}/locations/global/workloadIdentityPools/${local.workload_pool}/subject"
}

resource "google_service_account" "nodes" {
  project      = var.project_id
  account_id   = "${var.name}-nodes"
  display_name = "${var.name} GKE nodes"
  description  = "Identity of the cluster's nodes: logs, metrics, image pulls. Workloads use their own identities."
}

resource "google_project_iam_member" "nodes_default" {
  project = var.project_id
  role    = "roles/container.defaultNodeServiceAccount"
  member  = local.nodes_member
}

resource "google_artifact_registry_repository_iam_member" "nodes_pull" {
  project    = var.project_id
  location   = var.registry_location
  repository = var.registry_repository_id
  role       = "roles/artifactregistry.reader"
  member     = local.nodes_member
}

resource "google_container_cluster" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  network             = var.network
  subnetwork          = var.subnetwork
  deletion_protection = var.deletion_protection
  resource_labels     = var.labels

  enable_autopilot = var.autopilot ? true : null

  # Standard: the default pool is replaced by the managed one below.
  remove_default_node_pool = var.autopilot ? null : true
  initial_node_count       = var.autopilot ? null : 1

  release_channel {
    channel = var.release_channel
  }

  # Autopilot has it on by itself; set for Standard.
  dynamic "workload_identity_config" {
    for_each = var.autopilot ? [] : [1]
    content {
      workload_pool = local.workload_pool
    }
  }

  # VPC-native (alias IPs), required by Autopilot and by NetworkPolicy enforcement with Dataplane V2.
  ip_allocation_policy {}
  datapath_provider = var.autopilot ? null : "ADVANCED_DATAPATH"

  dynamic "master_authorized_networks_config" {
    for_each = length(var.master_authorized_cidrs) > 0 ? [1] : []
    content {
      dynamic "cidr_blocks" {
        for_each = var.master_authorized_cidrs
        content {
          cidr_block   = cidr_blocks.value
          display_name = "authorized ${cidr_blocks.key}"
        }
      }
    }
  }

  # Autopilot's nodes run as the nodes service account too.
  dynamic "cluster_autoscaling" {
    for_each = var.autopilot ? [1] : []
    content {
      auto_provisioning_defaults {
        service_account = google_service_account.nodes.email
        oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
      }
    }
  }

  depends_on = [google_project_iam_member.nodes_default]
}

resource "google_container_node_pool" "default" {
  count = var.autopilot ? 0 : 1

  project            = var.project_id
  name               = "default"
  location           = var.region
  cluster            = google_container_cluster.this.name
  initial_node_count = var.node_count

  autoscaling {
    min_node_count = var.node_min_count
    max_node_count = var.node_max_count
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.node_machine_type
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    labels          = var.labels

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot = true
    }
  }

  lifecycle {
    ignore_changes = [initial_node_count]
  }
}

# Grants to Kubernetes service accounts, on buckets.
resource "google_storage_bucket_iam_member" "workload" {
  for_each = { for b in var.workload_bindings : "${b.namespace}/${b.service_account}/${b.role}/${b.bucket}" => b }

  bucket = each.value.bucket
  role   = each.value.role
  member = "${local.workload_principal}/ns/${each.value.namespace}/sa/${each.value.service_account}"

  depends_on = [google_container_cluster.this]
}
