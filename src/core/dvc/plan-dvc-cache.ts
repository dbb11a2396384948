/**
 * A job's layers of the shared DVC cache: `own` is where its DVC writes (its cache dir, with the
 * run-cache in `runs/`); `base`, for a pull request, is the default branch's layer, which the job
 * may only read.
 */
export interface DvcCacheLayers {
  readonly own: string;
  readonly base?: string | undefined;
  /**
   * The base layer holds nothing yet (no default-branch run filled it): `dvc repro --pull` would
   * only look for every stage's outputs there in vain (about half a second of DVC's CPU per run).
   */
  readonly baseEmpty?: boolean | undefined;
}

/** The DVC remote that names the default branch's layer in a pull request's job. */
export const BASE_LAYER_REMOTE = "mlops-bot-base";

export interface DvcCachePlan {
  /** The command to run: `dvc repro` gets `--pull` when there is a base layer to restore from. */
  readonly argv: string[];
  /** The text of `.dvc/config.local` (DVC's highest-precedence config file) for the job's checkout. */
  readonly configLocal: string;
  /** Whether DVC reads the base layer by itself (`dvc repro --pull`), or only the job's own layer is used. */
  readonly readsBase: boolean;
}

/**
 * How a job uses the shared cache. DVC has one cache dir, so the job's own layer is that dir
 * (its run-cache included), and the base layer is a local DVC remote that is the default remote
 * for this checkout: `dvc repro --pull` then copies the base's run-cache entries into the own
 * layer and, for each stage restored from them (or whose `dvc.lock` entry already matches), pulls
 * the outputs it needs from the base into the own layer. Nothing is written to the base (it is
 * mounted read-only besides); an empty base is still named, but not pulled from. Only a plain `dvc repro` is changed; any other command still gets
 * the own layer as its cache and the base as the remote `mlops-bot-base`, without it being the default.
 */
export function planDvcCache(params: { argv: readonly string[]; layers: DvcCacheLayers }): DvcCachePlan {
  const { own, base } = params.layers;
  for (const dir of [own, base]) {
    if (dir !== undefined && (!dir.startsWith("/") || /["'#;\r\n[\]\\]/.test(dir))) throw new Error(`cache layer path "${dir}" cannot be written into DVC's config`);
  }
  const [tool, sub, ...rest] = params.argv;
  const readsBase = base !== undefined && params.layers.baseEmpty !== true && tool === "dvc" && sub === "repro" && !rest.includes("--pull");
  const lines = [
    "# Written by mlops-bot for this job: the shared DVC cache (see docs/architecture.md).",
    "[cache]",
    `    dir = ${own}`,
  ];
  if (base !== undefined) lines.push(`['remote "${BASE_LAYER_REMOTE}"']`, `    url = ${base}`);
  if (readsBase) lines.push("[core]", `    remote = ${BASE_LAYER_REMOTE}`);
  return { argv: readsBase ? ["dvc", "repro", "--pull", ...rest] : [...params.argv], configLocal: `${lines.join("\n")}\n`, readsBase };
}
