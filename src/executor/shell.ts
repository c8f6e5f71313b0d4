/**
 * The static part of the executor script: shell functions and the main flow. Nothing in here depends on the plan;
 * `script.ts` prepends the plan as `NAME='value'` assignments. Kept apart so tests can source the functions alone.
 *
 * The text is POSIX sh (checked with `shellcheck -s sh`), runs under dash and busybox, and uses only helm, kubectl
 * and POSIX tools (awk, grep, sed, tr, head, date, mktemp, dirname). Functions use `_name` globals instead of `local`, which
 * POSIX sh lacks.
 */

/**
 * awk program that flattens one JSON document into `path=value` lines, one per scalar. Paths join object keys and
 * array indexes with '.', e.g. `image.all.tag=v2.5.16`, `0.status=deployed`. Strings are printed without their
 * quotes and with their escapes left as they are.
 *
 * Why awk and not sed: helm prints compact JSON on one line, and strings (the rendered manifest, notes) contain
 * every structural character. The document is split on `"` once, which is linear even for a large manifest: the
 * pieces alternate between outside and inside strings (a piece ending in an odd number of backslashes means the
 * quote was escaped), and only the short outside pieces are scanned character by character. A string with escaped
 * quotes is reassembled only up to about 4 KiB, so a long manifest costs linear time; the script reads short scalars.
 * The program contains no single quote, so it can be embedded in single quotes.
 */
export const JSON_FLATTEN_AWK = String.raw`
function odd_backslashes(piece,   k, count) {
  count = 0
  k = length(piece)
  while (k > 0 && substr(piece, k, 1) == "\\") { count++; k-- }
  return count % 2 == 1
}
function child(   base) {
  if (depth == 0) return ""
  if (kind[depth] == "o") base = key[depth]; else base = idx[depth]
  return (prefix[depth] == "") ? base : (prefix[depth] "." base)
}
function emit(value) { print child() "=" value }
function flush() { if (lit != "") { emit(lit); lit = "" } }
function outside(piece,   j, c, path, len) {
  len = length(piece)
  for (j = 1; j <= len; j++) {
    c = substr(piece, j, 1)
    if (c == "{" || c == "[") {
      flush()
      path = child()
      depth++
      kind[depth] = (c == "{") ? "o" : "a"
      prefix[depth] = path
      idx[depth] = 0
      want = (c == "{") ? "key" : "value"
    } else if (c == "}" || c == "]") {
      flush()
      depth--
      want = "none"
    } else if (c == ":") {
      want = "value"
    } else if (c == ",") {
      flush()
      if (kind[depth] == "o") want = "key"; else { idx[depth]++; want = "value" }
    } else if (c == " " || c == "\t" || c == "\n" || c == "\r") {
      flush()
    } else {
      lit = lit c
    }
  }
}
function string_token(s) {
  if (depth > 0 && kind[depth] == "o" && want == "key") { key[depth] = s; want = "colon" }
  else { emit(s); want = "none" }
}
{ text = text $0 "\n" }
END {
  depth = 0; want = "value"; lit = ""
  n = split(text, piece, "\"")
  i = 1
  while (i <= n) {
    outside(piece[i])
    i++
    if (i > n) break
    s = piece[i]
    slen = length(s)
    while (odd_backslashes(piece[i]) && i < n) {
      i++
      if (slen < 4096) { s = s "\"" piece[i]; slen += 1 + length(piece[i]) }
    }
    string_token(s)
    i++
  }
  flush()
}
`;

/**
 * Shell functions of the executor. Sourcing them defines functions and reads nothing; `ver_cmp`, `is_version`,
 * `json_flatten`, `flat_get` and `mq_signature` are pure and unit-tested on their own.
 */
export const SHELL_FUNCTIONS = `
say() { printf '%s\\n' "$*"; }
note() { printf 'milvus-upgrade: %s\\n' "$*" >&2; }
fail() {
  _fail_code=$1
  shift
  printf 'milvus-upgrade: error: %s\\n' "$*" >&2
  exit "$_fail_code"
}

# ver_core V: MAJOR.MINOR.PATCH of V, without a leading v and without any -suffix or +build.
ver_core() {
  _vc=\${1#v}
  _vc=\${_vc%%-*}
  _vc=\${_vc%%+*}
  printf '%s' "$_vc"
}

# is_version V: succeeds when V is [v]MAJOR.MINOR.PATCH[-suffix][+build].
is_version() {
  case $1 in '' | *[!0-9A-Za-z.+-]*) return 1 ;; esac
  printf '%s\\n' "$(ver_core "$1")" | grep -Eq '^[0-9]+[.][0-9]+[.][0-9]+$'
}

# ver_cmp A B: prints -1, 0 or 1. Compares MAJOR.MINOR.PATCH numerically; suffixes do not take part in the order.
ver_cmp() {
  _va=$(ver_core "$1")
  _vb=$(ver_core "$2")
  for _vpart in major minor patch; do
    _vx=\${_va%%.*}
    _vy=\${_vb%%.*}
    if [ "$_vx" -lt "$_vy" ]; then echo -1; return 0; fi
    if [ "$_vx" -gt "$_vy" ]; then echo 1; return 0; fi
    _va=\${_va#*.}
    _vb=\${_vb#*.}
    : "$_vpart"
  done
  echo 0
}

# is_prerelease V: succeeds for an rc/beta/alpha/pre build (a -hotfix image is a patched GA build, not one).
is_prerelease() {
  case $1 in *-*) ;; *) return 1 ;; esac
  case \${1#*-} in [Rr][Cc]* | [Bb][Ee][Tt][Aa]* | [Aa][Ll][Pp][Hh][Aa]* | [Pp][Rr][Ee]*) return 0 ;; esac
  return 1
}

# json_flatten: one JSON document on stdin -> one path=value line per scalar (see JSON_FLATTEN_AWK).
json_flatten() {
  awk '${JSON_FLATTEN_AWK}'
}

# flat_get KEY: the value of KEY in json_flatten output on stdin; empty when absent.
flat_get() {
  awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }'
}

# mq_signature FLAT MODE: the message queue a values set selects, by the generator's rules: in standalone mode
# standalone.messageQueue when it names an embedded queue (rocksmq when the chart predates the key); otherwise every
# enabled queue of externalPulsar, pulsar, woodpecker, pulsarv3, externalKafka, kafka, joined by '+' ("none" if none).
mq_signature() {
  if [ "$2" = standalone ]; then
    _mq_s=$(printf '%s\\n' "$1" | flat_get standalone.messageQueue)
    case $_mq_s in
      rocksmq | natsmq | woodpecker) printf '%s' "$_mq_s"; return 0 ;;
      '') printf 'rocksmq'; return 0 ;;
    esac
  fi
  _mq_sig=''
  for _mq_pair in externalPulsar:external-pulsar pulsar:pulsar woodpecker:woodpecker pulsarv3:pulsarv3 externalKafka:external-kafka kafka:kafka; do
    if [ "$(printf '%s\\n' "$1" | flat_get "\${_mq_pair%%:*}.enabled")" = true ]; then
      _mq_sig=\${_mq_sig:+$_mq_sig+}\${_mq_pair#*:}
    fi
  done
  printf '%s' "\${_mq_sig:-none}"
}

# fmt_duration SECONDS: 3m12s, or 42s below a minute.
fmt_duration() {
  if [ "$1" -ge 60 ]; then printf '%dm%ds' $(($1 / 60)) $(($1 % 60)); else printf '%ds' "$1"; fi
}

# load_step N: S_* variables of step N. N is a loop counter of this script, never input.
load_step() {
  S_INDEX=$1
  eval "S_VERSION=\\$STEP_$1_VERSION S_TAG=\\$STEP_$1_TAG S_CHART=\\$STEP_$1_CHART S_REPO=\\$STEP_$1_REPO S_ACTION=\\$STEP_$1_ACTION S_MIX=\\$STEP_$1_MIX"
  S_LABEL="$S_VERSION (chart $S_CHART)"
  S_FILE="$DIR/step-$1.yaml"
}

is_final() {
  [ "$INCLUDES_FINAL_STEP" = 1 ] && [ "$1" -eq "$STEP_COUNT" ]
}

# is_step_version V: V is the version of one of the steps (a state this chain itself produces).
is_step_version() {
  _sv_i=1
  while [ "$_sv_i" -le "$STEP_COUNT" ]; do
    load_step "$_sv_i"
    if [ "$(ver_cmp "$1" "$S_VERSION")" -eq 0 ]; then return 0; fi
    _sv_i=$((_sv_i + 1))
  done
  return 1
}
`;

/** The main flow of the executor; it uses the assignments the generator writes and `SHELL_FUNCTIONS`. */
export const SHELL_MAIN = `
HELM=\${HELM_BIN:-helm}
KUBECTL=\${KUBECTL_BIN:-kubectl}
# MILVUS_EXECUTOR_DRY_RUN=1 reads the live release and prints what would run, changing nothing.
DRY_RUN=\${MILVUS_EXECUTOR_DRY_RUN:-0}
# Milvus component Deployments of this release; Attu and CDC run images with their own tags.
SELECTOR="app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=milvus,component!=attu,component!=cdc"
IMAGES_JSONPATH='{range .items[*]}{.metadata.name}{" "}{.spec.template.spec.containers[0].image}{"\\n"}{end}'

check_setup() {
  command -v "$HELM" >/dev/null 2>&1 || fail "$EXIT_SETUP_FAILED" "helm not found (HELM_BIN=$HELM); the executor talks to the cluster only through helm and kubectl"
  command -v "$KUBECTL" >/dev/null 2>&1 || fail "$EXIT_SETUP_FAILED" "kubectl not found (KUBECTL_BIN=$KUBECTL); the health gates need it"
  if [ -n "\${MILVUS_EXECUTOR_DIR:-}" ]; then
    DIR=$MILVUS_EXECUTOR_DIR
  else
    DIR=$(cd "$(dirname "$0")" && pwd)
  fi
  TMP=$(mktemp -d "\${TMPDIR:-/tmp}/milvus-upgrade.XXXXXX") || fail "$EXIT_SETUP_FAILED" "cannot create a temporary directory under \${TMPDIR:-/tmp}"
  trap 'rm -rf "$TMP"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Helm major decides the rollback flag; helm below MIN_HELM is refused (R-HELM-MIN).
detect_helm() {
  HELM_VERSION=$("$HELM" version --template '{{.Version}}' 2>"$TMP/err") || fail "$EXIT_SETUP_FAILED" "helm version failed: $(cat "$TMP/err")"
  is_version "$HELM_VERSION" || fail "$EXIT_SETUP_FAILED" "cannot read the helm version from '$HELM_VERSION'"
  HELM_MAJOR=$(ver_core "$HELM_VERSION")
  HELM_MAJOR=\${HELM_MAJOR%%.*}
  if [ "$(ver_cmp "$HELM_VERSION" "$MIN_HELM")" -lt 0 ]; then
    fail "$EXIT_HELM_TOO_OLD" "helm $HELM_VERSION is too old: Milvus charts from 4.2.21 on need helm >= $MIN_HELM, and the executor relies on its upgrade flags [R-HELM-MIN]. Use helm >= $MIN_HELM (HELM_BIN selects the binary)."
  fi
}

# LIVE_EXISTS, LIVE_STATUS, LIVE_REVISION from helm status (its JSON carries info.status and the revision as version).
read_live() {
  if STATUS_JSON=$("$HELM" status "$RELEASE" -n "$NAMESPACE" -o json 2>"$TMP/err"); then
    LIVE_EXISTS=1
  elif grep -q 'release: not found' "$TMP/err"; then
    LIVE_EXISTS=0
    return 0
  else
    fail "$EXIT_LIVE_STATE_UNREADABLE" "helm status $RELEASE -n $NAMESPACE failed: $(cat "$TMP/err")"
  fi
  _status_flat=$(printf '%s\\n' "$STATUS_JSON" | json_flatten)
  LIVE_STATUS=$(printf '%s\\n' "$_status_flat" | flat_get info.status)
  LIVE_REVISION=$(printf '%s\\n' "$_status_flat" | flat_get version)
  [ -n "$LIVE_STATUS" ] || fail "$EXIT_LIVE_STATE_UNREADABLE" "helm status $RELEASE -n $NAMESPACE printed no info.status"
}

# The newest revision other than the current one that was deployed or superseded (a state to roll back to);
# empty when there is none or helm history fails.
last_good_revision() {
  _hist=$("$HELM" history "$RELEASE" -n "$NAMESPACE" -o json 2>"$TMP/err") || return 0
  printf '%s\\n' "$_hist" | json_flatten | awk -F= -v cur="$LIVE_REVISION" '
    { split($1, p, ".") }
    p[2] == "revision" { rev[p[1]] = $2 }
    p[2] == "status" { st[p[1]] = $2 }
    END {
      best = ""
      for (i in rev) if ((st[i] == "deployed" || st[i] == "superseded") && rev[i] != cur && (best == "" || rev[i] + 0 > best + 0)) best = rev[i]
      if (best ~ /^[0-9]+$/) print best
    }'
}

# Refuses a release that another operation left half-done; Helm never recovers pending-* on its own.
check_status() {
  VALUES_REVISION=''
  case $LIVE_STATUS in
    deployed) ;;
    pending-install)
      fail "$EXIT_RELEASE_PENDING" "release $RELEASE is pending-install: an install was interrupted (or is still running) and Helm does not recover it. Nothing was deployed before it. When no other helm operation runs, remove it and re-run: helm uninstall $RELEASE -n $NAMESPACE" ;;
    pending-upgrade | pending-rollback)
      if mig_failed_release_resumable; then
        fail "$EXIT_RELEASE_PENDING" "release $RELEASE is $LIVE_STATUS (revision $LIVE_REVISION) after the helm step of the metadata migration recorded on ConfigMap $MIG_STATE_CM. Its metadata is already migrated, so a plain helm rollback would start Milvus $ST_SOURCE_VERSION on migrated metadata. When no other helm operation runs, use the rollback operation (milvus-cluster apply --rollback-migration), which restores the metadata before it rolls the release back, then re-run the upgrade."
      fi
      _good=$(last_good_revision)
      if [ -n "$_good" ]; then
        fail "$EXIT_RELEASE_PENDING" "release $RELEASE is $LIVE_STATUS (revision $LIVE_REVISION): an operation was interrupted (or is still running) and Helm does not recover it. When no other helm operation runs, roll back to the last deployed revision and re-run: helm rollback $RELEASE $_good -n $NAMESPACE"
      fi
      fail "$EXIT_RELEASE_PENDING" "release $RELEASE is $LIVE_STATUS (revision $LIVE_REVISION) and has no earlier deployed revision; inspect it with helm history $RELEASE -n $NAMESPACE" ;;
    failed)
      _good=$(last_good_revision)
      [ -n "$_good" ] || fail "$EXIT_RELEASE_FAILED" "release $RELEASE is failed and has no deployed revision to resume from; inspect it with helm history $RELEASE -n $NAMESPACE"
      if mig_failed_release_resumable; then
        # Never roll such a release back by hand: revision $_good would start the 2.1 image on migrated metadata.
        note "release $RELEASE is failed (revision $LIVE_REVISION) by the helm step of the metadata migration recorded on ConfigMap $MIG_STATE_CM; resuming it from revision $_good"
        VALUES_REVISION=$_good
        return 0
      fi
      if [ "$ROLLBACK_ON_FAILURE" != 1 ]; then
        fail "$EXIT_RELEASE_FAILED" "release $RELEASE is failed (revision $LIVE_REVISION). Find the cause (helm history $RELEASE -n $NAMESPACE), roll back to the last deployed revision and re-run: helm rollback $RELEASE $_good -n $NAMESPACE. With rollbackOnFailure the executor resumes from revision $_good by itself."
      fi
      note "release $RELEASE is failed (revision $LIVE_REVISION); resuming from the last deployed revision $_good (rollbackOnFailure)"
      VALUES_REVISION=$_good ;;
    *)
      fail "$EXIT_RELEASE_FAILED" "release $RELEASE is $LIVE_STATUS; the executor upgrades only a deployed release. Inspect it with helm history $RELEASE -n $NAMESPACE" ;;
  esac
}

# LIVE_TAG, LIVE_CLUSTER, LIVE_MIX and LIVE_FLAT from the computed values (chart defaults merged with user values).
read_values() {
  if [ -n "$1" ]; then set -- --revision "$1"; else set --; fi
  VALUES_JSON=$("$HELM" get values "$RELEASE" -n "$NAMESPACE" --all -o json "$@" 2>"$TMP/err") || fail "$EXIT_LIVE_STATE_UNREADABLE" "helm get values $RELEASE -n $NAMESPACE --all failed: $(cat "$TMP/err")"
  LIVE_FLAT=$(printf '%s\\n' "$VALUES_JSON" | json_flatten)
  LIVE_TAG=$(printf '%s\\n' "$LIVE_FLAT" | flat_get image.all.tag)
  LIVE_CLUSTER=$(printf '%s\\n' "$LIVE_FLAT" | flat_get cluster.enabled)
  LIVE_MIX=false
  if [ "$(printf '%s\\n' "$LIVE_FLAT" | flat_get mixCoordinator.enabled)" = true ]; then LIVE_MIX=true; fi
}

# Refuses every live state the plan must not touch, before anything changes.
check_live() {
  [ -n "$LIVE_TAG" ] || fail "$EXIT_LIVE_STATE_UNREADABLE" "the values of release $RELEASE have no image.all.tag, so the running Milvus version is unknown"
  is_version "$LIVE_TAG" || fail "$EXIT_LIVE_STATE_UNREADABLE" "image.all.tag of release $RELEASE is '$LIVE_TAG', not a Milvus version"
  LIVE_VERSION=\${LIVE_TAG#v}
  if is_prerelease "$LIVE_VERSION" && [ "$LIVE_VERSION" != "$TARGET_VERSION" ]; then
    fail "$EXIT_PRERELEASE_REFUSED" "live Milvus $LIVE_VERSION is a pre-release, which cannot be upgraded [R-PRERELEASE-SOURCE]. Install a GA release and move the data with milvus-backup."
  fi
  if [ "$(ver_cmp "$LIVE_VERSION" "$TARGET_VERSION")" -gt 0 ]; then
    fail "$EXIT_DOWNGRADE_REFUSED" "live Milvus $LIVE_VERSION is newer than the target $TARGET_VERSION; Milvus cannot be downgraded with helm [R-DOWNGRADE]. Set the target to $LIVE_VERSION or later."
  fi
  if [ -n "$EXPECTED_FROM" ] && [ "$(ver_cmp "$LIVE_VERSION" "$EXPECTED_FROM")" -ne 0 ] && ! is_step_version "$LIVE_VERSION"; then
    fail "$EXIT_UNEXPECTED_LIVE_VERSION" "live Milvus $LIVE_VERSION is neither the expected $EXPECTED_FROM nor a version this chain produces; the plan was made for $EXPECTED_FROM. Plan again from $LIVE_VERSION."
  fi
  LIVE_MODE=cluster
  if [ "$LIVE_CLUSTER" = false ]; then LIVE_MODE=standalone; fi
  if [ "$LIVE_MODE" != "$PLAN_MODE" ]; then
    fail "$EXIT_MODE_CHANGE_REFUSED" "release $RELEASE runs in $LIVE_MODE mode but the plan's values are for $PLAN_MODE mode; helm upgrade cannot switch modes [R-MODE-KEEP]. Keep mode $LIVE_MODE, or install a new release and move the data with milvus-backup."
  fi
  LIVE_MQ=$(mq_signature "$LIVE_FLAT" "$LIVE_MODE")
  if [ "$LIVE_MQ" != "$PLAN_MQ" ]; then
    fail "$EXIT_MQ_CHANGE_REFUSED" "release $RELEASE uses message queue $LIVE_MQ but the plan's values select $PLAN_MQ; switching the queue inside an upgrade loses in-flight data [R-MQ-KEEP]. Plan with messageQueue $LIVE_MQ."
  fi
}

# step_decision N: "run" or "skip". The final step always runs; another step is passed when the live version is
# above it, or equal to it with the same coordinator topology (standalone has none).
step_decision() {
  load_step "$1"
  if is_final "$1"; then echo run; return 0; fi
  if [ "$S_ACTION" = meta-migration ] && mig_resumable_at "$LIVE_VERSION"; then echo run; return 0; fi
  _sd=$(ver_cmp "$LIVE_VERSION" "$S_VERSION")
  if [ "$_sd" -gt 0 ]; then echo skip; return 0; fi
  if [ "$_sd" -eq 0 ] && { [ "$PLAN_MODE" = standalone ] || [ "$LIVE_MIX" = "$S_MIX" ]; }; then echo skip; return 0; fi
  echo run
}

# Refuses before anything changes when a remaining step cannot run here (the migration's pre-checks), or its values
# file is missing.
check_runnable() {
  [ -r "$S_FILE" ] || fail "$EXIT_SETUP_FAILED" "values file $S_FILE is missing; set MILVUS_EXECUTOR_DIR to the directory holding step-N.yaml"
  if mig_needed; then mig_precheck; fi
}

# helm_upgrade INSTALL [noatomic]: one step with complete values from its file; never reuses the release's values.
# noatomic leaves out helm's own rollback even with ROLLBACK_ON_FAILURE (the migration step rolls back by itself).
helm_upgrade() {
  _hu_atomic=$ROLLBACK_ON_FAILURE
  if [ "\${2:-}" = noatomic ]; then _hu_atomic=0; fi
  set -- "$1" upgrade "$RELEASE"
  case $S_REPO in
    oci://*) set -- "$@" "$S_REPO/milvus" ;;
    *) set -- "$@" milvus --repo "$S_REPO" ;;
  esac
  set -- "$@" --version "$S_CHART" -n "$NAMESPACE" --reset-values -f "$S_FILE" --wait --wait-for-jobs --timeout "\${STEP_TIMEOUT}s"
  if [ "$_hu_atomic" = 1 ]; then
    if [ "$HELM_MAJOR" -ge 4 ]; then set -- "$@" --rollback-on-failure; else set -- "$@" --atomic; fi
  fi
  if [ "$1" = 1 ]; then set -- "$@" --install; fi
  shift
  note "helm $*"
  "$HELM" "$@" >&2
}

# health_gate TAG WHAT: every Milvus Deployment of the release rolls out and runs an image tagged TAG, within
# STEP_TIMEOUT seconds in total.
health_gate() {
  _hg_deadline=$(($(date +%s) + STEP_TIMEOUT))
  _hg_names=$("$KUBECTL" get deployments -n "$NAMESPACE" -l "$SELECTOR" -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}' 2>"$TMP/err") || fail "$EXIT_HEALTH_GATE_FAILED" "$2: listing the Milvus deployments failed: $(cat "$TMP/err")"
  [ -n "$_hg_names" ] || fail "$EXIT_HEALTH_GATE_FAILED" "$2: no Milvus deployment of release $RELEASE found (label selector $SELECTOR)"
  for _hg_d in $_hg_names; do
    _hg_left=$((_hg_deadline - $(date +%s)))
    if [ "$_hg_left" -lt 1 ]; then _hg_left=1; fi
    "$KUBECTL" rollout status "deployment/$_hg_d" -n "$NAMESPACE" --timeout="\${_hg_left}s" >&2 || fail "$EXIT_HEALTH_GATE_FAILED" "$2: deployment $_hg_d did not finish rolling out within \${STEP_TIMEOUT}s. Fix it, then re-run: the executor checks the live release before it continues."
  done
  while :; do
    _hg_images=$("$KUBECTL" get deployments -n "$NAMESPACE" -l "$SELECTOR" -o jsonpath="$IMAGES_JSONPATH" 2>"$TMP/err") || fail "$EXIT_HEALTH_GATE_FAILED" "$2: reading the deployment images failed: $(cat "$TMP/err")"
    _hg_wrong=$(printf '%s\\n' "$_hg_images" | awk -v tag="$1" 'NF >= 2 { image = $2; sub(/@.*/, "", image); want = ":" tag; if (length(image) < length(want) || substr(image, length(image) - length(want) + 1) != want) { printf "%s%s=%s", sep, $1, $2; sep = ", " } }')
    if [ -z "$_hg_wrong" ]; then return 0; fi
    if [ "$(date +%s)" -ge "$_hg_deadline" ]; then
      fail "$EXIT_HEALTH_GATE_FAILED" "$2: after \${STEP_TIMEOUT}s these deployments still do not run an image tagged $1: $_hg_wrong. Fix them, then re-run: the executor checks the live release before it continues."
    fi
    sleep 2
  done
}

# run_step INSTALL: helm upgrade, health gate, one progress line.
run_step() {
  _rs_started=$(date +%s)
  if helm_upgrade "$1"; then :; else
    if [ "$ROLLBACK_ON_FAILURE" = 1 ]; then
      fail "$EXIT_HELM_UPGRADE_FAILED" "helm upgrade to $S_LABEL failed (helm's output above); with rollbackOnFailure helm rolls the release back to the previous revision. Fix the cause and re-run: the executor resumes at step $S_INDEX."
    fi
    fail "$EXIT_HELM_UPGRADE_FAILED" "helm upgrade to $S_LABEL failed (helm's output above). The release may now be failed: inspect it with helm history $RELEASE -n $NAMESPACE, roll back with helm rollback $RELEASE <last deployed revision> -n $NAMESPACE, fix the cause and re-run: the executor resumes at step $S_INDEX."
  fi
  health_gate "$S_TAG" "step $S_INDEX/$STEP_COUNT ($S_LABEL)"
  say "[$S_INDEX/$STEP_COUNT] $S_LABEL ... done in $(fmt_duration $(($(date +%s) - _rs_started)))"
}

# No release, but maybe its volumes: an uninstalled release leaves its etcd/MinIO/Pulsar claims behind, holding data of
# a Milvus version nobody can see any more. Installing any version on top of it can lose that data.
check_orphaned_data() {
  if [ "$ALLOW_EXISTING_DATA" = 1 ]; then return 0; fi
  _od=''
  for _od_sel in "app.kubernetes.io/instance=$RELEASE" "release=$RELEASE"; do
    _od_found=$("$KUBECTL" get persistentvolumeclaims -n "$NAMESPACE" -l "$_od_sel" -o name 2>"$TMP/err") || fail "$EXIT_LIVE_STATE_UNREADABLE" "listing the volume claims of release $RELEASE failed: $(cat "$TMP/err")"
    _od="$_od
$_od_found"
  done
  _od=$(printf '%s\\n' "$_od" | sed '/^$/d' | sort -u | tr '\\n' ' ')
  if [ -n "\${_od% }" ]; then
    fail "$EXIT_ORPHANED_DATA" "release $RELEASE does not exist in namespace $NAMESPACE, but its volume claims remain: \${_od% }. They hold data of a Milvus version that cannot be read any more; installing $TARGET_VERSION on them can lose it. Reinstall the version that wrote the data and upgrade from there, or delete the claims if the data is not needed (allowExistingData installs anyway)."
  fi
}

# No release yet: a fresh install of the final step; the stops only matter to an existing release.
install_fresh() {
  _if_i=1
  while [ "$_if_i" -lt "$STEP_COUNT" ]; do
    load_step "$_if_i"
    say "[$_if_i/$STEP_COUNT] $S_LABEL ... skipped (no release yet: installing $TARGET_VERSION directly)"
    _if_i=$((_if_i + 1))
  done
  load_step "$STEP_COUNT"
  check_runnable
  if [ "$DRY_RUN" = 1 ]; then
    say "[$STEP_COUNT/$STEP_COUNT] $S_LABEL ... would install (dry run; no release $RELEASE in namespace $NAMESPACE)"
    return 0
  fi
  note "release $RELEASE does not exist in namespace $NAMESPACE; installing Milvus $S_VERSION"
  run_step 1
  say "release $RELEASE installed at Milvus $S_VERSION"
}

main() {
  check_setup
  detect_helm
  if [ "$OPERATION" = rollback-migration ]; then mig_rollback_operation; fi
  note "helm $HELM_VERSION; release $RELEASE in namespace $NAMESPACE; target Milvus $TARGET_VERSION; $STEP_COUNT step(s)"
  read_live
  if [ "$LIVE_EXISTS" = 0 ]; then
    check_orphaned_data
    if [ "$INCLUDES_FINAL_STEP" != 1 ]; then
      say "no release yet; the Helm Release resource installs it"
      exit "$EXIT_SUCCESS"
    fi
    install_fresh
    exit "$EXIT_SUCCESS"
  fi
  check_status
  read_values "$VALUES_REVISION"
  check_live
  note "live: Milvus $LIVE_VERSION, revision $LIVE_REVISION ($LIVE_STATUS), $LIVE_MODE, message queue $LIVE_MQ, mixCoordinator $LIVE_MIX"
  CUR_VERSION=$LIVE_VERSION
  CUR_TAG=$LIVE_TAG
  # A release at or below the migration's version may have a migration under way (its state decides the steps).
  if [ "$HAS_MIGRATION" = 1 ] && [ "$(ver_cmp "$LIVE_VERSION" "$MIG_VERSION")" -le 0 ]; then mig_read_state; fi

  # Decide every step first, so a step that cannot run is refused before anything changes.
  _to_run=0
  _i=1
  while [ "$_i" -le "$STEP_COUNT" ]; do
    if [ "$(step_decision "$_i")" = run ]; then
      load_step "$_i"
      check_runnable
      _to_run=$((_to_run + 1))
    fi
    _i=$((_i + 1))
  done

  if [ "$DRY_RUN" = 1 ]; then
    _i=1
    while [ "$_i" -le "$STEP_COUNT" ]; do
      _decision=$(step_decision "$_i")
      load_step "$_i"
      if [ "$_decision" = skip ]; then
        say "[$_i/$STEP_COUNT] $S_LABEL ... would skip (live $LIVE_VERSION already passed)"
      elif mig_needed; then
        mig_dry_run
      else
        say "[$_i/$STEP_COUNT] $S_LABEL ... would run: $S_ACTION with $S_FILE, then the health gate (image tag $S_TAG)"
      fi
      if [ "$_decision" = run ]; then CUR_VERSION=$S_VERSION; fi
      _i=$((_i + 1))
    done
    say "dry run: nothing changed (live Milvus $LIVE_VERSION, $_to_run step(s) to run)"
    exit "$EXIT_SUCCESS"
  fi

  _preflight=1
  if [ "$LIVE_STATUS" != deployed ]; then _preflight=0; fi
  _i=1
  while [ "$_i" -le "$STEP_COUNT" ]; do
    _decision=$(step_decision "$_i")
    load_step "$_i"
    if [ "$_decision" = skip ]; then
      say "[$_i/$STEP_COUNT] $S_LABEL ... skipped (live $LIVE_VERSION already passed)"
    else
      if [ "$_preflight" = 1 ]; then
        if mig_in_progress; then
          note "a metadata migration of release $RELEASE is under way (ConfigMap $MIG_STATE_CM): it resumes with its own gates"
        else
          # A run that stopped at a health gate left an unhealthy release behind: never upgrade on top of it.
          health_gate "$LIVE_TAG" "before step $_i: the live release (Milvus $LIVE_VERSION)"
        fi
        _preflight=0
      fi
      if mig_needed; then mig_run_step; else run_step 0; fi
      CUR_VERSION=$S_VERSION
      CUR_TAG=$S_TAG
      STEP_RAN=1
    fi
    _i=$((_i + 1))
  done

  if [ "$_to_run" -eq 0 ]; then
    say "nothing to do: live Milvus $LIVE_VERSION has passed every step"
  elif [ "$INCLUDES_FINAL_STEP" = 1 ]; then
    say "release $RELEASE is at Milvus $TARGET_VERSION"
  else
    say "intermediate steps done; the Helm Release performs the final upgrade to $TARGET_VERSION"
  fi
  exit "$EXIT_SUCCESS"
}

main "$@"
`;
