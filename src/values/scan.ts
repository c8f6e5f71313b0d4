/**
 * Scans of what a release's values will hold, whatever the path or type: credentials given in plain text (R-INPUT)
 * and a message queue switched through Milvus' own configuration (R-MQ-KEEP). Everything `helmValues` and
 * `milvusConfig` carry ends up in the Helm values, in the executor's ConfigMap and in the Job's files, so a credential
 * found anywhere in them is refused before anything is registered or synthesized.
 */
import type { InputProblem } from "../errors";
import type { MessageQueue } from "../spec/types";
import { parseYamlMapping, YamlTextError } from "../spec/file";
import { isPlainObject } from "./merge";

/**
 * Keys that carry a credential, in Milvus' config (minio.accessKeyID/secretAccessKey, etcd.auth.password,
 * pulsar.authParams, kafka.saslPassword, common.security.defaultRootPassword, minio.gcpCredentialJSON) and in the values
 * of each bundled subchart (etcd auth.rbac.rootPassword; MinIO accessKey/secretKey/rootPassword; Kafka
 * auth.sasl.jaas.clientPasswords/interBrokerPassword/zookeeperPassword, auth.tls.password; Pulsar
 * pulsar_manager.admin.password, auth tokens). Matched against the key lower-cased with '_', '-' and '.' removed,
 * the way Milvus maps environment variables onto its config (MINIO_SECRET_ACCESS_KEY -> miniosecretaccesskey).
 */
const CREDENTIAL_KEY = /(password|passwd|passphrase|secretkey|secretaccesskey|accesskey|authparams|token|credential|privatekey|apikey|jaas|rootuser|sasluser)/;

/** Keys that name, locate or configure a secret instead of holding one (existingSecret, passwordFile, tokenTTL, ...). */
const REFERENCE_PREFIX = /^(existing|use|enable|create|allow)/;
const REFERENCE_SUFFIX = /(secretname|secretref|keyref|(?<!user)name|file|path|enabled|mount|dir|ttl|expiry|expiration|length|policy|provider|plugin|type|mode|header)$/;
/** Keys ending in "key" that hold the credential itself; any other "...Key" names a key inside a Secret. */
const CREDENTIAL_KEY_SUFFIX = /(secretkey|secretaccesskey|accesskey|apikey|privatekey)$/;

/** True when a values or config key (or an environment variable name) carries a credential. */
export function isCredentialKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_.]/g, "");
  if (!CREDENTIAL_KEY.test(k) || REFERENCE_PREFIX.test(k) || REFERENCE_SUFFIX.test(k)) return false;
  return !k.endsWith("key") || CREDENTIAL_KEY_SUFFIX.test(k);
}

/** A value that is a credential when it sits under a credential key: a non-empty string or any number. */
function plainSecret(value: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "") || typeof value === "number" || typeof value === "bigint";
}

/**
 * Parses a Milvus config file given as a string in `extraConfigFiles`, or returns the problem: the same linear,
 * bounded parser as spec files (no alias bombs, no stack-exhausting nesting, no duplicate keys, one mapping).
 */
export function parseConfigFile(text: string, field: string): { doc?: Record<string, unknown>; problem?: InputProblem } {
  if (text.trim() === "") return { doc: {} };
  try {
    return { doc: parseYamlMapping(text) };
  } catch (e) {
    if (!(e instanceof YamlTextError)) throw e;
    const where = e.at ? ` at line ${e.at.line}, column ${e.at.col}` : "";
    return { problem: { field, ruleId: "R-CONFIG-FILES", message: `is not a usable milvus.yaml document${where}: ${e.message}`, fix: "write one YAML mapping of milvus.yaml settings (or use milvusConfig)" } };
  }
}

const CREDENTIAL_FIX = "put the credential in a Kubernetes Secret and reference it (externalObjectStorage.accessKeyId/secretAccessKey, externalKafka.saslUsername/saslPassword, externalPulsar.authParams, minioCredentialsSecret, or an extraEnv entry with valueFrom.secretKeyRef)";

/**
 * Every plain credential in a values tree: keys of Milvus' config or a subchart that carry one, with a string or
 * numeric value; extraEnv-style `{ name, value }` entries whose name is a credential; and the same inside config
 * files given as YAML strings under `extraConfigFiles`. Returns the problems, each naming the full field path.
 * @param tree the object to scan (helmValues or milvusConfig)
 * @param prefix field prefix, e.g. "helmValues"
 */
export function plainCredentialProblems(tree: unknown, prefix: string): InputProblem[] {
  const out: InputProblem[] = [];
  const visit = (node: unknown, path: string[], inConfigFiles: boolean): void => {
    const field = [prefix, ...path].join(".");
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if (isPlainObject(item) && typeof item["name"] === "string" && isCredentialKey(item["name"]) && plainSecret(item["value"])) {
          out.push({ field: `${field}.${i}.value`, ruleId: "R-INPUT", message: `environment variable ${item["name"]} holds a plain credential; it would be stored in the values and ConfigMaps`, fix: CREDENTIAL_FIX });
          return;
        }
        visit(item, [...path, String(i)], false);
      });
      return;
    }
    if (!isPlainObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (inConfigFiles && typeof v === "string") {
        // An unparsable file scans as nothing here; valuesFor reports it (R-CONFIG-FILES).
        out.push(...plainCredentialProblems(parseConfigFile(v, `${field}.${k}`).doc, `${field}.${k}`));
        continue;
      }
      if (isCredentialKey(k) && (plainSecret(v) || (Array.isArray(v) && v.some(plainSecret)))) {
        out.push({ field: `${field}.${k}`, ruleId: "R-INPUT", message: `${k} looks like a credential (${typeof v}); it would be stored in plain text in the values and ConfigMaps`, fix: CREDENTIAL_FIX });
        continue;
      }
      visit(v, [...path, k], path.length === 0 && k === "extraConfigFiles");
    }
  };
  visit(tree, [], false);
  return out;
}

/**
 * The `mq.type` value of Milvus' config for each queue (docs v2.6.x configure_mq); also the chart's
 * `standalone.messageQueue` value, which uses the same names.
 */
export const MQ_TYPE_OF: Readonly<Record<MessageQueue, string>> = {
  pulsar: "pulsar",
  pulsarv3: "pulsar",
  "external-pulsar": "pulsar",
  kafka: "kafka",
  "external-kafka": "kafka",
  rocksmq: "rocksmq",
  natsmq: "natsmq",
  woodpecker: "woodpecker",
};

/**
 * Refuses a message queue chosen through configuration that contradicts the release's queue (R-MQ-KEEP):
 * `mq.type` in a config document (milvusConfig, or a file in extraConfigFiles) other than `default` or the queue's
 * own type would make Milvus switch queues under the chart's feet.
 * @param config a milvus.yaml document
 * @param field the field it came from
 * @param queue the release's message queue
 */
export function mqTypeProblem(config: Record<string, unknown>, field: string, queue: MessageQueue): InputProblem | undefined {
  const mq = config["mq"];
  if (!isPlainObject(mq) || mq["type"] === undefined) return undefined;
  const type = mq["type"];
  const expected = MQ_TYPE_OF[queue];
  if (type === "default" || type === expected) return undefined;
  return {
    field: `${field}.mq.type`,
    ruleId: "R-MQ-KEEP",
    message: `mq.type ${JSON.stringify(type)} contradicts the release's message queue ${queue} (mq.type ${expected}); the queue never changes through configuration`,
    fix: `remove mq.type (or set it to "default" or "${expected}"); the queue is chosen with messageQueue and never changes inside an upgrade`,
  };
}
