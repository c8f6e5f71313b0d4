import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// README.md is the front door; the depth lives in docs/. These tests keep the two connected: every relative link
// resolves (file and, for a same-repo markdown link, its #anchor), and the topic pages README promises are linked.
const root = join(__dirname, "../..");
const markdownFiles = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's heading anchor: lower-case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    const m = inFence ? null : /^#{1,6} (.*)$/.exec(line);
    if (m?.[1]) anchors.add(m[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-"));
  }
  return anchors;
}

function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1] ?? "";
    if (!/^[a-z]+:/i.test(target)) links.push(target);
  }
  return links;
}

describe("README and docs/", () => {
  it.each(markdownFiles)("every relative link in %s resolves to a file and heading", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const broken: string[] = [];
    for (const link of relativeLinks(text)) {
      const [path, anchor] = link.split("#");
      const target = path ? resolve(dirname(join(root, file)), path) : join(root, file);
      if (!existsSync(target)) broken.push(`${link} (no file)`);
      else if (anchor && target.endsWith(".md") && !anchorsOf(readFileSync(target, "utf8")).has(anchor)) broken.push(`${link} (no heading)`);
    }
    expect(broken).toEqual([]);
  });

  it("README links every topic page and stays a short front door", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const page of ["install", "core", "cli", "pulumi", "cdk8s", "executor", "migration", "reliability", "upgrade-paths", "benchmarks"]) {
      expect(readme).toContain(`](docs/${page}.md)`);
    }
    expect(readme).toContain("npm install milvus-cluster");
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
    expect(readme.split("\n").length).toBeLessThan(200);
  });
});
