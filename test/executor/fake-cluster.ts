/**
 * Test support: a scripted fake `helm` and `kubectl` (POSIX sh) that simulate one Helm release, for running the
 * generated executor script end to end without a cluster.
 *
 * Layout of a fake (all in one temporary directory):
 *   bin/helm, bin/kubectl   the fakes, put first on PATH
 *   lib/merge.js            computes a revision's values: chart defaults deep-merged with the -f file (what
 *                           `--reset-values -f` does); the only part not in sh, because it parses YAML
 *   state/                  the release: rev-N.{json,status,chart,tag} per revision (no revision = no release),
 *                           defaults.json, helm-version, deployments (one name a line), and the knobs
 *                           fail-upgrade ("<chart> fetch|apply"), frozen-image (<tag>), rollout-fail,
 *                           status-error (stderr of a failing helm status)
 *   state/helm.calls, state/kubectl.calls   argv of every call, arguments separated by \x1f, one call a line
 *   bundle/                 upgrade.sh and the step-N.yaml files
 *
 * The fake helm accepts only the flags it knows, and like the real binaries refuses `--atomic` on helm 4 and
 * `--rollback-on-failure` on helm 3 ("Error: unknown flag"), so a wrong flag fails the run.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ExecutorBundle } from "../../src/executor";

/** Chart defaults of the fake: the managed keys plus noise that exercises the script's JSON reader. */
export const FAKE_CHART_DEFAULTS: Record<string, unknown> = {
  attu: { enabled: false, image: { repository: "zilliz/attu", tag: "v2.4.6" } },
  cluster: { enabled: true },
  etcd: { enabled: true, extraEnvVars: [{ name: "A", value: "b=c" }, { name: "EMPTY", value: "" }], replicaCount: 3 },
  externalKafka: { enabled: false, brokerList: "" },
  externalPulsar: { enabled: false, host: "localhost", port: 6650 },
  extraConfigFiles: { "user.yaml": '# "quoted" {braces} [brackets], key: value, back\\slash\\\n' },
  image: { all: { pullPolicy: "IfNotPresent", repository: "milvusdb/milvus", tag: "v2.5.8" }, tools: { repository: "milvusdb/milvus-config-tool", tag: "v0.1.2" } },
  kafka: { enabled: false },
  labels: {},
  log: { level: "info" },
  mixCoordinator: { enabled: true, replicas: 1, resources: {} },
  nullable: null,
  pulsar: { enabled: false },
  pulsarv3: { enabled: true },
  rootCoordinator: { enabled: false },
  standalone: { messageQueue: "rocksmq", extraEnv: [] },
  "weird key": 'a\\"b "c" {d}',
  woodpecker: { enabled: false },
};

/** Milvus Deployments of release `my-milvus` in the fake. */
export const FAKE_DEPLOYMENTS = ["my-milvus-milvus-datanode", "my-milvus-milvus-mixcoord", "my-milvus-milvus-proxy", "my-milvus-milvus-querynode"];

const FAKE_HELM = String.raw`#!/bin/sh
# Fake helm for the executor tests; see test/executor/fake-cluster.ts.
set -eu
S=$FAKE_STATE
for a in "$@"; do printf '%s\037' "$a"; done >>"$S/helm.calls"
printf '\n' >>"$S/helm.calls"

die() { echo "fake helm: $*" >&2; exit 2; }
unknown() { echo "Error: unknown flag: $1" >&2; exit 1; }
revisions() { ls "$S" | sed -n 's/^rev-\([0-9][0-9]*\)\.status$/\1/p' | sort -n; }
current() { revisions | tail -n 1; }
not_found() { echo "Error: release: not found" >&2; exit 1; }
MAJOR=$(cut -c2 <"$S/helm-version")

CMD=$1
shift
POS=''; NS=''; OUT=''; ALL=0; REV=''; VER=''; REPO=''; FILE=''; WAIT=0; WFJ=0; TIMEOUT=''; RESET=0; ATOMIC=0; RBF=0; INSTALL=0; TEMPLATE=''
while [ $# -gt 0 ]; do
  case $1 in
    -n | --namespace) NS=$2; shift 2 ;;
    -o | --output) OUT=$2; shift 2 ;;
    -a | --all) ALL=1; shift ;;
    --revision) REV=$2; shift 2 ;;
    --version) VER=$2; shift 2 ;;
    --repo) REPO=$2; shift 2 ;;
    -f | --values) FILE=$2; shift 2 ;;
    --wait) WAIT=1; shift ;;
    --wait-for-jobs) WFJ=1; shift ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --reset-values) RESET=1; shift ;;
    --atomic) if [ "$MAJOR" != 3 ]; then unknown "$1"; fi; ATOMIC=1; shift ;;
    --rollback-on-failure) if [ "$MAJOR" = 3 ]; then unknown "$1"; fi; RBF=1; shift ;;
    -i | --install) INSTALL=1; shift ;;
    --template) TEMPLATE=$2; shift 2 ;;
    -*) unknown "$1" ;;
    '') die "empty argument" ;;
    *) POS="$POS $1"; shift ;;
  esac
done
# shellcheck disable=SC2086
set -- $POS

# write_rev N STATUS: revision N from the defaults and the -f file.
write_rev() {
  node "$FAKE_LIB/merge.js" "$S/defaults.json" "$FILE" "$S/rev-$1"
  printf '%s' "$VER" >"$S/rev-$1.chart"
  printf '%s' "$2" >"$S/rev-$1.status"
}
supersede_all() {
  for r in $(revisions); do
    if [ "$(cat "$S/rev-$r.status")" = deployed ]; then printf 'superseded' >"$S/rev-$r.status"; fi
  done
}

case $CMD in
  version)
    [ "$TEMPLATE" = '{{.Version}}' ] || die "unexpected version arguments"
    cat "$S/helm-version"
    ;;
  status)
    if [ -f "$S/status-error" ]; then cat "$S/status-error" >&2; exit 1; fi
    CUR=$(current)
    [ -n "$CUR" ] || not_found
    [ "$OUT" = json ] || die "status needs -o json"
    printf '{"name":"%s","info":{"first_deployed":"2025-01-01T00:00:00Z","last_deployed":"2025-01-02T00:00:00Z","deleted":"","description":"Upgrade \\"complete\\" {ok}","status":"%s","notes":' "$1" "$(cat "$S/rev-$CUR.status")"
    cat "$S/notes.frag"
    printf '},"config":'
    cat "$S/rev-$CUR.json"
    printf ',"manifest":'
    cat "$S/manifest.frag"
    printf ',"hooks":[{"name":"%s-test","kind":"Pod","path":"milvus/templates/tests/test.yaml","events":["test"],"last_run":{"started_at":"","completed_at":"","phase":""},"weight":0}],"version":%s,"namespace":"%s"}\n' "$1" "$CUR" "$NS"
    ;;
  get)
    [ "$1" = values ] || die "only get values"
    [ "$ALL" = 1 ] && [ "$OUT" = json ] || die "get values needs --all -o json"
    CUR=$(current)
    [ -n "$CUR" ] || not_found
    R=$REV
    [ -n "$R" ] || R=$CUR
    [ -f "$S/rev-$R.json" ] || not_found
    cat "$S/rev-$R.json"
    echo
    ;;
  history)
    [ -n "$(current)" ] || not_found
    [ "$OUT" = json ] || die "history needs -o json"
    SEP=''
    printf '['
    for r in $(revisions); do
      printf '%s{"revision":%s,"updated":"2025-01-01T00:00:0%sZ","status":"%s","chart":"milvus-%s","app_version":"%s","description":"desc \\"%s\\" {x} [y]"}' "$SEP" "$r" "$r" "$(cat "$S/rev-$r.status")" "$(cat "$S/rev-$r.chart")" "$(cat "$S/rev-$r.tag")" "$r"
      SEP=','
    done
    printf ']\n'
    ;;
  upgrade)
    REL=$1
    CHART=$2
    CUR=$(current)
    if [ -z "$CUR" ] && [ "$INSTALL" != 1 ]; then echo "Error: UPGRADE FAILED: \"$REL\" has no deployed releases" >&2; exit 1; fi
    if [ -n "$CUR" ]; then
      case $(cat "$S/rev-$CUR.status") in pending-*) echo "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress" >&2; exit 1 ;; esac
    fi
    [ -n "$CUR" ] || CUR=0
    [ -n "$VER" ] && [ -r "$FILE" ] && [ -n "$NS" ] || die "upgrade needs --version, -n and a readable -f file"
    if [ -f "$S/fail-upgrade" ]; then
      read -r FVER FKIND <"$S/fail-upgrade"
      if [ "$FVER" = "$VER" ]; then
        if [ "$FKIND" = fetch ]; then echo "Error: failed to download \"$CHART\" at version \"$VER\"" >&2; exit 1; fi
        NEW=$((CUR + 1))
        if [ "$ATOMIC" = 1 ] || [ "$RBF" = 1 ]; then
          supersede_all
          write_rev "$NEW" failed
          # The rollback is a new revision with the previous revision's values.
          BACK=$((NEW + 1))
          for ext in json tag chart; do cp "$S/rev-$CUR.$ext" "$S/rev-$BACK.$ext"; done
          printf 'deployed' >"$S/rev-$BACK.status"
          echo "Error: UPGRADE FAILED: release $REL failed, and has been rolled back due to atomic being set: context deadline exceeded" >&2
        else
          write_rev "$NEW" failed
          echo "Error: UPGRADE FAILED: context deadline exceeded" >&2
        fi
        exit 1
      fi
    fi
    NEW=$((CUR + 1))
    supersede_all
    write_rev "$NEW" deployed
    echo "Release \"$REL\" has been upgraded. Happy Helming!"
    : "$REPO $WAIT $WFJ $TIMEOUT $RESET"
    ;;
  *) die "unsupported command $CMD" ;;
esac
`;

const FAKE_KUBECTL = String.raw`#!/bin/sh
# Fake kubectl for the executor tests; see test/executor/fake-cluster.ts.
set -eu
S=$FAKE_STATE
for a in "$@"; do printf '%s\037' "$a"; done >>"$S/kubectl.calls"
printf '\n' >>"$S/kubectl.calls"
die() { echo "fake kubectl: $*" >&2; exit 2; }
for a in "$@"; do [ -n "$a" ] || die "empty argument"; done
current() { ls "$S" | sed -n 's/^rev-\([0-9][0-9]*\)\.status$/\1/p' | sort -n | tail -n 1; }

case $1 in
  get)
    if [ "$2" = persistentvolumeclaims ]; then
      # Claims left by an uninstalled release (see leaveVolumes); listed for the instance label only.
      case $* in *"-l app.kubernetes.io/instance="*) if [ -f "$S/orphaned-pvcs" ]; then cat "$S/orphaned-pvcs"; fi ;; esac
      exit 0
    fi
    [ "$2" = deployments ] || die "only get deployments"
    JP=''
    while [ $# -gt 0 ]; do
      if [ "$1" = -o ]; then JP=$2; fi
      shift
    done
    if [ -f "$S/frozen-image" ]; then TAG=$(cat "$S/frozen-image"); else TAG=$(cat "$S/rev-$(current).tag"); fi
    while read -r D; do
      [ -n "$D" ] || continue
      case $JP in
        *image*) printf '%s milvusdb/milvus:%s\n' "$D" "$TAG" ;;
        jsonpath=*) printf '%s\n' "$D" ;;
        *) die "unexpected output $JP" ;;
      esac
    done <"$S/deployments"
    ;;
  rollout)
    [ "$2" = status ] || die "only rollout status"
    if [ -f "$S/rollout-fail" ]; then echo "error: timed out waiting for the condition" >&2; exit 1; fi
    printf '%s successfully rolled out\n' "$3"
    ;;
  *) die "unsupported command $1" ;;
esac
`;

function mergeJs(): string {
  const yamlModule = require.resolve("yaml");
  return `// Computes a revision's values: defaults deep-merged with a YAML values file (helm --reset-values -f).
const fs = require("node:fs");
const YAML = require(${JSON.stringify(yamlModule)});
const [defaultsFile, valuesFile, outPrefix] = process.argv.slice(2);
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function merge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k], v) : v;
  return out;
}
const values = merge(JSON.parse(fs.readFileSync(defaultsFile, "utf8")), YAML.parse(fs.readFileSync(valuesFile, "utf8")) ?? {});
fs.writeFileSync(outPrefix + ".json", JSON.stringify(values));
fs.writeFileSync(outPrefix + ".tag", String(values.image && values.image.all ? values.image.all.tag : ""));
`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge for test data (arrays and scalars replace). */
export function deepMergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObject(v) && isObject(prev) ? deepMergeValues(prev, v) : v;
  }
  return out;
}

/** A revision of the fake release. */
export interface FakeRevision {
  /** Milvus image tag, e.g. "v2.5.8". */
  readonly tag: string;
  /** Helm status. @default "deployed" */
  readonly status?: string;
  /** Chart version. @default "4.2.44" */
  readonly chart?: string;
  /** Values merged over FAKE_CHART_DEFAULTS. @default {} */
  readonly values?: Record<string, unknown>;
}

/** Result of one script run. */
export interface RunOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fake release with its helm and kubectl; see the file comment. */
export class FakeCluster {
  readonly root: string;
  readonly state: string;
  readonly bin: string;
  readonly lib: string;
  readonly bundleDir: string;

  private constructor(root: string) {
    this.root = root;
    this.state = path.join(root, "state");
    this.bin = path.join(root, "bin");
    this.lib = path.join(root, "lib");
    this.bundleDir = path.join(root, "bundle");
    for (const d of [this.state, this.bin, this.lib, this.bundleDir]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(this.bin, "helm"), FAKE_HELM, { mode: 0o755 });
    fs.writeFileSync(path.join(this.bin, "kubectl"), FAKE_KUBECTL, { mode: 0o755 });
    fs.writeFileSync(path.join(this.lib, "merge.js"), mergeJs());
    fs.writeFileSync(path.join(this.state, "defaults.json"), JSON.stringify(FAKE_CHART_DEFAULTS));
    fs.writeFileSync(path.join(this.state, "notes.frag"), JSON.stringify('Milvus "notes": {"status":"fake"} [1, 2]\nline two\\'));
    const manifest = '---\n# Source: milvus/templates/proxy.yaml\nkind: "Deployment"\nmetadata: {"name": "x", "status": "pending-upgrade", "version": 99}\n';
    fs.writeFileSync(path.join(this.state, "manifest.frag"), JSON.stringify(manifest));
    fs.writeFileSync(path.join(this.state, "deployments"), `${FAKE_DEPLOYMENTS.join("\n")}\n`);
    this.setHelmVersion("v3.17.3");
  }

  /** A new fake in a fresh temporary directory, with no release yet and helm v3.17.3. */
  static create(): FakeCluster {
    return new FakeCluster(fs.mkdtempSync(path.join(os.tmpdir(), "milvus-executor-")));
  }

  /** What `helm version --template '{{.Version}}'` prints. */
  setHelmVersion(version: string): void {
    fs.writeFileSync(path.join(this.state, "helm-version"), version);
  }

  /** Adds the next revision of the release. */
  addRevision(rev: FakeRevision): number {
    const n = this.revisions().length + 1;
    const values = deepMergeValues(deepMergeValues(FAKE_CHART_DEFAULTS, rev.values ?? {}), { image: { all: { tag: rev.tag } } });
    const prefix = path.join(this.state, `rev-${n}`);
    fs.writeFileSync(`${prefix}.json`, JSON.stringify(values));
    fs.writeFileSync(`${prefix}.tag`, rev.tag);
    fs.writeFileSync(`${prefix}.chart`, rev.chart ?? "4.2.44");
    fs.writeFileSync(`${prefix}.status`, rev.status ?? "deployed");
    return n;
  }

  /** Revision numbers, ascending. */
  revisions(): number[] {
    return fs
      .readdirSync(this.state)
      .map((f) => /^rev-(\d+)\.status$/.exec(f)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The newest revision: number, status, tag, chart and values. */
  current(): { revision: number; status: string; tag: string; chart: string; values: Record<string, unknown> } {
    const revision = this.revisions().at(-1);
    if (revision === undefined) throw new Error("no release");
    const read = (ext: string): string => fs.readFileSync(path.join(this.state, `rev-${revision}.${ext}`), "utf8");
    return { revision, status: read("status"), tag: read("tag"), chart: read("chart"), values: JSON.parse(read("json")) as Record<string, unknown> };
  }

  /** Status of a revision. */
  statusOf(revision: number): string {
    return fs.readFileSync(path.join(this.state, `rev-${revision}.status`), "utf8");
  }

  /** The next `helm upgrade --version <chart>` fails: `fetch` before any change, `apply` after creating a revision. */
  failUpgrade(chart: string, kind: "fetch" | "apply"): void {
    fs.writeFileSync(path.join(this.state, "fail-upgrade"), `${chart} ${kind}\n`);
  }

  /** Removes the failure injection. */
  clearFailure(): void {
    fs.rmSync(path.join(this.state, "fail-upgrade"), { force: true });
  }

  /** The release is uninstalled but these volume claims (with its instance label) remain. */
  leaveVolumes(...claims: string[]): void {
    for (const f of fs.readdirSync(this.state).filter((n) => /^rev-\d+\./.test(n))) fs.rmSync(path.join(this.state, f));
    fs.writeFileSync(path.join(this.state, "orphaned-pvcs"), claims.map((c) => `persistentvolumeclaim/${c}\n`).join(""));
  }

  /** Deployments keep running this tag whatever helm does. */
  freezeImage(tag: string): void {
    fs.writeFileSync(path.join(this.state, "frozen-image"), tag);
  }

  /** Writes upgrade.sh and the values files into `dir` (default: bundle/). */
  writeBundle(bundle: ExecutorBundle, dir = this.bundleDir): string {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "upgrade.sh"), bundle.script);
    for (const [name, content] of Object.entries(bundle.files)) fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, "upgrade.sh");
  }

  /** Environment that points helm/kubectl callers (like `milvus-cluster apply`) at the fakes and their state. */
  env(): Record<string, string> {
    return { PATH: `${this.bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`, FAKE_STATE: this.state, FAKE_LIB: this.lib };
  }

  /** Runs a script with /bin/sh, the fakes first on PATH and no HELM_BIN/KUBECTL_BIN from the outside. */
  run(script = path.join(this.bundleDir, "upgrade.sh"), env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunOutcome> {
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base["HELM_BIN"];
    delete base["KUBECTL_BIN"];
    delete base["MILVUS_EXECUTOR_DIR"];
    const fullEnv = { ...base, PATH: `${this.bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`, FAKE_STATE: this.state, FAKE_LIB: this.lib, TMPDIR: this.root, ...env };
    return new Promise((resolve) => {
      execFile("/bin/sh", [script], { env: fullEnv, timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  private calls(file: string): string[][] {
    const p = path.join(this.state, file);
    if (!fs.existsSync(p)) return [];
    return fs
      .readFileSync(p, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\x1f").slice(0, -1));
  }

  /** argv of every helm call since the last `resetCalls`. */
  helmCalls(): string[][] {
    return this.calls("helm.calls");
  }

  /** argv of every kubectl call since the last `resetCalls`. */
  kubectlCalls(): string[][] {
    return this.calls("kubectl.calls");
  }

  /** argv of the `helm upgrade` calls. */
  upgrades(): string[][] {
    return this.helmCalls().filter((c) => c[0] === "upgrade");
  }

  /** Forgets the recorded calls. */
  resetCalls(): void {
    fs.rmSync(path.join(this.state, "helm.calls"), { force: true });
    fs.rmSync(path.join(this.state, "kubectl.calls"), { force: true });
  }

  /** Removes the temporary directory. */
  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
