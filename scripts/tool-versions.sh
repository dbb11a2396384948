# Versions of the tools the tests build from source with `go install` (sourced by the scripts).
FAKE_GCS_VERSION=v1.56.1    # Cloud Storage emulator for the GCS store tests
TERRAFORM_VERSION=1.5.7     # terraform fmt -check (the last MPL-licensed release)
ACTIONLINT_VERSION=1.7.12   # lints .github/workflows
