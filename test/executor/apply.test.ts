/**
 * `milvus-cluster apply` runs the executor locally: its --dry-run reads the live release and prints the steps that
 * would run, and a real run passes the executor's exit codes through. Uses the fake helm/kubectl harness.
 */
import { EXIT_CODES } from "../../src/executor";
import { applySteps } from "../../src/cli/apply";
import { runCli } from "../../src/cli/main";
import { FakeCluster } from "./fake-cluster";

let fake: FakeCluster;
const saved = { ...process.env };
beforeEach(() => {
  fake = FakeCluster.create();
  // apply uses helm/kubectl from PATH: put the fakes first.
  delete process.env.HELM_BIN;
  delete process.env.KUBECTL_BIN;
  Object.assign(process.env, fake.env());
});
afterEach(() => {
  process.env = { ...saved };
  fake.cleanup();
});

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(
    argv,
    (s) => {
      out += s;
    },
    (s) => {
      err += s;
    },
  );
  return { code, out, err };
}

describe("milvus-cluster apply", () => {
  it("hands the executor every candidate stop and then the target", () => {
    expect(applySteps({ spec: { version: "2.6.4", messageQueue: "pulsarv3" } }).map((s) => s.milvusVersion)).toEqual(["2.5.16", "2.6.4"]);
    expect(applySteps({ spec: { version: "2.6.4" }, expectedFrom: "2.5.16" }).map((s) => s.milvusVersion)).toEqual(["2.6.4"]);
  });

  it("--dry-run against live 2.5.8 lists the steps it would run and changes nothing", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { pulsarv3: { enabled: true } } });
    const before = fake.revisions().length;
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--mq", "pulsarv3", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. would run/);
    expect(r.out).toMatch(/\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. would run/);
    expect(r.out).toMatch(/dry run: nothing changed/);
    expect(fake.revisions().length).toBe(before);
    expect(fake.helmCalls().some((c) => c[0] === "upgrade")).toBe(false);
  });

  it("runs the chain and passes the executor's exit code through (downgrade refused)", async () => {
    fake.addRevision({ tag: "v2.6.4", values: { pulsarv3: { enabled: true }, streaming: { enabled: true }, indexNode: { enabled: false } } });
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.5.16", "--mq", "pulsarv3");
    expect(r.code).toBe(EXIT_CODES.DOWNGRADE_REFUSED);
    expect(r.err).toMatch(/R-DOWNGRADE/);
  });

  it("refuses a bad release name before running anything", async () => {
    const r = await cli("apply", "--release", "My_Milvus", "-n", "milvus", "--to", "2.6.4");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/releaseName.*DNS-1123.*R-INPUT/s);
    expect(fake.helmCalls()).toEqual([]);
  });
});
