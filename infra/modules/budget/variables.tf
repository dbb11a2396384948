variable "billing_account" {
  description = "The billing account id (XXXXXX-XXXXXX-XXXXXX) the project is linked to."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account must look like 012345-6789AB-CDEF01 (gcloud billing accounts list)."
  }
}

variable "project_number" {
  description = "Number of the project the budget watches."
  type        = string
}

variable "display_name" {
  description = "Name of the budget in the console."
  type        = string
  default     = "mlops-bot"
}

variable "amount" {
  description = "Monthly budget, in whole units of currency_code."
  type        = number

  validation {
    condition     = var.amount >= 1 && floor(var.amount) == var.amount
    error_message = "amount must be a whole number, at least 1."
  }
}

variable "currency_code" {
  description = "Currency of the amount: must be the billing account's currency."
  type        = string
  default     = "USD"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.currency_code))
    error_message = "currency_code must be an ISO 4217 code like USD or EUR."
  }
}

variable "thresholds" {
  description = "Fractions of the amount of actual spend that send an alert."
  type        = list(number)
  default     = [0.5, 0.9, 1.0]

  validation {
    condition     = length(var.thresholds) > 0 && alltrue([for t in var.thresholds : t > 0 && t <= 10])
    error_message = "thresholds must be fractions above 0 (1.0 is the whole amount)."
  }
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<id>) to alert too."
  type        = list(string)
  default     = []
}
