/** Every slash command the bot knows, with the arguments it accepts. Pure data. */
export const commandNames = ["train", "cancel", "diff", "build", "ok-to-train", "help", "doctor", "deploy"] as const;
export type CommandName = (typeof commandNames)[number];

export interface CommandSpec {
  readonly name: CommandName;
  readonly summary: string;
  /** Argument grammar shown in help, e.g. `[key=value ...]`. */
  readonly usage: string;
  /** `key=value` pairs accepted (any key: validated later against the params file). */
  readonly assignments: boolean;
  /** Bare words accepted (e.g. image names for /build). */
  readonly positionals: boolean;
  /** `--flag` or `--flag=value` names accepted. */
  readonly flags: readonly string[];
  /** Also runs on an issue, not only on a pull request. */
  readonly onIssues?: boolean;
  /** Still runs when the repository config does not read (with the default permissions): it reports the config's problems itself. */
  readonly withBrokenConfig?: boolean;
}

export const commandSpecs: Readonly<Record<CommandName, CommandSpec>> = {
  train: {
    name: "train",
    summary: "train the model at this PR's head commit and report the metric diff against the base branch",
    usage: "/train [key=value ...]",
    assignments: true,
    positionals: false,
    flags: [],
  },
  cancel: {
    name: "cancel",
    summary: "stop this PR's queued or running training job",
    usage: "/cancel",
    assignments: false,
    positionals: false,
    flags: [],
  },
  diff: {
    name: "diff",
    summary: "compare the DVC-tracked data and params of this PR with its base",
    usage: "/diff",
    assignments: false,
    positionals: false,
    flags: [],
  },
  build: {
    name: "build",
    summary: "build and push the configured images from this PR's head commit",
    usage: "/build [image ...]",
    assignments: false,
    positionals: true,
    flags: [],
  },
  "ok-to-train": {
    name: "ok-to-train",
    summary: "allow /train and /build on this fork PR's head commit as it was when you wrote the comment, or on the commit you name (a new push needs a new approval)",
    usage: "/ok-to-train [sha]",
    assignments: false,
    positionals: true,
    flags: [],
  },
  deploy: {
    name: "deploy",
    summary: "serve the model of this PR's last /train (its gates passed, at the PR's head commit) on the inference service",
    usage: "/deploy",
    assignments: false,
    positionals: false,
    flags: [],
  },
  help: {
    name: "help",
    summary: "show the commands and who may run them",
    usage: "/help",
    assignments: false,
    positionals: false,
    flags: [],
  },
  doctor: {
    name: "doctor",
    summary: "check the bot's deployment (settings, GitHub App, stores, MLflow, registry, runners, keys) and answer in one comment, on an issue or a PR",
    usage: "/doctor",
    assignments: false,
    positionals: false,
    flags: [],
    onIssues: true,
    withBrokenConfig: true,
  },
};

export function isCommandName(name: string): name is CommandName {
  return (commandNames as readonly string[]).includes(name);
}
