/**
 * No credential leaks: with credentials given to every surface, scan everything the library produces (Pulumi
 * resource inputs other than the credentials Secret, component outputs, executor ConfigMap and values files, the
 * cdk8s manifests, the CLI's plan JSON) for the credential values.
 */
import * as pulumi from "@pulumi/pulumi";
import { Chart, Testing } from "cdk8s";
import { planUpgrade } from "../../src";
import { MilvusCluster as Cdk8sMilvusCluster } from "../../src/cdk8s";
import { MilvusCluster } from "../../src/pulumi";
import { installMocks, registered, resolved, settle } from "../pulumi/helpers";

const CREDENTIALS = {
  accessKeyId: "AKIA-LEAK-0001",
  secretAccessKey: "s3-secret-LEAK-0002",
  saslUsername: "kafka-user-LEAK-0003",
  saslPassword: "kafka-pass-LEAK-0004",
};
const LEAKS = Object.values(CREDENTIALS);

const leaksIn = (text: string) => LEAKS.filter((v) => text.includes(v));

beforeAll(async () => {
  await installMocks();
});

describe("no credential reaches anything but the credentials Secret", () => {
  it("Pulumi: every resource input except the Secret, and every output, is free of credential values", async () => {
    const before = registered.length;
    const m = new MilvusCluster("leakcheck", {
      namespace: "milvus",
      version: "2.6.4",
      expectedFrom: "2.5.8",
      messageQueue: "external-kafka",
      externalKafka: {
        brokerList: "kafka-0.example.com:9092",
        saslUsername: pulumi.secret(CREDENTIALS.saslUsername),
        saslPassword: pulumi.secret(CREDENTIALS.saslPassword),
      },
      externalObjectStorage: {
        host: "s3.example.com",
        bucket: "vectors",
        accessKeyId: pulumi.secret(CREDENTIALS.accessKeyId),
        secretAccessKey: pulumi.secret(CREDENTIALS.secretAccessKey),
      },
    });
    await settle(m.endpoint, m.stops, m.chartVersion);
    const mine = registered.slice(before);
    const types = mine.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["kubernetes:core/v1:Secret", "kubernetes:core/v1:ConfigMap", "kubernetes:batch/v1:Job", "kubernetes:helm.sh/v3:Release"]));
    for (const r of mine) {
      if (r.type === "kubernetes:core/v1:Secret") {
        // The one place credentials live; they are marked secret there.
        expect(leaksIn(JSON.stringify(r.inputs)).sort()).toEqual([...LEAKS].sort());
        continue;
      }
      expect({ resource: `${r.type} ${r.name}`, leaks: leaksIn(JSON.stringify(r.inputs)) }).toEqual({ resource: `${r.type} ${r.name}`, leaks: [] });
    }
    const secret = m.credentialsSecret!;
    const data = (secret as unknown as { stringData: pulumi.Output<unknown> }).stringData;
    expect(await pulumi.isSecret(data)).toBe(true);
    const outputs = await Promise.all([m.releaseName, m.namespace, m.version, m.chartVersion, m.endpoint, m.stops].map((o) => resolved(o as pulumi.Output<unknown>)));
    expect(leaksIn(JSON.stringify(outputs))).toEqual([]);
  });

  it("cdk8s: the synthesized Job, ConfigMap and values reference Secrets by name and key only", () => {
    const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
    new Cdk8sMilvusCluster(chart, "milvus", {
      version: "2.6.4",
      from: "2.5.8",
      messageQueue: "pulsar",
      externalObjectStorage: { host: "s3.example.com", bucket: "vectors", accessKeyId: { name: "s3-creds", key: "id" }, secretAccessKey: { name: "s3-creds", key: "secret" } },
    });
    const manifests = Testing.synth(chart);
    const text = JSON.stringify(manifests);
    expect(manifests.some((m) => m.kind === "Secret")).toBe(false);
    expect(text).toContain("secretKeyRef");
    // No credential-shaped plain values in any ConfigMap or Job.
    expect(text).not.toMatch(/"(accessKey|secretKey|password)":"[^"]+"/);
  });

  it("plan JSON (CLI -o json) carries Secret references, never values", () => {
    const plan = planUpgrade({
      to: {
        version: "2.6.4",
        messageQueue: "external-kafka",
        externalKafka: { brokerList: "kafka-0.example.com:9092", saslUsername: { name: "kafka", key: "user" }, saslPassword: { name: "kafka", key: "pass" } },
      },
    });
    const text = JSON.stringify(plan);
    expect(text).toContain('"secretKeyRef":{"name":"kafka","key":"pass"}');
    expect(text).not.toMatch(/"password":"[^"]+"/);
  });
});
