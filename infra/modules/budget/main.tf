# A monthly budget on the project with e-mail alerts (to the billing account's administrators and
# users, and to any Cloud Monitoring channels given) at each threshold of actual spend, and when
# the month's forecast passes the whole amount. A budget alerts; it never stops spending.
resource "google_billing_budget" "this" {
  billing_account = var.billing_account
  display_name    = var.display_name

  budget_filter {
    projects        = ["projects/${var.project_number}"]
    calendar_period = "MONTH"
  }

  amount {
    specified_amount {
      currency_code = var.currency_code
      units         = tostring(var.amount)
    }
  }

  dynamic "threshold_rules" {
    for_each = var.thresholds
    content {
      threshold_percent = threshold_rules.value
      spend_basis       = "CURRENT_SPEND"
    }
  }

  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }

  dynamic "all_updates_rule" {
    for_each = length(var.notification_channels) > 0 ? [var.notification_channels] : []
    content {
      monitoring_notification_channels = all_updates_rule.value
      disable_default_iam_recipients   = false
    }
  }
}
