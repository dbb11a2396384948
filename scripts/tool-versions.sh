# Versions of the tools the tests build from source with `go install`, and of the schemas they
# check against (sourced by the scripts).
FAKE_GCS_VERSION=v1.56.1    # Cloud Storage emulator for the GCS store tests
TERRAFORM_VERSION=1.5.7     # terraform fmt -check (the last MPL-licensed release)
ACTIONLINT_VERSION=1.7.12   # lints .github/workflows
KUSTOMIZE_VERSION=5.8.1     # renders the k8s/ overlays (scripts/check-k8s.sh)
K8S_SCHEMA_VERSION=1.34.0   # the Kubernetes API the rendered manifests are validated against (kubernetes-validate)
