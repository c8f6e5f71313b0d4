// Preloaded into node processes that run with the fake cluster's environment (`NODE_OPTIONS=--require ...`, see
// FakeCluster.env()): a simulated cluster network. fetch of `http://<service>.<namespace>.svc:<port>/...`, which in
// a cluster goes through cluster DNS and the Service to a Milvus pod, is answered by the fake cluster model in
// $FAKE_STATE (kube.ts `httpGet`): 200/500 with a body, or no answer as undici reports it (TypeError "fetch failed"
// with the socket error as its cause). Every other URL goes to the real fetch.
const realFetch = globalThis.fetch;
const SERVICE_URL = /^http:\/\/[a-z0-9-]+\.[a-z0-9-]+\.svc:\d+\//;

globalThis.fetch = async function fetch(input, init) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!process.env.FAKE_STATE || !SERVICE_URL.test(url)) return realFetch(input, init);
  require("./load-ts.cjs");
  const r = require("../bin-main.ts").answerHttp(url);
  if (r.status === 0) {
    const cause = new Error(r.error);
    const code = /\b(E[A-Z]+)\b/.exec(r.error);
    if (code) cause.code = code[1];
    throw new TypeError("fetch failed", { cause });
  }
  return new Response(r.body, { status: r.status });
};
