import { Chart } from "cdk8s";
import { DuplicatePeerDependencyError, peerDirectory } from "../util/peers";

/**
 * Refuses a Chart made by another copy of cdk8s than the one this package loaded. cdk8s recognises its Charts
 * across copies (`Chart.isChart` checks a `Symbol.for` marker), but its resolver does not recognise another copy's
 * `Lazy` values, so such an app would only fail later in `app.synth()` with "can't render non-simple object of type
 * 'Lazy'". A Chart of our copy has our `Chart.prototype` in its prototype chain.
 */
export function assertSameCdk8s(chart: Chart): void {
  if (Object.prototype.isPrototypeOf.call(Chart.prototype, chart)) return;
  throw new DuplicatePeerDependencyError(
    "milvus-cluster/cdk8s",
    "cdk8s",
    peerDirectory("cdk8s"),
    `app.synth() would fail with "can't render non-simple object of type 'Lazy'"`,
  );
}
