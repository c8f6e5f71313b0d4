import type * as JsYaml from "js-yaml";
import { yaml } from "../util/lazy-yaml";

/**
 * Reading helm's output, YAML 1.1, the way the `yaml` library resolves it with `{ version: "1.1" }` (the reference:
 * cdk8s's own loader, lib/yaml.js, reads manifests that way, and Kubernetes' Go YAML parser also reads `0644` as an
 * octal file mode and `yes`/`on` as booleans).
 *
 * Why two libraries: render mode parses helm's whole output on every synth, and the `yaml` library's
 * parse-compose-toJS took 2.3 to 4.4 ms of each render for the 8 KB fixture chart output (docs/benchmarks.md, Render
 * mode), where js-yaml's single-pass loader takes a tenth of that. The fast path is js-yaml's loader with scalar tags
 * whose tests and values are the `yaml` library's own YAML 1.1 tags (`new Schema({ schema: "yaml-1.1" })`), so plain
 * scalars resolve by the same rules by construction, and mapping keys are named as that library's `toJS` names them.
 * Whatever the fast path does not take on exactly as the reference does, it declines, and the reference parses the
 * whole text: explicit tags other than `!!str`/`!!map`/`!!seq` (js-yaml makes unknown tags an error; the `yaml` library
 * warns and keeps a string), aliases (`maxAliases: 0`: the `yaml` library's alias limit guards against exponential
 * "billion laughs" expansion, which shared references from js-yaml would meet later, in cdk8s's resolve), `<<` merge
 * keys, `%` directives, collection and timestamp keys, duplicate keys, and every syntax error (so the reference's
 * error, with its line and column, is the one reported, and text the reference accepts is never refused).
 */

/** A line that may be a YAML directive. */
const DIRECTIVE_LINE = /^%/m;

/** The fast path declines this document: the reference parser reads it. */
class UseReferenceParser extends Error {}

type JsYamlModule = typeof JsYaml;
let jsYamlLoaded: JsYamlModule | undefined;
let fastSchema: JsYaml.Schema | undefined;

/** js-yaml, loaded on first use (only render mode needs it). */
function jsYaml(): JsYamlModule {
  jsYamlLoaded ??= require("js-yaml") as JsYamlModule;
  return jsYamlLoaded;
}

/**
 * js-yaml's failsafe schema (strings, sequences, mappings) plus one implicit scalar tag per tag name of the `yaml`
 * library's YAML 1.1 schema (null, bool, int, float, timestamp): each tries that library's tests in that library's
 * order and returns its value. `<<` declines (merge keys are the reference's).
 */
function yaml11Schema(): JsYaml.Schema {
  if (fastSchema) return fastSchema;
  const js = jsYaml();
  const Y = yaml();
  const reference = new Y.Schema({ schema: "yaml-1.1", resolveKnownTags: false });
  // Scalar tags resolved by test, grouped by tag name in the schema's order (js-yaml keeps one definition per name).
  const byName = new Map<string, { test: RegExp; resolve: (value: string) => unknown }[]>();
  for (const tag of reference.tags) {
    if ("collection" in tag && tag.collection) continue;
    const scalarTag = tag as { default?: boolean | "key"; test?: RegExp; tag: string; resolve: (value: string, onError: (message: string) => void, options: object) => unknown };
    if (scalarTag.default !== true || scalarTag.test === undefined) continue;
    const onError = (message: string): never => {
      throw new UseReferenceParser(message);
    };
    const group = byName.get(scalarTag.tag) ?? [];
    group.push({ test: scalarTag.test, resolve: (value) => scalarTag.resolve(value, onError, {}) });
    byName.set(scalarTag.tag, group);
  }
  const implicit = [...byName].map(([name, group]) =>
    js.defineScalarTag(name, {
      implicit: true,
      identify: () => false,
      resolve: (source, isExplicit) => {
        // An explicit !!int etc.: the reference's rules for explicit tags are its own.
        if (isExplicit) throw new UseReferenceParser(`explicit tag ${name}`);
        for (const { test, resolve } of group) {
          if (!test.test(source)) continue;
          const value = resolve(source);
          // Booleans and nulls come back as `Scalar` nodes (they keep their source form); toJS reads `.value`.
          return Y.isScalar(value) ? value.value : value;
        }
        return js.NOT_RESOLVED;
      },
    }),
  );
  const mergeKey = js.defineScalarTag("tag:yaml.org,2002:merge", {
    implicit: true,
    implicitFirstChars: ["<"],
    identify: () => false,
    resolve: (source) => {
      if (source === "<<") throw new UseReferenceParser("merge key");
      return js.NOT_RESOLVED;
    },
  });
  // Mapping keys become property names as the reference's toJS makes them (nodes/addPairToJSMap.js): a null key is "",
  // other scalars String(key); a collection or timestamp key declines (the reference stringifies it its own way).
  const plainMap = js.defineMappingTag<Record<string, unknown>>("tag:yaml.org,2002:map", {
    create: () => ({}),
    identify: () => false,
    addPair: (map, key, value) => {
      if (key !== null && typeof key === "object") return "a complex key";
      const name = key === null ? "" : String(key);
      if (name === "__proto__") Object.defineProperty(map, name, { value, writable: true, enumerable: true, configurable: true });
      else map[name] = value;
      return "";
    },
    has: (map, key) => (key === null || typeof key !== "object") && Object.hasOwn(map, key === null ? "" : String(key)),
    keys: (map) => Object.keys(map),
    get: (map, key) => map[String(key)],
  });
  fastSchema = js.FAILSAFE_SCHEMA.withTags(plainMap, ...implicit, mergeKey);
  return fastSchema;
}

/** Documents of a YAML stream, and the duplicate keys it held. */
export interface ParsedYamlStream {
  /** One value per document (`null` for an empty one). */
  readonly documents: unknown[];
  /**
   * Each duplicate mapping key, as its line number and text (the last value is kept).
   * @default - none
   */
  readonly duplicateKeys: string[];
}

/**
 * The reference: the `yaml` library, YAML 1.1. The first error of a document is thrown with its line and column,
 * except duplicate mapping keys: the last value is kept, as cdk8s's own loader keeps it (lib/yaml.js reads `toJSON()`
 * whatever the errors) and as sigs.k8s.io/yaml `YAMLToJSON`, which Go Kubernetes clients use, reads it (not strict:
 * "Duplicate fields are case-sensitively ignored"). The Pulsar v2 subchart of Milvus charts 3.0.12-4.2.24 prints such
 * a key (`httpNumThreads` twice in a broker ConfigMap), and those charts are installed with helm every day.
 */
function referenceParse(text: string): ParsedYamlStream {
  const documents: unknown[] = [];
  const duplicateKeys: string[] = [];
  for (const doc of yaml().parseAllDocuments(text, { version: "1.1" })) {
    const fatal = doc.errors.find((e) => e.code !== "DUPLICATE_KEY");
    if (fatal) throw new Error(fatal.message);
    for (const e of doc.errors) {
      const line = e.linePos?.[0].line;
      duplicateKeys.push(line === undefined ? e.message : `line ${line}: ${lineText(text, line)}`);
    }
    documents.push(doc.toJS());
  }
  return { documents, duplicateKeys };
}

/** The text of a 1-based line, trimmed (it names a duplicate key). */
function lineText(text: string, line: number): string {
  return (text.split("\n", line)[line - 1] ?? "").trim();
}

/**
 * Parses a multi-document YAML 1.1 stream into plain values, with the `yaml` library's YAML 1.1 semantics (`0644` is
 * 420, `yes`/`on`/`y` are true). Throws the `yaml` library's message for invalid YAML.
 */
export function parseYaml11Documents(text: string): ParsedYamlStream {
  // A %YAML (or %TAG) directive changes how the documents after it read (`%YAML 1.2` makes 0644 decimal): the
  // reference's. A line starting with % is a directive only outside a scalar; declining more often only costs time.
  if (DIRECTIVE_LINE.test(text)) return referenceParse(text);
  try {
    // maxAliases 0: any alias declines (see above); duplicate keys are an error here (json: false), so they reach the
    // reference, which names them.
    return { documents: jsYaml().loadAll(text, { schema: yaml11Schema(), maxAliases: 0 }), duplicateKeys: [] };
  } catch {
    // Declined (see above) or invalid: the reference decides, and names the error.
    return referenceParse(text);
  }
}

/** The reference parser alone (tests compare the fast path with it). @internal */
export const _referenceParse = referenceParse;
