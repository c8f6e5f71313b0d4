/**
 * The credential scan behind R-INPUT (src/values/scan.ts): which keys of Milvus' config and of the bundled subcharts
 * carry a credential, and which only name or configure one. The bad-input catalogue runs the scan through every
 * surface; this table pins the key classification.
 */
import { isCredentialKey, plainCredentialProblems } from "../../src/values/scan";

describe("isCredentialKey", () => {
  it.each([
    // Milvus config (milvus.yaml)
    "accessKeyID", "secretAccessKey", "password", "authParams", "saslPassword", "saslUsername", "defaultRootPassword", "gcpCredentialJSON",
    // subcharts: etcd, MinIO, Kafka, Pulsar
    "rootPassword", "accessKey", "secretKey", "rootUser", "clientPasswords", "interBrokerPassword", "zookeeperPassword", "token",
    // environment variable names
    "MINIO_SECRET_ACCESS_KEY", "KAFKA_SASL_PASSWORD", "PULSAR_AUTH_PARAMS", "MINIO_ACCESS_KEY_ID",
  ])("%s holds a credential", (key) => {
    expect(isCredentialKey(key)).toBe(true);
  });

  it.each(["existingSecret", "existingSecretPasswordKey", "secretName", "passwordFile", "tokenExpiry", "usePassword", "passwordLength", "secretKeyRef", "authPlugin", "userName", "enabled", "replicas", "PULSAR_AUTH_PLUGIN"])(
    "%s does not",
    (key) => {
      expect(isCredentialKey(key)).toBe(false);
    },
  );
});

describe("plainCredentialProblems", () => {
  it("finds strings, numbers, lists, env entries and config files, and ignores empty values, booleans and Secret references", () => {
    const problems = plainCredentialProblems(
      {
        minio: { accessKey: "", secretKey: null, existingSecret: "minio-creds", rootPassword: 1234 },
        etcd: { auth: { rbac: { create: false, rootPassword: "x" } } },
        kafka: { auth: { sasl: { jaas: { clientPasswords: ["p1"], clientUsers: ["u"] } } } },
        queryNode: { extraEnv: [{ name: "KAFKA_SASL_PASSWORD", valueFrom: { secretKeyRef: { name: "k", key: "p" } } }, { name: "MINIO_SECRET_ACCESS_KEY", value: "s" }] },
        extraConfigFiles: { "user.yaml": "etcd:\n  auth:\n    password: 42\n" },
        pulsarv3: { auth: { authentication: { jwt: { usingSecretKey: false } } } },
      },
      "helmValues",
    );
    expect(problems.map((p) => p.field).sort()).toEqual(
      [
        "helmValues.etcd.auth.rbac.rootPassword",
        "helmValues.extraConfigFiles.user.yaml.etcd.auth.password",
        "helmValues.kafka.auth.sasl.jaas.clientPasswords",
        "helmValues.minio.rootPassword",
        "helmValues.queryNode.extraEnv.1.value",
      ].sort(),
    );
    expect(problems.every((p) => p.ruleId === "R-INPUT" && p.fix.includes("Secret"))).toBe(true);
  });
});
