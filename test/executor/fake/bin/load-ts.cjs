// Lets the fake's executables require the TypeScript model directly: each .ts file is transpiled once with the
// project's own TypeScript (transpileModule, CommonJS) and cached by path, size and mtime, so later calls start fast.
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const cacheDir = path.join(os.tmpdir(), "milvus-cluster-fake-ts-cache");
let ts;

require.extensions[".ts"] = (module, filename) => {
  const stat = fs.statSync(filename);
  const key = crypto.createHash("sha1").update(`${filename}\0${stat.size}\0${stat.mtimeMs}`).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, "utf8");
  } catch {
    ts ??= require("typescript");
    js = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, js);
    fs.renameSync(tmp, cached);
  }
  module._compile(js, filename);
};
