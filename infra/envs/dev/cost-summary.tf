# The weekly cost summary (docs/operations.md, Costs): with cost_summary_issue, the bot posts
# last week's estimated training costs there every Monday, against budget_amount when the budget
# is in USD (the bot's default prices are; set MLOPS_PRICES and MLOPS_COST_BUDGET in bot_env for
# another currency). Cloud Scheduler asks for it too, so it comes even when no bot instance runs.

locals {
  cost_summary_on = var.cost_summary_issue != null && var.bot_image != null

  cost_summary_env = var.cost_summary_issue == null ? {} : merge(
    { MLOPS_COST_ISSUE = var.cost_summary_issue },
    var.budget_currency == "USD" ? { MLOPS_COST_BUDGET = tostring(var.budget_amount) } : {},
  )
  cost_summary_secret_env = local.cost_summary_on ? { MLOPS_TASKS_TOKEN = one(module.cost_summary[*].token_secret_id) } : {}
}

module "cost_summary" {
  source = "../../modules/cost_summary"
  count  = local.cost_summary_on ? 1 : 0

  project_id = var.project_id
  region     = var.region
  name       = var.name
  bot_url    = local.bot_url
  bot_member = module.iam.bot_member
  schedule   = var.cost_summary_schedule
  labels     = local.labels

  depends_on = [module.services]
}
