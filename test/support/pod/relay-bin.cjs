#!/usr/bin/env node
// Stands in for /usr/bin/helm and /usr/bin/kubectl of the tools image in the simulated pod (test/support/pod/run-pod.ts):
// the init container copies this file under those names, and the executor then runs the copies. It hands each call
// to the fake cluster's executables (test/executor/fake/bin), found through FAKE_BIN_DIR, under the name it was
// copied to.
"use strict";
const path = require("node:path");

const dir = process.env.FAKE_BIN_DIR;
if (!dir) {
  process.stderr.write("relay: FAKE_BIN_DIR is not set\n");
  process.exit(2);
}
require(path.join(dir, "load-ts.cjs"));
require(path.join(dir, "..", "bin-main.ts")).runBin(path.basename(__filename));
