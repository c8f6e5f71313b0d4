/**
 * The cdk8s entry point's exported API is jsii-compatible (the construct can later be published for Python, Java,
 * Go and .NET): test/support/jsii-rules.ts walks every exported declaration and the types its visible members use with
 * the TypeScript compiler API and reports what jsii would reject. The fixture proves each rule can fail.
 */
import * as path from "node:path";
import { jsiiProblems } from "../support/jsii-rules";

const ROOT = path.resolve(__dirname, "..", "..");

test("src/cdk8s/index.ts: every exported declaration and member type is jsii-compatible", () => {
  expect(jsiiProblems(path.join(ROOT, "src", "cdk8s", "index.ts"))).toEqual([]);
});

test("the checker reports each rule on declarations jsii rejects", () => {
  const problems = jsiiProblems(path.join(__dirname, "fixtures", "jsii-violations.ts"));
  const found = problems.map((p) => `${p.where}: ${p.rule}`);
  expect(found).toEqual(
    expect.arrayContaining([
      "ModeAlias: type aliases",
      "AliasedProps: type aliases",
      "SOME_LIST: JSII_9998 (unsupported node)",
      "helper: JSII_9998 (unsupported node)",
      "ConstEnum: JSII_1000",
      "BadMembers.lowerCase: JSII_8001",
      "BadProps.literalUnion: JSII_1003 (literal union)",
      "BadProps.objectUnion: no unions (project rule)",
      "BadProps.readonlyArray: JSII3001 (ReadonlyArray)",
      "BadProps.partial: JSII_1006 (generics)",
      "BadProps.hidden: JSII_3000 (hidden type)",
      "BadProps.alias: type aliases",
      "BadProps.tuple: JSII_1999 (tuples)",
      "BadProps.fn: JSII_1003 (function types)",
      "BadProps.anonymous: JSII_1003 (anonymous types)",
      "BadProps.readonlyRecord: JSII_1006 (generics)",
      "BadProps.mutable: JSII_3008",
      "BadProps.method: JSII_3008 (structs)",
      "BadProps._hiddenWithoutInternal: JSII_8006",
      "BadConstruct.literal: JSII_1003 (literal types)",
      "BadConstruct.constructor(props): type aliases",
      "BadConstruct.choose(mode): JSII_1003 (literal union)",
      "BadConstruct.choose: JSII3001 (ReadonlyArray)",
    ]),
  );
  // Private and @internal members, jsii types from jsii dependencies (constructs) and plain arrays are accepted.
  expect(found.filter((f) => /_fine|alsoFine|BadConstruct\.ok|scope|\(id\)/.test(f))).toEqual([]);
  expect(problems).toHaveLength(23);
});
