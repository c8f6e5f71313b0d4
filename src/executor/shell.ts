import { MIGRATION_ANNOTATIONS, MIGRATION_FILES } from "./migration";

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

/**
 * The metadata migration (Milvus 2.1.x -> 2.2.x, R-META-MIGRATION) and its rollback: shell functions used by the main
 * flow. They create the objects of the bundle's `migration-*.yaml` files with `kubectl create/apply -f`, filling in only
 * runtime-discovered values, each checked by `mig_valid` first; every other value was validated by the generator.
 *
 * Progress lives in the state ConfigMap (`MIG_STATE_CM`): data `replicas` ("name=count ...", recorded once, reused on
 * a re-run) and annotations backup (done|stale), migrated (started|failed|done|rolled-back), upgraded (done),
 * complete (done), plus the source version, helm revision and image tag. A re-run skips the finished phases; the
 * rollback reads the same ConfigMap it wrote.
 */
export const SHELL_MIGRATION = `
# ---------------------------------------------------------------- metadata migration (2.1.x -> 2.2.x)
NL='
'
ANN_SOURCE_VERSION='${MIGRATION_ANNOTATIONS.sourceVersion}'
ANN_SOURCE_REVISION='${MIGRATION_ANNOTATIONS.sourceRevision}'
ANN_SOURCE_TAG='${MIGRATION_ANNOTATIONS.sourceTag}'
ANN_BACKUP='${MIGRATION_ANNOTATIONS.backup}'
ANN_MIGRATE='${MIGRATION_ANNOTATIONS.migrate}'
ANN_UPGRADED='${MIGRATION_ANNOTATIONS.upgraded}'
ANN_COMPLETE='${MIGRATION_ANNOTATIONS.complete}'
MIG_FILE_PVC='${MIGRATION_FILES.backupClaim}'
MIG_FILE_TOOLS='${MIGRATION_FILES.toolConfig}'
MIG_FILE_STATE='${MIGRATION_FILES.state}'
MIG_FILE_BACKUP='${MIGRATION_FILES.backupJob}'
MIG_FILE_MIGRATE='${MIGRATION_FILES.migrateJob}'
MIG_FILE_ROLLBACK='${MIGRATION_FILES.rollbackJob}'
MIG_STATE_READ=0
MIG_PRECHECKED=0
MIG_EXISTS=0
MIG_PROBLEM=''
MIG_ETCD=''
MIG_ETCD_SOURCE=''
ETCD_POD=''
MIG_SC_NOTE=''
MIG_DEPLOYS=''
MIG_SOURCE_VERSION=''
MIG_SOURCE_REVISION=''
MIG_SOURCE_TAG=''
MIG_REPLICAS_TEXT=''
MIG_SESSION_RESULT=''
CUR_VERSION=''
CUR_TAG=''
STEP_RAN=0

# mig_valid KIND VALUE: VALUE is one line matching the pattern of KIND. Every runtime-discovered value passes here
# before it reaches a manifest or a command line.
mig_valid() {
  case $2 in *"$NL"*) return 1 ;; esac
  case $1 in
    endpoint) _mv='^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$' ;;
    version) _mv='^[0-9]+[.][0-9]+[.][0-9]+$' ;;
    number) _mv='^[0-9]+$' ;;
    name) _mv='^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' ;;
    tag) _mv='^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' ;;
    replicas) _mv='^[a-z0-9]([-a-z0-9.]*[a-z0-9])?=[0-9]+( [a-z0-9]([-a-z0-9.]*[a-z0-9])?=[0-9]+)*$' ;;
    *) return 1 ;;
  esac
  printf '%s\\n' "$2" | grep -Eq "$_mv"
}

# mig_annotation FLAT KEY: annotation KEY of a json_flatten'ed object.
mig_annotation() {
  printf '%s\\n' "$1" | flat_get "metadata.annotations.$2"
}

# mig_read_state: MIG_EXISTS and the ST_* fields of the state ConfigMap, read once and checked.
mig_read_state() {
  if [ "$MIG_STATE_READ" = 1 ]; then return 0; fi
  MIG_STATE_READ=1
  MIG_EXISTS=0
  ST_BACKUP='' ST_MIGRATE='' ST_UPGRADED='' ST_COMPLETE='' ST_SOURCE_VERSION='' ST_SOURCE_REVISION='' ST_SOURCE_TAG='' ST_REPLICAS=''
  if _rs_json=$("$KUBECTL" get configmap "$MIG_STATE_CM" -n "$NAMESPACE" -o json 2>"$TMP/err"); then :; else
    if grep -q NotFound "$TMP/err"; then return 0; fi
    fail "$EXIT_LIVE_STATE_UNREADABLE" "reading the migration state ConfigMap $MIG_STATE_CM failed: $(cat "$TMP/err")"
  fi
  MIG_EXISTS=1
  _rs_flat=$(printf '%s\\n' "$_rs_json" | json_flatten)
  ST_BACKUP=$(mig_annotation "$_rs_flat" "$ANN_BACKUP")
  ST_MIGRATE=$(mig_annotation "$_rs_flat" "$ANN_MIGRATE")
  ST_UPGRADED=$(mig_annotation "$_rs_flat" "$ANN_UPGRADED")
  ST_COMPLETE=$(mig_annotation "$_rs_flat" "$ANN_COMPLETE")
  ST_SOURCE_VERSION=$(mig_annotation "$_rs_flat" "$ANN_SOURCE_VERSION")
  ST_SOURCE_REVISION=$(mig_annotation "$_rs_flat" "$ANN_SOURCE_REVISION")
  ST_SOURCE_TAG=$(mig_annotation "$_rs_flat" "$ANN_SOURCE_TAG")
  ST_REPLICAS=$(printf '%s\\n' "$_rs_flat" | flat_get data.replicas)
  _rs_bad=''
  mig_valid version "$ST_SOURCE_VERSION" || _rs_bad="$_rs_bad $ANN_SOURCE_VERSION"
  mig_valid number "$ST_SOURCE_REVISION" || _rs_bad="$_rs_bad $ANN_SOURCE_REVISION"
  mig_valid tag "$ST_SOURCE_TAG" || _rs_bad="$_rs_bad $ANN_SOURCE_TAG"
  mig_valid replicas "$ST_REPLICAS" || _rs_bad="$_rs_bad data.replicas"
  case $ST_BACKUP in '' | done | stale) ;; *) _rs_bad="$_rs_bad $ANN_BACKUP" ;; esac
  case $ST_MIGRATE in '' | started | failed | done | rolled-back) ;; *) _rs_bad="$_rs_bad $ANN_MIGRATE" ;; esac
  case $ST_UPGRADED in '' | done) ;; *) _rs_bad="$_rs_bad $ANN_UPGRADED" ;; esac
  case $ST_COMPLETE in '' | done) ;; *) _rs_bad="$_rs_bad $ANN_COMPLETE" ;; esac
  if [ -n "$_rs_bad" ]; then
    fail "$EXIT_LIVE_STATE_UNREADABLE" "the migration state ConfigMap $MIG_STATE_CM holds invalid values in:$_rs_bad. Only the executor writes it; restore it from your records, or delete it if no migration of release $RELEASE is under way."
  fi
}

# mig_in_progress: a migration of this release started and neither completed nor was rolled back.
mig_in_progress() {
  [ "$HAS_MIGRATION" = 1 ] && [ "$MIG_STATE_READ" = 1 ] && [ "$MIG_EXISTS" = 1 ] && [ "$ST_COMPLETE" != 'done' ] && [ "$ST_MIGRATE" != rolled-back ]
}

# mig_resumable_at VERSION: a migration to VERSION (the live version) got past the migrate phase and did not complete.
mig_resumable_at() {
  mig_in_progress && [ "$(ver_cmp "$1" "$MIG_VERSION")" -eq 0 ] && { [ "$ST_MIGRATE" = 'done' ] || [ "$ST_UPGRADED" = 'done' ]; }
}

# mig_needed: the loaded step (S_*) is the migration and the release needs it: below its version, or a migration to
# it is under way. A final meta-migration step on a release already at its version is a plain helm step.
mig_needed() {
  [ "$S_ACTION" = meta-migration ] && [ "$LIVE_EXISTS" = 1 ] || return 1
  if [ "$(ver_cmp "$CUR_VERSION" "$S_VERSION")" -lt 0 ]; then return 0; fi
  mig_resumable_at "$CUR_VERSION"
}

# mig_failed_release_resumable: the live release is failed by the migration's own helm step, which a re-run repeats.
mig_failed_release_resumable() {
  [ "$HAS_MIGRATION" = 1 ] || return 1
  mig_read_state
  mig_in_progress && [ "$ST_MIGRATE" = 'done' ] && [ "$ST_UPGRADED" != 'done' ]
}

# mig_list_deployments: MIG_DEPLOYS, "name=replicas" of every Milvus Deployment of the release, one a line.
mig_list_deployments() {
  _ld=$("$KUBECTL" get deployments -n "$NAMESPACE" -l "$SELECTOR" -o jsonpath='{range .items[*]}{.metadata.name}{"="}{.spec.replicas}{"\\n"}{end}' 2>"$TMP/err") || {
    MIG_PROBLEM="listing the Milvus deployments failed: $(cat "$TMP/err")"
    return 1
  }
  MIG_DEPLOYS=''
  while IFS= read -r _ld_line; do
    [ -n "$_ld_line" ] || continue
    if ! mig_valid replicas "$_ld_line"; then
      MIG_PROBLEM="unexpected deployment line '$_ld_line' (name=replicas)"
      return 1
    fi
    MIG_DEPLOYS=$MIG_DEPLOYS$_ld_line$NL
  done <<EOF
$_ld
EOF
  return 0
}

# mig_has_deployment NAME: NAME is in MIG_DEPLOYS.
mig_has_deployment() {
  printf '%s' "$MIG_DEPLOYS" | awk -F= -v n="$1" '$1 == n { found = 1 } END { exit !found }'
}

# Refuses Deployments that a HorizontalPodAutoscaler scales: it would scale them up again while Milvus must stay stopped.
mig_check_hpa() {
  _hp=$("$KUBECTL" get horizontalpodautoscalers -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.spec.scaleTargetRef.kind}{"/"}{.spec.scaleTargetRef.name}{"\\n"}{end}' 2>"$TMP/err") ||
    fail "$EXIT_META_MIGRATION_REQUIRED" "listing the HorizontalPodAutoscalers of namespace $NAMESPACE failed (the migration must know that none scales Milvus): $(cat "$TMP/err")"
  _hp_bad=''
  while IFS= read -r _hp_line; do
    [ -n "$_hp_line" ] || continue
    if printf '%s\\n' "$_hp" | grep -Fqx "Deployment/\${_hp_line%%=*}"; then _hp_bad="$_hp_bad \${_hp_line%%=*}"; fi
  done <<EOF
$MIG_DEPLOYS
EOF
  if [ -n "$_hp_bad" ]; then
    fail "$EXIT_META_MIGRATION_REQUIRED" "the metadata migration must scale every Milvus component to 0, but a HorizontalPodAutoscaler scales:$_hp_bad [R-META-MIGRATION]. Disable autoscaling of these components (their hpa values, or delete the HPAs) for the migration and enable it again afterwards. Nothing was changed."
  fi
}

# MIG_ETCD (and ETCD_POD for the session check): the given endpoint, else externalEtcd.endpoints[0] of the live values,
# else the release's etcd Service (not headless, port named client).
mig_discover_etcd() {
  ETCD_POD=''
  if [ -n "$MIG_ETCD_GIVEN" ]; then
    MIG_ETCD=$MIG_ETCD_GIVEN
    MIG_ETCD_SOURCE='migration.etcdEndpoint'
  elif [ "$(printf '%s\\n' "$LIVE_FLAT" | flat_get externalEtcd.enabled)" = true ]; then
    MIG_ETCD=$(printf '%s\\n' "$LIVE_FLAT" | flat_get externalEtcd.endpoints.0)
    MIG_ETCD_SOURCE='externalEtcd.endpoints of the release values'
    mig_valid endpoint "$MIG_ETCD" || fail "$EXIT_META_MIGRATION_REQUIRED" "externalEtcd.endpoints[0] of release $RELEASE is '$MIG_ETCD', not host:port; set migration.etcdEndpoint (--etcd-endpoint) to the etcd endpoint. Nothing was changed."
  else
    _de=$("$KUBECTL" get services -n "$NAMESPACE" -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=etcd" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.clusterIP}{" "}{range .spec.ports[*]}{.name}{"="}{.port}{","}{end}{"\\n"}{end}' 2>"$TMP/err") ||
      fail "$EXIT_META_MIGRATION_REQUIRED" "listing the etcd Services of release $RELEASE failed: $(cat "$TMP/err"); set migration.etcdEndpoint (--etcd-endpoint). Nothing was changed."
    MIG_ETCD=$(printf '%s\\n' "$_de" | awk '$2 != "None" && $2 != "" { n = split($3, p, ","); for (i = 1; i <= n; i++) if (p[i] ~ /^client=[0-9]+$/) { sub(/^client=/, "", p[i]); print $1 ":" p[i]; exit } }')
    MIG_ETCD_SOURCE='the release etcd Service'
    if [ -z "$MIG_ETCD" ] || ! mig_valid endpoint "$MIG_ETCD"; then
      fail "$EXIT_META_MIGRATION_REQUIRED" "no etcd Service of release $RELEASE with a port named client (label app.kubernetes.io/name=etcd, not headless); set migration.etcdEndpoint (--etcd-endpoint host:port). Nothing was changed."
    fi
    ETCD_POD=$("$KUBECTL" get pods -n "$NAMESPACE" -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=etcd" --field-selector=status.phase=Running -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}' 2>/dev/null | head -n 1) || ETCD_POD=''
    mig_valid name "$ETCD_POD" || ETCD_POD=''
  fi
}

# MIG_SC_NOTE: the StorageClass of the backup volume. A given class must exist; without one a default class must, as far
# as StorageClasses (cluster-scoped) can be read with the executor's namespaced rights.
mig_check_storage() {
  if [ "$ST_BACKUP" = 'done' ] || "$KUBECTL" get persistentvolumeclaim "$MIG_PVC" -n "$NAMESPACE" -o name >/dev/null 2>&1; then
    MIG_SC_NOTE="PVC $MIG_PVC exists"
    return 0
  fi
  if [ -n "$MIG_STORAGE_CLASS" ]; then
    if "$KUBECTL" get storageclass "$MIG_STORAGE_CLASS" -o name >/dev/null 2>"$TMP/err"; then
      MIG_SC_NOTE="StorageClass $MIG_STORAGE_CLASS"
    elif grep -q NotFound "$TMP/err"; then
      fail "$EXIT_META_MIGRATION_REQUIRED" "StorageClass $MIG_STORAGE_CLASS (migration.storageClass) does not exist; the backup needs a volume. Name an existing class. Nothing was changed."
    else
      MIG_SC_NOTE="StorageClass $MIG_STORAGE_CLASS (not checked: $(head -n 1 "$TMP/err"))"
    fi
    return 0
  fi
  if _cs=$("$KUBECTL" get storageclasses -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class}{" "}{.metadata.annotations.storageclass\\.beta\\.kubernetes\\.io/is-default-class}{"\\n"}{end}' 2>"$TMP/err"); then
    _cs_default=$(printf '%s\\n' "$_cs" | awk '$2 == "true" || $3 == "true" { print $1; exit }')
    if [ -z "$_cs_default" ]; then
      fail "$EXIT_META_MIGRATION_REQUIRED" "the cluster has no default StorageClass, and migration.storageClass (--storage-class) is not set; the metadata backup needs a volume. Set it to one of: $(printf '%s\\n' "$_cs" | awk 'NF > 0 { printf "%s%s", sep, $1; sep = ", " }'). Nothing was changed."
    fi
    MIG_SC_NOTE="the default StorageClass ($_cs_default)"
  else
    MIG_SC_NOTE="the default StorageClass, if any (StorageClasses cannot be read with namespaced rights: $(head -n 1 "$TMP/err"); a claim left Pending fails the backup with a clear message)"
  fi
}

# mig_precheck: every check of the migration, before anything changes (EXIT_META_MIGRATION_REQUIRED).
mig_precheck() {
  if [ "$MIG_PRECHECKED" = 1 ]; then return 0; fi
  MIG_PRECHECKED=1
  for _pc_file in "$MIG_FILE_PVC" "$MIG_FILE_TOOLS" "$MIG_FILE_STATE" "$MIG_FILE_BACKUP" "$MIG_FILE_MIGRATE" "$MIG_FILE_ROLLBACK"; do
    [ -r "$DIR/$_pc_file" ] || fail "$EXIT_META_MIGRATION_REQUIRED" "migration manifest $DIR/$_pc_file is missing; set MILVUS_EXECUTOR_DIR to the directory of the bundle. Nothing was changed."
  done
  mig_read_state
  mig_list_deployments || fail "$EXIT_META_MIGRATION_REQUIRED" "$MIG_PROBLEM. Nothing was changed."
  [ -n "$MIG_DEPLOYS" ] || fail "$EXIT_META_MIGRATION_REQUIRED" "no Milvus deployment of release $RELEASE found (label selector $SELECTOR); the migration stops and restarts them. Nothing was changed."
  mig_check_hpa
  _pc_root=$(printf '%s\\n' "$LIVE_FLAT" | flat_get metadata.rootPath)
  if [ -n "$_pc_root" ] && [ "$_pc_root" != "$MIG_ROOT_PATH" ]; then
    fail "$EXIT_META_MIGRATION_REQUIRED" "release $RELEASE keeps its metadata under root path '$_pc_root' (metadata.rootPath), but the migration is set to '$MIG_ROOT_PATH'; set migration.rootPath (--root-path) to the release's. Nothing was changed."
  fi
  mig_discover_etcd
  mig_check_storage
}

# mig_render FILE: the bundle's FILE with the runtime values filled in, as $TMP/FILE; fails when a value it needs is empty.
mig_render() {
  awk -v ep="$MIG_ETCD" -v sv="$MIG_SOURCE_VERSION" -v sr="$MIG_SOURCE_REVISION" -v st="$MIG_SOURCE_TAG" -v rp="$MIG_REPLICAS_TEXT" '
    function put(ph, v) { if (index($0, ph) > 0) { if (v == "") { bad = 1; exit 3 } gsub(ph, v) } }
    { put("@ETCD_ENDPOINT@", ep); put("@SOURCE_VERSION@", sv); put("@SOURCE_REVISION@", sr); put("@SOURCE_TAG@", st); put("@REPLICAS@", rp); print }
    END { if (bad) exit 3 }' "$DIR/$1" >"$TMP/$1"
}

# mig_current_revision: the release's current helm revision.
mig_current_revision() {
  _cr=$("$HELM" status "$RELEASE" -n "$NAMESPACE" -o json 2>"$TMP/err") || return 1
  printf '%s\\n' "$_cr" | json_flatten | flat_get version
}

# mig_create_state: records the replicas of MIG_DEPLOYS and the MIG_SOURCE_* values in a new state ConfigMap.
mig_create_state() {
  MIG_REPLICAS_TEXT=$(printf '%s' "$MIG_DEPLOYS" | tr '\\n' ' ' | sed 's/ *$//')
  mig_valid replicas "$MIG_REPLICAS_TEXT" || fail "$EXIT_UNEXPECTED" "cannot record the replicas '$MIG_REPLICAS_TEXT'"
  mig_valid version "$MIG_SOURCE_VERSION" || fail "$EXIT_UNEXPECTED" "cannot record the source version '$MIG_SOURCE_VERSION'"
  mig_valid number "$MIG_SOURCE_REVISION" || fail "$EXIT_UNEXPECTED" "cannot record the source helm revision '$MIG_SOURCE_REVISION'"
  mig_valid tag "$MIG_SOURCE_TAG" || fail "$EXIT_UNEXPECTED" "cannot record the source image tag '$MIG_SOURCE_TAG'"
  mig_render "$MIG_FILE_STATE" || fail "$EXIT_UNEXPECTED" "internal error: a value of $MIG_FILE_STATE is missing"
  "$KUBECTL" create -f "$TMP/$MIG_FILE_STATE" -n "$NAMESPACE" >/dev/null 2>"$TMP/err" || fail "$EXIT_UNEXPECTED" "creating the migration state ConfigMap $MIG_STATE_CM failed: $(cat "$TMP/err"). Nothing was changed."
  MIG_EXISTS=1
  ST_REPLICAS=$MIG_REPLICAS_TEXT ST_SOURCE_VERSION=$MIG_SOURCE_VERSION ST_SOURCE_REVISION=$MIG_SOURCE_REVISION ST_SOURCE_TAG=$MIG_SOURCE_TAG
  ST_BACKUP='' ST_MIGRATE='' ST_UPGRADED='' ST_COMPLETE=''
}

# mig_mark ANNOTATION=VALUE | ANNOTATION- ...: records progress on the state ConfigMap.
mig_mark() {
  "$KUBECTL" annotate configmap "$MIG_STATE_CM" -n "$NAMESPACE" --overwrite "$@" >/dev/null 2>"$TMP/err" ||
    fail "$EXIT_UNEXPECTED" "recording the migration progress ($*) on ConfigMap $MIG_STATE_CM failed: $(cat "$TMP/err")"
}

# mig_sessions: the session keys of Milvus components under <rootPath>/meta/session/ (the counter key "id" is not one),
# read with etcdctl in the release's etcd pod; fails when etcd cannot be queried ($TMP/err says why).
mig_sessions() {
  "$KUBECTL" exec -n "$NAMESPACE" "$ETCD_POD" -- etcdctl get --prefix --keys-only "$MIG_ROOT_PATH/meta/session/" >"$TMP/keys" 2>"$TMP/err" || return 1
  awk -v p="$MIG_ROOT_PATH/meta/session/" 'index($0, p) == 1 { r = substr($0, length(p) + 1); if (r ~ /^(rootcoord|datacoord|querycoord|indexcoord|datanode|querynode|indexnode|proxy|migration)/) print }' "$TMP/keys"
}

# mig_wait_sessions: until the etcd session keys of the stopped components have expired (a live session makes the tool
# refuse to run): polled with etcdctl when the release's etcd pod answers, else a fixed wait of MIG_SESSION_WAIT seconds.
mig_wait_sessions() {
  if [ -n "$ETCD_POD" ] && _ws_keys=$(mig_sessions); then
    _ws_deadline=$(($(date +%s) + MIG_SESSION_WAIT))
    while [ -n "$_ws_keys" ]; do
      if [ "$(date +%s)" -ge "$_ws_deadline" ]; then
        MIG_PROBLEM="after \${MIG_SESSION_WAIT}s these etcd session keys are still present: $(printf '%s' "$_ws_keys" | tr '\\n' ' ')(a process still runs Milvus on this etcd; stop it, or raise migration.sessionWaitSeconds)"
        return 1
      fi
      sleep 2
      _ws_keys=$(mig_sessions) || {
        MIG_PROBLEM="etcdctl in pod $ETCD_POD failed: $(head -n 3 "$TMP/err")"
        return 1
      }
    done
    MIG_SESSION_RESULT="no etcd session key left (etcdctl in pod $ETCD_POD)"
    return 0
  fi
  if [ -n "$ETCD_POD" ]; then _ws_why="etcdctl in pod $ETCD_POD failed: $(head -n 1 "$TMP/err")"; else _ws_why="no pod of a bundled etcd to query"; fi
  note "cannot list the etcd session keys ($_ws_why); waiting \${MIG_SESSION_WAIT}s for the sessions of the stopped components to expire (Milvus 2.1 session leases last 60 s)"
  sleep "$MIG_SESSION_WAIT"
  MIG_SESSION_RESULT="waited \${MIG_SESSION_WAIT}s for the etcd sessions to expire ($_ws_why)"
}

# mig_stop_jobs: deletes a migration Job left active by an interrupted run (its tool holds an etcd session and may still
# write the metadata); finished Jobs stay for their logs.
mig_stop_jobs() {
  for _sj in "$MIG_BACKUP_JOB" "$MIG_MIGRATE_JOB" "$MIG_ROLLBACK_JOB"; do
    if _sj_state=$("$KUBECTL" get job "$_sj" -n "$NAMESPACE" -o jsonpath='{range .status.conditions[*]}{.type}{"="}{.status}{"\\n"}{end}' 2>"$TMP/err"); then :; else
      if grep -q NotFound "$TMP/err"; then continue; fi
      MIG_PROBLEM="reading Job $_sj failed: $(cat "$TMP/err")"
      return 1
    fi
    if printf '%s\\n' "$_sj_state" | grep -Eqx '(Complete|Failed)=True'; then continue; fi
    note "Job $_sj of an interrupted run is still active: deleting it before the stop"
    "$KUBECTL" delete job "$_sj" -n "$NAMESPACE" --ignore-not-found --cascade=foreground >/dev/null 2>"$TMP/err" || {
      MIG_PROBLEM="deleting the active Job $_sj failed: $(cat "$TMP/err")"
      return 1
    }
  done
}

# mig_stop: no migration Job active, every Milvus Deployment at 0 replicas, no Milvus pod left, no session key left.
mig_stop() {
  mig_stop_jobs || return 1
  mig_list_deployments || return 1
  while IFS= read -r _st_line; do
    [ -n "$_st_line" ] || continue
    if [ "\${_st_line#*=}" != 0 ]; then
      "$KUBECTL" scale deployment "\${_st_line%%=*}" -n "$NAMESPACE" --replicas=0 >/dev/null 2>"$TMP/err" || {
        MIG_PROBLEM="scaling \${_st_line%%=*} to 0 failed: $(cat "$TMP/err")"
        return 1
      }
    fi
  done <<EOF
$MIG_DEPLOYS
EOF
  _st_deadline=$(($(date +%s) + STEP_TIMEOUT))
  while :; do
    _st_pods=$("$KUBECTL" get pods -n "$NAMESPACE" -l "$SELECTOR" -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}' 2>"$TMP/err") || {
      MIG_PROBLEM="listing the Milvus pods failed: $(cat "$TMP/err")"
      return 1
    }
    [ -n "$_st_pods" ] || break
    if [ "$(date +%s)" -ge "$_st_deadline" ]; then
      MIG_PROBLEM="after \${STEP_TIMEOUT}s these Milvus pods still exist: $(printf '%s' "$_st_pods" | tr '\\n' ' ')"
      return 1
    fi
    sleep 2
  done
  mig_wait_sessions
}

# mig_restore_replicas: every recorded Deployment that still exists back to its recorded replica count.
mig_restore_replicas() {
  mig_list_deployments || return 1
  _rr_list=$(printf '%s\\n' "$ST_REPLICAS" | tr ' ' '\\n')
  while IFS= read -r _rr; do
    [ -n "$_rr" ] || continue
    if mig_has_deployment "\${_rr%%=*}"; then
      "$KUBECTL" scale deployment "\${_rr%%=*}" -n "$NAMESPACE" --replicas="\${_rr#*=}" >/dev/null 2>"$TMP/err" || {
        MIG_PROBLEM="scaling \${_rr%%=*} to \${_rr#*=} failed: $(cat "$TMP/err")"
        return 1
      }
    else
      note "recorded deployment \${_rr%%=*} no longer exists (the chart renamed or removed it); not scaled"
    fi
  done <<EOF
$_rr_list
EOF
  return 0
}

# mig_prepare: the tool-config ConfigMap (etcd endpoint and source version filled in) and, when absent, the backup PVC.
mig_prepare() {
  if ! mig_render "$MIG_FILE_TOOLS"; then
    MIG_PROBLEM="internal error: a value of $MIG_FILE_TOOLS is missing"
    return 1
  fi
  "$KUBECTL" apply -f "$TMP/$MIG_FILE_TOOLS" -n "$NAMESPACE" >/dev/null 2>"$TMP/err" || {
    MIG_PROBLEM="applying the tool ConfigMap $MIG_TOOLS_CM failed: $(cat "$TMP/err")"
    return 1
  }
  if "$KUBECTL" get persistentvolumeclaim "$MIG_PVC" -n "$NAMESPACE" -o name >/dev/null 2>"$TMP/err"; then return 0; fi
  if ! grep -q NotFound "$TMP/err"; then
    MIG_PROBLEM="reading the backup volume claim $MIG_PVC failed: $(cat "$TMP/err")"
    return 1
  fi
  "$KUBECTL" create -f "$DIR/$MIG_FILE_PVC" -n "$NAMESPACE" >/dev/null 2>"$TMP/err" || {
    MIG_PROBLEM="creating the backup volume claim $MIG_PVC failed: $(cat "$TMP/err")"
    return 1
  }
}

# mig_job NAME FILE WHAT: runs one meta-migration Job (a new one: an earlier Job of that name is deleted first) until its
# condition is Complete (0) or Failed, or its deadline passed (1, MIG_PROBLEM says why; its log is printed).
mig_job() {
  "$KUBECTL" delete job "$1" -n "$NAMESPACE" --ignore-not-found --cascade=foreground >/dev/null 2>"$TMP/err" || {
    MIG_PROBLEM="deleting the earlier Job $1 failed: $(cat "$TMP/err")"
    return 1
  }
  "$KUBECTL" create -f "$DIR/$2" -n "$NAMESPACE" >/dev/null 2>"$TMP/err" || {
    MIG_PROBLEM="creating the $3 Job $1 failed: $(cat "$TMP/err")"
    return 1
  }
  note "$3: Job $1 started"
  _mj_deadline=$(($(date +%s) + STEP_TIMEOUT + 60))
  while :; do
    _mj_state=$("$KUBECTL" get job "$1" -n "$NAMESPACE" -o jsonpath='{range .status.conditions[*]}{.type}{"="}{.status}{"\\n"}{end}' 2>"$TMP/err") || {
      MIG_PROBLEM="reading the $3 Job $1 failed: $(cat "$TMP/err")"
      return 1
    }
    if printf '%s\\n' "$_mj_state" | grep -qx 'Complete=True'; then return 0; fi
    if printf '%s\\n' "$_mj_state" | grep -qx 'Failed=True'; then
      MIG_PROBLEM="the $3 Job $1 failed"
      break
    fi
    if [ "$(date +%s)" -ge "$_mj_deadline" ]; then
      MIG_PROBLEM="the $3 Job $1 did not finish within \${STEP_TIMEOUT}s"
      break
    fi
    sleep 2
  done
  _mj_claim=$("$KUBECTL" get persistentvolumeclaim "$MIG_PVC" -n "$NAMESPACE" -o jsonpath='{.status.phase}' 2>/dev/null) || _mj_claim=''
  if [ "$_mj_claim" = Pending ]; then
    MIG_PROBLEM="$MIG_PROBLEM: its backup volume claim $MIG_PVC is still Pending, no StorageClass provisioned it (set migration.storageClass / --storage-class to a class that can, or create a default StorageClass)"
  fi
  note "log of Job $1 (last 100 lines):"
  "$KUBECTL" logs "job/$1" -n "$NAMESPACE" --tail=100 >&2 2>/dev/null || note "(no log: the pod never started)"
  return 1
}

# mig_fail_early CODE MESSAGE: a failure before the metadata changed. With MIG_ROLLBACK the source version is restarted.
mig_fail_early() {
  _fe_code=$1
  shift
  if [ "$MIG_ROLLBACK" = 1 ]; then
    note "$*"
    note "the metadata was not changed; restarting Milvus $MIG_SOURCE_VERSION with the recorded replicas (migration.rollbackOnFailure)"
    if mig_restore_replicas && (health_gate "$MIG_SOURCE_TAG" "restart of Milvus $MIG_SOURCE_VERSION"); then
      fail "$_fe_code" "$*. Milvus $MIG_SOURCE_VERSION runs again with its recorded replicas; its metadata was not changed. Fix the cause and re-run: the migration starts again (ConfigMap $MIG_STATE_CM keeps the recorded replicas)."
    fi
    fail "$EXIT_META_ROLLBACK_FAILED" "$*. Restarting Milvus $MIG_SOURCE_VERSION failed too ($MIG_PROBLEM); its metadata was not changed. Scale the deployments back to the replicas recorded in ConfigMap $MIG_STATE_CM ($ST_REPLICAS), or fix the cause and re-run."
  fi
  fail "$_fe_code" "$*. Milvus stays stopped (migration.rollbackOnFailure is off); its metadata was not changed. Fix the cause and re-run to resume, or scale the deployments back to the replicas recorded in ConfigMap $MIG_STATE_CM ($ST_REPLICAS)."
}

# mig_fail_meta MESSAGE: a failure once the metadata may have changed. With MIG_ROLLBACK: the full rollback.
mig_fail_meta() {
  if [ "$MIG_ROLLBACK" = 1 ]; then
    note "$*; rolling back to Milvus $MIG_SOURCE_VERSION (migration.rollbackOnFailure)"
    mig_rollback
    fail "$EXIT_META_MIGRATION_ROLLED_BACK" "$*. Rolled back: the metadata was restored from the backup in PVC $MIG_PVC and release $RELEASE runs Milvus $MIG_SOURCE_VERSION again with its recorded replicas. Fix the cause and re-run: the migration starts again with a fresh backup."
  fi
  fail "$EXIT_META_MIGRATION_FAILED" "$*. Not rolled back (migration.rollbackOnFailure is off): Milvus is stopped or partly started; the progress is recorded on ConfigMap $MIG_STATE_CM (backup=$ST_BACKUP, migrated=$ST_MIGRATE, upgraded=$ST_UPGRADED). Fix the cause and re-run to resume (a finished backup is not repeated; an interrupted migrate restores the backup first), or return to Milvus $MIG_SOURCE_VERSION with the rollback operation (milvus-cluster apply --rollback-migration)."
}

# mig_rollback: back to the source version: stop, restore the metadata from the backup (rollback Job), helm rollback to
# the recorded source revision when the release moved, the recorded replicas, health gate on the source image tag.
mig_rollback() {
  say "      rollback to Milvus $MIG_SOURCE_VERSION:"
  mig_stop || fail "$EXIT_META_ROLLBACK_FAILED" "rollback: stopping Milvus failed: $MIG_PROBLEM. Nothing was restored yet; fix the cause and run the rollback operation (milvus-cluster apply --rollback-migration)."
  say "      rollback 1/4: stopped, $MIG_SESSION_RESULT"
  mig_prepare || fail "$EXIT_META_ROLLBACK_FAILED" "rollback: $MIG_PROBLEM. Milvus is stopped; run the rollback operation again after fixing the cause."
  mig_job "$MIG_ROLLBACK_JOB" "$MIG_FILE_ROLLBACK" rollback ||
    fail "$EXIT_META_ROLLBACK_FAILED" "rollback: restoring the metadata from the backup failed: $MIG_PROBLEM. Milvus is stopped; the backup stays in PVC $MIG_PVC (migration.bak). Do not start Milvus $MIG_SOURCE_VERSION before its metadata is restored: fix the cause and run the rollback operation again (milvus-cluster apply --rollback-migration)."
  mig_mark "$ANN_MIGRATE=rolled-back"
  ST_MIGRATE=rolled-back
  say "      rollback 2/4: restored the metadata from the backup (Job $MIG_ROLLBACK_JOB)"
  _rb_rev=$(mig_current_revision) || fail "$EXIT_META_ROLLBACK_FAILED" "rollback: helm status $RELEASE failed: $(cat "$TMP/err"). The metadata is restored and Milvus is stopped: roll the release back to revision $MIG_SOURCE_REVISION (helm rollback $RELEASE $MIG_SOURCE_REVISION -n $NAMESPACE), then scale the deployments to the replicas recorded in ConfigMap $MIG_STATE_CM."
  if [ "$_rb_rev" != "$MIG_SOURCE_REVISION" ]; then
    note "helm rollback $RELEASE $MIG_SOURCE_REVISION -n $NAMESPACE"
    "$HELM" rollback "$RELEASE" "$MIG_SOURCE_REVISION" -n "$NAMESPACE" --wait --timeout "\${STEP_TIMEOUT}s" >&2 ||
      fail "$EXIT_META_ROLLBACK_FAILED" "rollback: helm rollback $RELEASE $MIG_SOURCE_REVISION failed (helm's output above). The metadata is restored and Milvus is stopped: fix the cause and run the rollback operation again."
    say "      rollback 3/4: release $RELEASE rolled back to revision $MIG_SOURCE_REVISION (Milvus $MIG_SOURCE_VERSION)"
  else
    say "      rollback 3/4: release $RELEASE still runs revision $MIG_SOURCE_REVISION (Milvus $MIG_SOURCE_VERSION); no helm rollback needed"
  fi
  mig_mark "$ANN_UPGRADED-"
  ST_UPGRADED=''
  mig_restore_replicas || fail "$EXIT_META_ROLLBACK_FAILED" "rollback: $MIG_PROBLEM. The metadata and the release are back on $MIG_SOURCE_VERSION; scale the deployments to the replicas recorded in ConfigMap $MIG_STATE_CM ($ST_REPLICAS)."
  (health_gate "$MIG_SOURCE_TAG" "rollback to Milvus $MIG_SOURCE_VERSION") ||
    fail "$EXIT_META_ROLLBACK_FAILED" "rollback: Milvus $MIG_SOURCE_VERSION was restored (metadata, release revision $MIG_SOURCE_REVISION, replicas) but did not become healthy (above); inspect its pods."
  # The source version runs again and writes metadata: the backup no longer matches it.
  mig_mark "$ANN_BACKUP=stale" "$ANN_COMPLETE-"
  ST_BACKUP=stale
  ST_COMPLETE=''
  say "      rollback 4/4: Milvus $MIG_SOURCE_VERSION runs with its recorded replicas ($ST_REPLICAS) and passed its health gate"
}

# mig_cleanup: with MIG_CLEANUP deletes the migration objects; otherwise says what is kept.
mig_cleanup() {
  if [ "$MIG_CLEANUP" != 1 ]; then
    say "      kept: the backup in PVC $MIG_PVC and the record in ConfigMap $MIG_STATE_CM (delete them when no longer needed; migration.cleanup deletes them)"
    return 0
  fi
  for _cl_job in "$MIG_BACKUP_JOB" "$MIG_MIGRATE_JOB" "$MIG_ROLLBACK_JOB"; do
    "$KUBECTL" delete job "$_cl_job" -n "$NAMESPACE" --ignore-not-found >/dev/null 2>&1 || note "could not delete Job $_cl_job"
  done
  "$KUBECTL" delete configmap "$MIG_TOOLS_CM" "$MIG_STATE_CM" -n "$NAMESPACE" --ignore-not-found >/dev/null 2>&1 || note "could not delete ConfigMaps $MIG_TOOLS_CM $MIG_STATE_CM"
  "$KUBECTL" delete persistentvolumeclaim "$MIG_PVC" -n "$NAMESPACE" --ignore-not-found >/dev/null 2>&1 || note "could not delete PVC $MIG_PVC"
  say "      cleaned up: the Jobs, ConfigMaps $MIG_TOOLS_CM and $MIG_STATE_CM, the backup PVC $MIG_PVC (migration.cleanup)"
}

# mig_session_plan: how the stop waits for the etcd sessions (for the dry run).
mig_session_plan() {
  if [ -n "$ETCD_POD" ]; then
    printf 'poll the etcd session keys until none is left (etcdctl in pod %s, at most %ss)' "$ETCD_POD" "$MIG_SESSION_WAIT"
  else
    printf 'wait %ss for the etcd sessions to expire (no etcd pod of the release to query)' "$MIG_SESSION_WAIT"
  fi
}

# mig_dry_run: the phases the migration step would run (S_* loaded, pre-checks passed).
mig_dry_run() {
  if [ "$MIG_EXISTS" = 1 ] && [ "$ST_COMPLETE" != 'done' ]; then _dr_source=$ST_SOURCE_VERSION; else _dr_source=$(ver_core "$CUR_VERSION"); fi
  say "[$S_INDEX/$STEP_COUNT] $S_LABEL ... would run: metadata migration $_dr_source -> $S_VERSION, offline (every Milvus component at 0 replicas from the stop until the health gate passes) [R-META-MIGRATION]"
  say "      pre-checks passed: $(printf '%s' "$MIG_DEPLOYS" | awk 'END { print NR }') Milvus deployment(s), none scaled by an HPA; etcd $MIG_ETCD ($MIG_ETCD_SOURCE); backup volume: $MIG_SC_NOTE"
  if [ "$MIG_EXISTS" = 1 ] && [ "$ST_COMPLETE" != 'done' ]; then
    say "      1. reuse the replicas recorded by an earlier run in ConfigMap $MIG_STATE_CM: $ST_REPLICAS"
  else
    say "      1. record the replicas in ConfigMap $MIG_STATE_CM: $(printf '%s' "$MIG_DEPLOYS" | tr '\\n' ' ')"
  fi
  if [ "$ST_MIGRATE" = 'done' ]; then
    say "      2-4. stop, back up, migrate: done by an earlier run"
  else
    say "      2. stop: scale every Milvus deployment to 0, wait until no pod is left, then $(mig_session_plan)"
    if [ "$ST_BACKUP" = 'done' ]; then
      say "      3. back up: done by an earlier run (PVC $MIG_PVC), skipped"
    else
      say "      3. back up the metadata into PVC $MIG_PVC (Job $MIG_BACKUP_JOB from $MIG_FILE_BACKUP)"
    fi
    case $ST_MIGRATE in
      started | failed) say "      4. restore the metadata from the backup (an earlier migrate did not finish), then migrate it (Job $MIG_MIGRATE_JOB, root path $MIG_ROOT_PATH)" ;;
      *) say "      4. migrate the metadata (Job $MIG_MIGRATE_JOB from $MIG_FILE_MIGRATE: cmd.type run, root path $MIG_ROOT_PATH)" ;;
    esac
  fi
  if [ "$ST_UPGRADED" = 'done' ]; then
    say "      5. helm upgrade: done by an earlier run; restore the recorded replicas, health gate (image tag $S_TAG)"
  else
    say "      5. helm upgrade to chart $S_CHART with $S_FILE, restore the recorded replicas, health gate (image tag $S_TAG)"
  fi
  if [ "$MIG_ROLLBACK" = 1 ]; then
    say "      on failure: roll back by itself (restore the metadata from the backup, helm rollback to the 2.1 revision, restore the replicas, health gate)"
  else
    say "      on failure: stop and keep the progress for a re-run (migration.rollbackOnFailure is off)"
  fi
  if [ "$MIG_CLEANUP" = 1 ]; then
    say "      afterwards: delete the migration objects and the backup (migration.cleanup)"
  else
    say "      afterwards: keep the backup PVC $MIG_PVC and ConfigMap $MIG_STATE_CM"
  fi
}

# mig_run_step: the migration step (S_* loaded, pre-checks passed): record, stop, back up, migrate, helm upgrade,
# restore replicas, health gate. Each finished phase is recorded; a re-run skips it.
mig_run_step() {
  _mr_started=$(date +%s)
  if [ "$MIG_EXISTS" = 1 ] && [ "$ST_COMPLETE" = 'done' ]; then
    note "ConfigMap $MIG_STATE_CM records an earlier, completed migration; recording this one anew"
    "$KUBECTL" delete configmap "$MIG_STATE_CM" -n "$NAMESPACE" >/dev/null 2>"$TMP/err" || fail "$EXIT_UNEXPECTED" "deleting the old ConfigMap $MIG_STATE_CM failed: $(cat "$TMP/err")"
    MIG_EXISTS=0
    ST_BACKUP='' ST_MIGRATE='' ST_UPGRADED='' ST_COMPLETE=''
  fi
  if [ "$MIG_EXISTS" = 1 ]; then
    MIG_SOURCE_VERSION=$ST_SOURCE_VERSION MIG_SOURCE_REVISION=$ST_SOURCE_REVISION MIG_SOURCE_TAG=$ST_SOURCE_TAG
  else
    MIG_SOURCE_VERSION=$(ver_core "$CUR_VERSION")
    MIG_SOURCE_TAG=$CUR_TAG
    if [ "$STEP_RAN" = 1 ] || [ -z "$VALUES_REVISION" ]; then
      MIG_SOURCE_REVISION=$(mig_current_revision) || fail "$EXIT_LIVE_STATE_UNREADABLE" "helm status $RELEASE failed: $(cat "$TMP/err")"
    else
      MIG_SOURCE_REVISION=$VALUES_REVISION
    fi
  fi
  case $MIG_SOURCE_VERSION in
    2.1.*) ;;
    *) fail "$EXIT_META_MIGRATION_REQUIRED" "the metadata migration starts from Milvus 2.1.x, but the release runs $MIG_SOURCE_VERSION [R-META-SOURCE]; upgrade to the newest 2.1.x first. Nothing of the migration was changed." ;;
  esac
  say "[$S_INDEX/$STEP_COUNT] $S_LABEL: metadata migration $MIG_SOURCE_VERSION -> $S_VERSION, offline until the health gate passes [R-META-MIGRATION]"
  if [ "$MIG_EXISTS" = 1 ]; then
    say "      1/5 reusing the replicas recorded by an earlier run in ConfigMap $MIG_STATE_CM: $ST_REPLICAS"
  else
    mig_create_state
    say "      1/5 recorded the replicas in ConfigMap $MIG_STATE_CM: $ST_REPLICAS"
  fi
  if [ "$ST_MIGRATE" != 'done' ]; then
    mig_stop || mig_fail_early "$EXIT_META_STOP_FAILED" "stopping Milvus $MIG_SOURCE_VERSION for the migration failed: $MIG_PROBLEM"
    say "      2/5 stopped: every Milvus deployment at 0 replicas, no pod left, $MIG_SESSION_RESULT"
    mig_prepare || mig_fail_early "$EXIT_META_BACKUP_FAILED" "preparing the backup failed: $MIG_PROBLEM"
    if [ "$ST_BACKUP" = 'done' ]; then
      say "      3/5 backup: done by an earlier run (PVC $MIG_PVC), skipped"
    else
      mig_job "$MIG_BACKUP_JOB" "$MIG_FILE_BACKUP" backup || mig_fail_early "$EXIT_META_BACKUP_FAILED" "the metadata backup failed: $MIG_PROBLEM"
      mig_mark "$ANN_BACKUP=done"
      ST_BACKUP='done'
      say "      3/5 backed up the metadata into PVC $MIG_PVC (Job $MIG_BACKUP_JOB)"
    fi
    if [ "$ST_MIGRATE" = started ] || [ "$ST_MIGRATE" = failed ]; then
      note "an earlier migrate Job did not finish: restoring the metadata from the backup before migrating again"
      mig_job "$MIG_ROLLBACK_JOB" "$MIG_FILE_ROLLBACK" restore || mig_fail_meta "restoring the metadata before the retry failed: $MIG_PROBLEM"
    fi
    mig_mark "$ANN_MIGRATE=started"
    ST_MIGRATE=started
    if mig_job "$MIG_MIGRATE_JOB" "$MIG_FILE_MIGRATE" migrate; then :; else
      mig_mark "$ANN_MIGRATE=failed"
      ST_MIGRATE=failed
      mig_fail_meta "the metadata migration failed: $MIG_PROBLEM"
    fi
    mig_mark "$ANN_MIGRATE=done"
    ST_MIGRATE='done'
    say "      4/5 migrated the metadata to the $S_VERSION layout (Job $MIG_MIGRATE_JOB)"
  else
    say "      2-4/5 stop, backup and migrate: done by an earlier run"
  fi
  if [ "$ST_UPGRADED" != 'done' ]; then
    # Never --atomic here: helm's own rollback would start the source version on migrated metadata.
    helm_upgrade 0 noatomic || mig_fail_meta "helm upgrade to $S_LABEL failed (helm's output above)"
    mig_mark "$ANN_UPGRADED=done"
    ST_UPGRADED='done'
  fi
  mig_restore_replicas || mig_fail_meta "restoring the recorded replicas failed: $MIG_PROBLEM"
  (health_gate "$S_TAG" "step $S_INDEX/$STEP_COUNT ($S_LABEL)") || mig_fail_meta "the health gate of $S_LABEL failed (above)"
  mig_mark "$ANN_COMPLETE=done"
  ST_COMPLETE='done'
  say "      5/5 Milvus $S_VERSION (chart $S_CHART) runs with the recorded replicas; every deployment is ready with image tag $S_TAG"
  mig_cleanup
  say "[$S_INDEX/$STEP_COUNT] $S_LABEL ... done in $(fmt_duration $(($(date +%s) - _mr_started))) (metadata migration)"
}

# mig_rollback_operation: the rollback operation (OPERATION=rollback-migration): back to the recorded 2.1 source.
mig_rollback_operation() {
  read_live
  [ "$LIVE_EXISTS" = 1 ] || fail "$EXIT_META_NO_BACKUP" "release $RELEASE does not exist in namespace $NAMESPACE: there is no migration to roll back"
  # A pending-upgrade or pending-rollback left by the migration's helm step is what this rollback resolves (helm rollback
  # to the recorded revision, after the metadata is restored); an interrupted install has nothing to roll back to.
  case $LIVE_STATUS in pending-install) check_status ;; esac
  read_values ''
  is_version "$LIVE_TAG" || fail "$EXIT_LIVE_STATE_UNREADABLE" "image.all.tag of release $RELEASE is '$LIVE_TAG', not a Milvus version"
  LIVE_VERSION=\${LIVE_TAG#v}
  mig_read_state
  [ "$MIG_EXISTS" = 1 ] || fail "$EXIT_META_NO_BACKUP" "there is no migration state ConfigMap $MIG_STATE_CM: no metadata migration of release $RELEASE was recorded, so there is no backup to roll back to. Nothing was changed."
  if [ "$ST_MIGRATE" = rolled-back ]; then
    say "the migration of release $RELEASE was already rolled back: Milvus $ST_SOURCE_VERSION runs on its restored metadata; nothing to do"
    exit "$EXIT_SUCCESS"
  fi
  [ "$ST_BACKUP" = 'done' ] || fail "$EXIT_META_NO_BACKUP" "ConfigMap $MIG_STATE_CM records no finished backup (backup='$ST_BACKUP'), so there is nothing to restore. The metadata of Milvus $ST_SOURCE_VERSION is changed only after a backup: scale the deployments back to the recorded replicas ($ST_REPLICAS) or re-run the upgrade. Nothing was changed."
  if [ "$(ver_cmp "$LIVE_VERSION" "$MIG_VERSION")" -gt 0 ]; then
    fail "$EXIT_DOWNGRADE_REFUSED" "release $RELEASE runs Milvus $LIVE_VERSION, past the migration to $MIG_VERSION; rolling back to $ST_SOURCE_VERSION would discard every later upgrade [R-DOWNGRADE]. Restore from a milvus-backup instead. Nothing was changed."
  fi
  "$KUBECTL" get persistentvolumeclaim "$MIG_PVC" -n "$NAMESPACE" -o name >/dev/null 2>"$TMP/err" ||
    fail "$EXIT_META_NO_BACKUP" "the backup volume claim $MIG_PVC cannot be read ($(head -n 1 "$TMP/err")); without it there is nothing to restore. Nothing was changed."
  if [ "$ST_COMPLETE" = 'done' ]; then
    note "the migration to $MIG_VERSION had completed: metadata written by Milvus $MIG_VERSION since then is lost by this rollback"
  fi
  mig_list_deployments || fail "$EXIT_META_MIGRATION_REQUIRED" "$MIG_PROBLEM. Nothing was changed."
  mig_check_hpa
  mig_discover_etcd
  MIG_SOURCE_VERSION=$ST_SOURCE_VERSION MIG_SOURCE_REVISION=$ST_SOURCE_REVISION MIG_SOURCE_TAG=$ST_SOURCE_TAG
  if [ "$DRY_RUN" = 1 ]; then
    say "rollback of the metadata migration of release $RELEASE (live Milvus $LIVE_VERSION, revision $LIVE_REVISION, $LIVE_STATUS) to Milvus $MIG_SOURCE_VERSION would run:"
    say "      1. stop: scale every Milvus deployment to 0, wait until no pod is left, then $(mig_session_plan)"
    say "      2. restore the metadata from the backup in PVC $MIG_PVC (Job $MIG_ROLLBACK_JOB from $MIG_FILE_ROLLBACK, etcd $MIG_ETCD)"
    if [ "$LIVE_REVISION" != "$MIG_SOURCE_REVISION" ]; then
      say "      3. helm rollback $RELEASE $MIG_SOURCE_REVISION (the revision that ran Milvus $MIG_SOURCE_VERSION)"
    else
      say "      3. no helm rollback: the release still runs revision $MIG_SOURCE_REVISION"
    fi
    say "      4. restore the recorded replicas ($ST_REPLICAS), health gate (image tag $MIG_SOURCE_TAG)"
    say "dry run: nothing changed"
    exit "$EXIT_SUCCESS"
  fi
  note "rolling the metadata migration of release $RELEASE back to Milvus $MIG_SOURCE_VERSION (live Milvus $LIVE_VERSION, revision $LIVE_REVISION, $LIVE_STATUS)"
  mig_rollback
  say "release $RELEASE is back on Milvus $MIG_SOURCE_VERSION with its metadata restored from the backup"
  exit "$EXIT_SUCCESS"
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
