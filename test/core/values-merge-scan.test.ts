/**
 * The helpers under valuesFor, table by table (issue #16, src/values/merge.ts and src/values/scan.ts): deep merge
 * and path access of Helm values, and the scans that refuse plain credentials (R-INPUT) and queue switches through
 * configuration (R-MQ-KEEP) whatever the path or type.
 */
import type { MessageQueue } from "../../src/spec/types";
import { deepMerge, getPath, isPlainObject, leafPaths, setPath } from "../../src/values/merge";
import { isCredentialKey, MQ_TYPE_OF, mqTypeProblem, parseConfigFile, plainCredentialProblems } from "../../src/values/scan";

describe("merge.ts", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ["maps merge key by key", { a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } }, { a: { b: 1, c: 3, d: 4 } }],
    ["arrays replace", { a: [1, 2, 3] }, { a: [4] }, { a: [4] }],
    ["a scalar replaces a map", { a: { b: 1 } }, { a: 5 }, { a: 5 }],
    ["a map replaces a scalar", { a: 5 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["null replaces", { a: { b: 1 } }, { a: null }, { a: null }],
    ["base keys stay", { a: 1, b: 2 }, { c: 3 }, { a: 1, b: 2, c: 3 }],
    ["deep", { a: { b: { c: { d: 1 } } } }, { a: { b: { c: { e: 2 } } } }, { a: { b: { c: { d: 1, e: 2 } } } }],
  ])("deepMerge: %s", (_name, base, over, expected) => {
    expect(deepMerge(base, over)).toEqual(expected);
  });

  it("deepMerge copies what it takes from the override: changing the result leaves the user's helmValues", () => {
    const base = { a: { b: 1 } };
    const over = { a: { x: { y: 1 } }, c: { d: [{ e: 1 }] }, f: { g: 1 } };
    const out = deepMerge(base, over) as { a: { b: number; x: { y: number } }; c: { d: { e: number }[] }; f: { g: number } };
    out.a.x.y = 2;
    out.c.d[0]!.e = 2;
    out.c.d.push({ e: 3 });
    out.f.g = 2;
    expect(over).toEqual({ a: { x: { y: 1 } }, c: { d: [{ e: 1 }] }, f: { g: 1 } });
    expect(base).toEqual({ a: { b: 1 } });
  });

  it.each<[unknown, boolean]>([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    [undefined, false],
    ["x", false],
    [1, false],
  ])("isPlainObject(%p) is %p", (v, expected) => {
    expect(isPlainObject(v)).toBe(expected);
  });

  it("leafPaths: every leaf with its value; arrays and empty maps are leaves", () => {
    expect(leafPaths({ a: { b: 1, c: { d: "x" } }, e: [1, { f: 2 }], g: {}, h: null })).toEqual([
      [["a", "b"], 1],
      [["a", "c", "d"], "x"],
      [["e"], [1, { f: 2 }]],
      [["g"], {}],
      [["h"], null],
    ]);
  });

  it.each<[string, unknown, string[], unknown]>([
    ["a nested value", { a: { b: { c: 1 } } }, ["a", "b", "c"], 1],
    ["a map", { a: { b: { c: 1 } } }, ["a", "b"], { c: 1 }],
    ["a missing key", { a: {} }, ["a", "b"], undefined],
    ["through a scalar", { a: 5 }, ["a", "b"], undefined],
    ["through an array", { a: [1] }, ["a", "0"], undefined],
    ["through null", { a: null }, ["a", "b"], undefined],
    ["the empty path", { a: 1 }, [], { a: 1 }],
  ])("getPath: %s", (_name, obj, path, expected) => {
    expect(getPath(obj, path)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string[], Record<string, unknown>]>([
    ["creates intermediate maps", {}, ["a", "b", "c"], { a: { b: { c: 7 } } }],
    ["keeps siblings", { a: { x: 1 } }, ["a", "b"], { a: { x: 1, b: 7 } }],
    ["replaces a scalar on the way", { a: 5 }, ["a", "b"], { a: { b: 7 } }],
    ["replaces an array on the way", { a: [1] }, ["a", "b"], { a: { b: 7 } }],
    ["a top-level key", { x: 1 }, ["a"], { x: 1, a: 7 }],
  ])("setPath: %s", (_name, obj, path, expected) => {
    setPath(obj, path, 7);
    expect(obj).toEqual(expected);
  });
});

describe("scan.ts: isCredentialKey", () => {
  it.each<[string, boolean]>([
    ["password", true],
    ["rootPassword", true],
    ["secretKey", true],
    ["secret_access_key", true],
    ["MINIO_SECRET_ACCESS_KEY", true],
    ["accessKey", true],
    ["accessKeyID", true],
    ["authParams", true],
    ["token", true],
    ["apiKey", true],
    ["privateKey", true],
    ["jaas", true],
    ["rootUser", true],
    ["KAFKA_SASL_USERNAME", true],
    ["credentialJSON", true],
    ["passphrase", true],
    ["existingSecret", false],
    ["existingSecretPasswordKey", false],
    ["useIAM", false],
    ["passwordFile", false],
    ["tokenTTL", false],
    ["passwordSecretName", false],
    ["secretKeyRef", false],
    ["passwordKey", false],
    ["tokenKey", false],
    ["enableToken", false],
    ["createPassword", false],
    ["allowPasswordLogin", false],
    ["authPlugin", false],
    ["tokenExpiry", false],
    ["passwordLength", false],
    ["passwordPolicy", false],
    ["username", false],
    ["host", false],
    ["tokenUserName", true],
  ])("%s: %p", (key, expected) => {
    expect(isCredentialKey(key)).toBe(expected);
  });
});

describe("scan.ts: plainCredentialProblems", () => {
  it.each<[string, unknown, string[]]>([
    ["a string under a credential key", { minio: { secretAccessKey: "s" } }, ["v.minio.secretAccessKey"]],
    ["a number", { etcd: { auth: { rbac: { rootPassword: 1234 } } } }, ["v.etcd.auth.rbac.rootPassword"]],
    ["a bigint", { a: { password: BigInt(5) } }, ["v.a.password"]],
    ["a list with a secret", { kafka: { auth: { sasl: { jaas: { clientPasswords: ["p1"] } } } } }, ["v.kafka.auth.sasl.jaas.clientPasswords"]],
    ["a blank string is not a credential", { password: "  " }, []],
    ["a boolean is not a credential", { password: true }, []],
    ["a list of blanks is not", { passwords: ["", " "] }, []],
    ["a map under a credential key is scanned inside", { password: { file: "/x", value: "s" } }, []],
    ["a reference key is not", { existingSecret: "s" }, []],
    ["env entries with a plain credential", { proxy: { extraEnv: [{ name: "DB_PASSWORD", value: "s" }, { name: "LOG", value: "x" }] } }, ["v.proxy.extraEnv.0.value"]],
    ["env entries with a blank value", { proxy: { extraEnv: [{ name: "DB_PASSWORD", value: "" }] } }, []],
    ["env entries referencing a Secret", { proxy: { extraEnv: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] } }, []],
    ["a list item without a name is scanned as a map", { list: [{ password: "s" }] }, ["v.list.0.password"]],
    ["nested lists", { list: [[{ token: "t" }]] }, ["v.list.0.0.token"]],
    ["config files under top-level extraConfigFiles are parsed", { extraConfigFiles: { "a.yaml": "minio:\n  accessKeyID: AKIA\n", "b.yaml": "log: {}\n" } }, ["v.extraConfigFiles.a.yaml.minio.accessKeyID"]],
    ["an unparsable config file yields no credential problem (the file check reports it)", { extraConfigFiles: { "a.yaml": "password: [" } }, []],
    ["extraConfigFiles below the top level is not a config-file map", { sub: { extraConfigFiles: { "a.yaml": "password: s" } } }, []],
    ["below a config file map, maps are scanned as values", { extraConfigFiles: { nested: { password: "s" } } }, ["v.extraConfigFiles.nested.password"]],
    ["a scalar tree", "x", []],
    ["an env entry with a plain credential is reported once, as its value", { e: [{ name: "DB_PASSWORD", value: "s", password: "t" }] }, ["v.e.0.value"]],
    ["strings in list items are values, not config files", { extraConfigFiles: [{ a: "password: s" }] }, []],
    ["a config file named like a credential is parsed, not refused by its name", { extraConfigFiles: { "password.yaml": "log: {}\n" } }, []],
  ])("%s", (_name, tree, fields) => {
    const problems = plainCredentialProblems(tree, "v");
    expect(problems.map((p) => p.field)).toEqual(fields);
    for (const p of problems) expect([p.ruleId, p.message.length > 0, p.fix.length > 0]).toEqual(["R-INPUT", true, true]);
  });
});

describe("scan.ts: parseConfigFile and mqTypeProblem", () => {
  it.each<[string, string, unknown]>([
    ["an empty file is an empty document", "", {}],
    ["blank lines only", "  \n\n", {}],
    ["a mapping", "log:\n  level: debug\n", { log: { level: "debug" } }],
  ])("parseConfigFile: %s", (_name, text, doc) => {
    expect(parseConfigFile(text, "f")).toEqual({ doc });
  });

  it.each<[string, string]>([
    ["unclosed flow sequence", "a: [1, 2"],
    ["a list", "- a\n"],
    ["duplicate keys", "a: 1\na: 2\n"],
  ])("parseConfigFile refuses %s with R-CONFIG-FILES on the given field", (_name, text) => {
    const r = parseConfigFile(text, "helmValues.extraConfigFiles.x.yaml");
    expect(r.doc).toBeUndefined();
    expect([r.problem?.field, r.problem?.ruleId, (r.problem?.fix.length ?? 0) > 0]).toEqual(["helmValues.extraConfigFiles.x.yaml", "R-CONFIG-FILES", true]);
  });

  it("parseConfigFile names the line and column where it can", () => {
    const r = parseConfigFile("a: 1\nb: [\n", "f");
    expect(r.problem?.message).toMatch(/line \d+, column \d+/);
  });

  it.each<[MessageQueue, unknown, boolean]>([
    ["pulsarv3", "pulsar", false],
    ["pulsar", "pulsar", false],
    ["external-pulsar", "pulsar", false],
    ["kafka", "kafka", false],
    ["external-kafka", "kafka", false],
    ["rocksmq", "rocksmq", false],
    ["natsmq", "natsmq", false],
    ["woodpecker", "woodpecker", false],
    ["woodpecker", "default", false],
    ["pulsarv3", "kafka", true],
    ["kafka", "pulsar", true],
    ["rocksmq", "woodpecker", true],
    ["pulsarv3", 5, true],
    ["pulsarv3", null, true],
  ])("mqTypeProblem: queue %s, mq.type %p: refused %p", (queue, type, refused) => {
    const p = mqTypeProblem({ mq: { type } }, "cfg", queue);
    expect(p === undefined ? "ok" : `${p.field} ${p.ruleId}`).toBe(refused ? "cfg.mq.type R-MQ-KEEP" : "ok");
    if (p) expect(p.fix).toContain(MQ_TYPE_OF[queue]);
  });

  it.each<[string, Record<string, unknown>]>([
    ["no mq section", { log: {} }],
    ["mq without type", { mq: { pulsar: {} } }],
    ["mq as a scalar", { mq: "kafka" }],
  ])("mqTypeProblem: nothing to refuse with %s", (_name, config) => {
    expect(mqTypeProblem(config, "cfg", "pulsarv3")).toBeUndefined();
  });
});
