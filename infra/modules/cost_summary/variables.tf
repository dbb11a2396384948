variable "project_id" {
  description = "The project of the scheduler job and the token's secret."
  type        = string
}

variable "region" {
  description = "Region of the scheduler job."
  type        = string
}

variable "name" {
  description = "Prefix of the resources' names (the bot's name)."
  type        = string
}

variable "bot_url" {
  description = "The bot service's URL; the job posts to <url>/tasks/weekly-cost-summary."
  type        = string

  validation {
    condition     = can(regex("^https://", var.bot_url))
    error_message = "bot_url must be an https:// URL."
  }
}

variable "bot_member" {
  description = "The bot's service account as an IAM member (serviceAccount:...), which reads the token."
  type        = string
}

variable "schedule" {
  description = "When the job runs, in cron syntax, UTC (default Mondays at 07:00)."
  type        = string
  default     = "0 7 * * 1"
}

variable "labels" {
  description = "Labels on the secret."
  type        = map(string)
  default     = {}
}
