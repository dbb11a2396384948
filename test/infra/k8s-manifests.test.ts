import { execFile } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ROOT } from "../helpers/example-repo.js";
import { infraTools } from "../helpers/infra-tools.js";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const tools = infraTools();

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; data?: any };

/** scripts/check-k8s.sh on `k8sDir`: render every overlay into `out`, validate it; exit code and output. */
async function checkK8s(k8sDir: string, out: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("bash", [path.join(ROOT, "scripts/check-k8s.sh"), k8sDir, out], { env: { ...process.env, KUSTOMIZE: tools!.kustomize } });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, output: error.stdout + error.stderr };
  }
}

function rendered(out: string, overlay: string): Obj[] {
  return parseAllDocuments(readFileSync(path.join(out, `${overlay}.yaml`), "utf8")).map((d) => d.toJS() as Obj);
}

/** What the issue asks of the inference Deployment and its neighbours, as a list of problems. */
function policyProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const one = (kind: string) => objects.filter((o) => o.kind === kind);
  for (const kind of ["Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceAccount"]) {
    if (one(kind).length === 0) problems.push(`no ${kind}`);
  }
  const namespace = one("Namespace")[0]?.metadata.name;
  for (const o of objects) if (o.kind !== "Namespace" && o.metadata.namespace !== namespace) problems.push(`${o.kind}/${o.metadata.name} is not in namespace ${namespace}`);
  const deployment = one("Deployment")[0];
  if (!deployment) return problems;
  const pod = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
  const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
  if (pod.securityContext?.runAsNonRoot !== true) problems.push("pod: runAsNonRoot is not true");
  if (!pod.topologySpreadConstraints?.some((c: { topologyKey: string }) => c.topologyKey === "topology.kubernetes.io/zone")) problems.push("pod: no topology spread over zones");
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${c.name}: root filesystem is not read-only`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${c.name}: privilege escalation allowed`);
    if (!sc.capabilities?.drop?.includes("ALL")) problems.push(`${c.name}: capabilities not dropped`);
    if (c.startupProbe?.httpGet?.path !== "/ready" || c.readinessProbe?.httpGet?.path !== "/ready") problems.push(`${c.name}: startup/readiness probes are not on /ready`);
    if (c.livenessProbe?.httpGet?.path !== "/health") problems.push(`${c.name}: liveness probe is not on /health`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) problems.push(`${c.name}: cpu/memory requests or memory limit missing`);
    for (const ref of c.envFrom ?? []) {
      if (!one("ConfigMap").some((m) => m.metadata.name === ref.configMapRef?.name)) problems.push(`${c.name}: envFrom names a missing ConfigMap ${ref.configMapRef?.name}`);
    }
    // Without a CPU limit the server sees the node's cores and starts a worker (and a session) per core.
    const fromConfigMaps = one("ConfigMap").some(
      (m) => (c.envFrom ?? []).some((r: { configMapRef?: { name: string } }) => r.configMapRef?.name === m.metadata.name) && (m.data as Record<string, string> | undefined)?.SERVE_WORKERS,
    );
    const workers = (c.env ?? []).some((e: { name: string }) => e.name === "SERVE_WORKERS") || fromConfigMaps;
    if (!c.resources?.limits?.cpu && !workers) problems.push(`${c.name}: no CPU limit and no SERVE_WORKERS (one worker per node core)`);
  }
  if (!selects(one("Service")[0]?.spec.selector ?? { none: "x" })) problems.push("Service does not select the pods");
  if (!selects(one("PodDisruptionBudget")[0]?.spec.selector.matchLabels ?? { none: "x" })) problems.push("PodDisruptionBudget does not select the pods");
  const hpa = one("HorizontalPodAutoscaler")[0];
  if (hpa && (hpa.spec.scaleTargetRef.name !== deployment.metadata.name || hpa.spec.minReplicas > hpa.spec.maxReplicas)) problems.push("HorizontalPodAutoscaler does not scale the Deployment");
  if (!one("NetworkPolicy").some((p) => p.spec.podSelector && Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes?.includes("Egress"))) problems.push("no default-deny NetworkPolicy");
  return problems;
}

describe.runIf(tools)("k8s/: both overlays render and validate against the pinned Kubernetes schemas", () => {
  it("renders dev and prod, every object valid (strict), and the inference Deployment is hardened", async () => {
    const out = tempDir();
    const result = await checkK8s(path.join(ROOT, "k8s"), out);
    expect(result.output).toMatch(/Kubernetes 1\.\d+\.\d+ schemas \(strict\)/);
    expect(result.output).toContain("overlays/dev: 9 objects valid");
    expect(result.output).toContain("overlays/prod: 9 objects valid");
    expect(result.code).toBe(0);
    const dev = rendered(out, "dev");
    const prod = rendered(out, "prod");
    expect(policyProblems(dev)).toEqual([]);
    expect(policyProblems(prod)).toEqual([]);
    const image = (objects: Obj[]) => objects.find((o) => o.kind === "Deployment")!.spec.template.spec.containers[0].image as string;
    expect(image(dev)).toMatch(/\/mlops-bot\/inference:[\w.-]+$/);
    expect(image(prod)).toMatch(/\/mlops-bot\/inference@sha256:[0-9a-f]{64}$/);
    const hpa = (objects: Obj[]) => objects.find((o) => o.kind === "HorizontalPodAutoscaler")!.spec as { minReplicas: number };
    expect(hpa(prod).minReplicas).toBeGreaterThan(hpa(dev).minReplicas);
  });

  it("fails on a manifest the API server would refuse, and names the object and field", async () => {
    const k8s = path.join(tempDir(), "k8s");
    cpSync(path.join(ROOT, "k8s"), k8s, { recursive: true });
    const file = path.join(k8s, "base/pdb.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("maxUnavailable: 1", "maxUnavailabel: 1"));
    const result = await checkK8s(k8s, tempDir());
    expect(result.code).toBe(1);
    expect(result.output).toContain("overlays/dev does not validate against Kubernetes");
    expect(result.output).toMatch(/poddisruptionbudget\/inference .*'maxUnavailabel' was unexpected/);
  });

  it("fails on an overlay that does not render, with kustomize's reason", async () => {
    const k8s = path.join(tempDir(), "k8s");
    cpSync(path.join(ROOT, "k8s"), k8s, { recursive: true });
    const file = path.join(k8s, "overlays/prod/kustomization.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("  - ../../base\n", "  - ../../base\n  - canary.yaml\n"));
    const result = await checkK8s(k8s, tempDir());
    expect(result.code).toBe(1);
    expect(result.output).toContain("overlays/prod does not render");
    expect(result.output).toMatch(/canary\.yaml/);
  });

  it("the policy check catches a Deployment that is schema-valid but not hardened", async () => {
    const k8s = path.join(tempDir(), "k8s");
    cpSync(path.join(ROOT, "k8s"), k8s, { recursive: true });
    const file = path.join(k8s, "base/deployment.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false").replace("path: /health", "path: /healthz"));
    const base = path.join(k8s, "base/kustomization.yaml");
    writeFileSync(base, readFileSync(base, "utf8").replace("      - SERVE_WORKERS=1\n", ""));
    const out = tempDir();
    expect((await checkK8s(k8s, out)).code).toBe(0);
    expect(policyProblems(rendered(out, "dev"))).toEqual([
      "inference: root filesystem is not read-only",
      "inference: liveness probe is not on /health",
      "inference: no CPU limit and no SERVE_WORKERS (one worker per node core)",
    ]);
  });
});
