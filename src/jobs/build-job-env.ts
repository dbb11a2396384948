/** Variables no job ever gets, whatever a config asks: the bot's own credentials. */
const NEVER = /^(APP_ID|PRIVATE_KEY|PRIVATE_KEY_PATH|WEBHOOK_SECRET|GITHUB_.*|GH_.*|MLOPS_.*|.*_TOKEN)$/;

/**
 * The complete environment of a job: a fixed base (PATH for the tools, a locale, no analytics)
 * plus the variables the repository asks for (`pipeline.env`) that the operator allows
 * (`MLOPS_JOB_ENV`). Nothing else of the bot's environment is passed.
 */
export function buildJobEnv(params: {
  botEnv: NodeJS.ProcessEnv;
  jobPath: string;
  allowed: readonly string[];
  requested: readonly string[];
  /** HOME for the job; unset, the runner gives it a scratch one (never inside the data folder). */
  home?: string | undefined;
}): { env: Record<string, string>; refused: string[] } {
  const env: Record<string, string> = {
    PATH: params.jobPath,
    ...(params.home ? { HOME: params.home } : {}),
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TZ: "UTC",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    DVC_NO_ANALYTICS: "1",
    CI: "true",
    MPLBACKEND: "Agg",
  };
  const refused: string[] = [];
  for (const name of params.requested) {
    const value = params.botEnv[name];
    if (NEVER.test(name) || !params.allowed.includes(name)) refused.push(name);
    else if (value !== undefined) env[name] = value;
  }
  return { env, refused };
}
