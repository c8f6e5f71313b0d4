// Runs a compiled Pulumi program under pulumi.runtime.setMocks (no Pulumi CLI, no engine) from the consumer
// project's own node_modules, and writes its stack outputs and every registered resource as JSON to a file
// (stdout carries the program's pulumi.log lines). Usage: node run-under-mocks.cjs <program.js> <out.json>
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");

const registered = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}_id`, state: args.inputs };
    },
    call() {
      return {};
    },
  },
  "consumer",
  "dev",
  false,
);

const program = require(path.resolve(process.argv[2]));
const resolved = (o) => new Promise((resolve) => (pulumi.Output.isInstance(o) ? o.apply(resolve) : resolve(o)));
(async () => {
  const outputs = {};
  for (const [name, value] of Object.entries(program)) outputs[name] = await resolved(value);
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  writeFileSync(process.argv[3], JSON.stringify({ outputs, registered }));
})().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
