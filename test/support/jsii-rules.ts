/**
 * A checker for the jsii-compatibility of a TypeScript entry point's exported API, with the TypeScript compiler API.
 * It walks what the entry exports (classes, interfaces, enums, and anything else) and every type their visible members
 * use, and reports what the jsii compiler rejects, plus this project's stricter rule of no union types (jsii widens a
 * literal union such as `"a" | "b"` to `string`, so the constraint silently disappears in other languages):
 *
 * - only classes, interfaces and enums are visible to other languages (jsii: JSII_9998 unsupported node; a
 *   `@jsii ignore` tag opts a declaration out, as in jsii); type aliases are erased (jsii docs "Type Aliases");
 * - structs (interfaces without an `I` prefix) have readonly properties only, no methods, no index signatures
 *   (JSII_3008; jsii docs "Interfaces", "Index Signatures");
 * - no `const enum` (JSII_1000), enum members in UPPER_CASE (JSII_8001);
 * - types: primitives, `T[]`/`Array<T>`, `{ [key: string]: T }`/`Record<string, T>`, `Promise<T>` for returns, and
 *   classes/interfaces/enums exported from the entry (JSII_3000) or from a jsii dependency; no literal, union,
 *   intersection, tuple, function, mapped or other generic types (JSII_1003, JSII_1006, JSII_1999); no `readonly T[]`
 *   (`ReadonlyArray` fails with JSII3001, aws/jsii-compiler#2323);
 * - `_`-prefixed members must be `@internal` and the reverse (JSII_8005, JSII_8006); names are PascalCase for types and
 *   camelCase for members (JSII_8000, JSII_8002).
 *
 * Sources: aws/jsii gh-pages/content/user-guides/lib-author/typescript-restrictions.md and aws/jsii-compiler
 * src/assembler.ts, src/jsii-diagnostic.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/** One thing jsii would reject. */
export interface JsiiProblem {
  /** `Declaration.member`. */
  readonly where: string;
  /** The jsii rule (diagnostic code or docs section). */
  readonly rule: string;
  readonly message: string;
}

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const UPPER = /^[A-Z][A-Z0-9_]*$/;

function jsdocTags(node: ts.Node): { name: string; text: string }[] {
  const host = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return ts.getJSDocTags(host).map((t) => ({ name: t.tagName.text, text: typeof t.comment === "string" ? t.comment : (t.comment ?? []).map((c) => c.text).join("") }));
}

const isInternal = (node: ts.Node) => jsdocTags(node).some((t) => t.name === "internal");
const isJsiiIgnored = (node: ts.Node) => jsdocTags(node).some((t) => t.name === "jsii" && t.text.trim().startsWith("ignore"));

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Whether a file belongs to a package that is itself a jsii module (its package.json has a "jsii" section). */
function inJsiiPackage(file: string): boolean {
  let dir = path.dirname(file);
  while (dir !== path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      const json = JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string; jsii?: unknown };
      if (json.name) return json.jsii !== undefined;
    }
    dir = path.dirname(dir);
  }
  return false;
}

/** Checks the exported API of `entry`; returns every problem (empty when jsii would accept it). */
export function jsiiProblems(entry: string): JsiiProblem[] {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const exported = checker.getExportsOfModule(moduleSymbol).map(resolve);
  const exportedSet = new Set(exported);
  const problems: JsiiProblem[] = [];
  const report = (where: string, rule: string, message: string) => problems.push({ where, rule, message });

  function checkType(node: ts.TypeNode | undefined, where: string, use: "input" | "output" | "return"): void {
    if (!node) {
      report(where, "explicit types", "no type annotation: give every visible member an explicit jsii type");
      return;
    }
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
      case ts.SyntaxKind.NumberKeyword:
      case ts.SyntaxKind.BooleanKeyword:
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return;
      case ts.SyntaxKind.VoidKeyword:
        if (use !== "return") report(where, "JSII_1003", "void is only a return type");
        return;
      case ts.SyntaxKind.ParenthesizedType:
        checkType((node as ts.ParenthesizedTypeNode).type, where, use);
        return;
      case ts.SyntaxKind.LiteralType:
        report(where, "JSII_1003 (literal types)", `literal type ${node.getText()}: jsii widens it to its base type; use an enum, or a string validated at run time`);
        return;
      case ts.SyntaxKind.UnionType: {
        const members = (node as ts.UnionTypeNode).types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
        if (members.length === 1) {
          checkType(members[0], where, use);
          return;
        }
        const literal = members.some((t) => t.kind === ts.SyntaxKind.LiteralType);
        report(
          where,
          literal ? "JSII_1003 (literal union)" : "no unions (project rule)",
          `union type ${node.getText()}${literal ? ": jsii widens a literal union to string" : ""}; use an enum, or a string validated at run time`,
        );
        return;
      }
      case ts.SyntaxKind.ArrayType:
        checkType((node as ts.ArrayTypeNode).elementType, where, use);
        return;
      case ts.SyntaxKind.TypeOperator:
        report(where, "JSII3001 (ReadonlyArray)", `${node.getText()}: jsii rejects readonly arrays (aws/jsii-compiler#2323); use T[]`);
        return;
      case ts.SyntaxKind.TypeLiteral: {
        const members = (node as ts.TypeLiteralNode).members;
        const index = members[0];
        if (members.length === 1 && index && ts.isIndexSignatureDeclaration(index) && index.parameters[0]?.type?.kind === ts.SyntaxKind.StringKeyword) {
          checkType(index.type, where, use);
          return;
        }
        report(where, "JSII_1003 (anonymous types)", `anonymous object type ${node.getText()}: only { [key: string]: T } maps; declare a struct`);
        return;
      }
      case ts.SyntaxKind.TypeReference:
        checkReference(node as ts.TypeReferenceNode, where, use);
        return;
      case ts.SyntaxKind.TupleType:
        report(where, "JSII_1999 (tuples)", `tuple ${node.getText()}: use an array or a struct`);
        return;
      case ts.SyntaxKind.FunctionType:
        report(where, "JSII_1003 (function types)", `function type ${node.getText()}: use a behavioral interface`);
        return;
      case ts.SyntaxKind.IntersectionType:
        report(where, "JSII_1008 (intersections)", `intersection ${node.getText()}: declare a struct extending both`);
        return;
      default:
        report(where, "JSII_1003", `unsupported type ${node.getText()} (${ts.SyntaxKind[node.kind]})`);
    }
  }

  function checkReference(node: ts.TypeReferenceNode, where: string, use: "input" | "output" | "return"): void {
    const name = node.typeName.getText();
    const args = node.typeArguments ?? [];
    if ((name === "Array" && args.length === 1) || (name === "Promise" && args.length === 1 && use === "return")) {
      checkType(args[0], where, use);
      return;
    }
    if (name === "Record" && args.length === 2 && args[0]?.kind === ts.SyntaxKind.StringKeyword) {
      checkType(args[1], where, use);
      return;
    }
    if (name === "Date" && args.length === 0) return;
    if (args.length > 0) {
      report(where, "JSII_1006 (generics)", `generic type ${node.getText()}: only Array<T>, Record<string, T> and Promise<T> (returns)`);
      return;
    }
    const located = checker.getSymbolAtLocation(node.typeName);
    const symbol = located ? resolve(located) : undefined;
    const decl = symbol?.declarations?.[0];
    if (!symbol || !decl) {
      report(where, "JSII_1001", `cannot resolve type ${name}`);
      return;
    }
    if (ts.isTypeAliasDeclaration(decl)) {
      report(where, "type aliases", `type alias ${name}: jsii erases aliases in other languages; declare an interface, class or enum`);
      return;
    }
    const file = decl.getSourceFile().fileName;
    if (file.includes(`${path.sep}node_modules${path.sep}`) || file.includes("/node_modules/")) {
      if (!inJsiiPackage(file)) report(where, "JSII_3002 (non-jsii dependency)", `${name} comes from a package that is not a jsii module (${file})`);
      return;
    }
    if (!(ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl) || ts.isEnumDeclaration(decl))) {
      report(where, "JSII_1003", `${name} is not a class, interface or enum`);
      return;
    }
    if (!exportedSet.has(symbol)) report(where, "JSII_3000 (hidden type)", `${name} is not exported from the entry point`);
  }

  function checkMemberName(name: string, node: ts.Node, where: string): boolean {
    const internal = isInternal(node);
    if (name.startsWith("_") !== internal) {
      report(where, internal ? "JSII_8005" : "JSII_8006", internal ? "an @internal member must start with _" : "a member starting with _ must be @internal");
      return false;
    }
    if (internal) return false;
    if (!CAMEL.test(name)) report(where, "JSII_8002", `member ${name} is not camelCase`);
    return true;
  }

  function checkParameters(params: readonly ts.ParameterDeclaration[], where: string): void {
    for (const p of params) {
      if (p.dotDotDotToken) report(`${where}(${p.name.getText()})`, "variadic", "variadic parameters are avoided in this API");
      checkType(p.type, `${where}(${p.name.getText()})`, "input");
    }
  }

  function checkClass(decl: ts.ClassDeclaration, name: string): void {
    for (const m of decl.members) {
      if (hasModifier(m, ts.SyntaxKind.PrivateKeyword) || (m.name && ts.isPrivateIdentifier(m.name))) continue;
      if (ts.isConstructorDeclaration(m)) {
        checkParameters(m.parameters, `${name}.constructor`);
        continue;
      }
      if (ts.isClassStaticBlockDeclaration(m) || ts.isSemicolonClassElement(m)) continue;
      if (ts.isIndexSignatureDeclaration(m)) {
        report(name, "index signatures", "index signatures are not supported");
        continue;
      }
      const memberName = m.name?.getText() ?? "?";
      const where = `${name}.${memberName}`;
      if (!checkMemberName(memberName, m, where)) continue;
      if (ts.isPropertyDeclaration(m)) checkType(m.type, where, "output");
      else if (ts.isGetAccessorDeclaration(m)) checkType(m.type, where, "output");
      else if (ts.isSetAccessorDeclaration(m)) checkParameters(m.parameters, where);
      else if (ts.isMethodDeclaration(m)) {
        checkParameters(m.parameters, where);
        checkType(m.type, where, "return");
      }
    }
  }

  function checkInterface(decl: ts.InterfaceDeclaration, name: string): void {
    const behavioral = /^I[A-Z]/.test(name);
    for (const m of decl.members) {
      const memberName = m.name?.getText() ?? "";
      const where = `${name}.${memberName || "[index]"}`;
      if (ts.isIndexSignatureDeclaration(m)) {
        report(where, "index signatures", "index signatures are not supported (jsii 5 rejects them)");
        continue;
      }
      if (ts.isMethodSignature(m)) {
        if (!behavioral) report(where, "JSII_3008 (structs)", `struct ${name} declares a method; structs hold readonly data only`);
        checkParameters(m.parameters, where);
        checkType(m.type, where, "return");
        continue;
      }
      if (!checkMemberName(memberName, m, where)) continue;
      if (ts.isPropertySignature(m)) {
        if (!behavioral && !hasModifier(m, ts.SyntaxKind.ReadonlyKeyword)) report(where, "JSII_3008", `struct property ${memberName} must be readonly`);
        checkType(m.type, where, "input");
      } else {
        report(where, "JSII_1003", `unsupported interface member ${ts.SyntaxKind[m.kind]}`);
      }
    }
  }

  function checkEnum(decl: ts.EnumDeclaration, name: string): void {
    if (hasModifier(decl, ts.SyntaxKind.ConstKeyword)) report(name, "JSII_1000", 'exported "const enum" declarations are not allowed');
    for (const m of decl.members) {
      const memberName = m.name.getText();
      if (!UPPER.test(memberName)) report(`${name}.${memberName}`, "JSII_8001", `enum member ${memberName} is not UPPER_CASE`);
      const init = m.initializer;
      if (init && !ts.isStringLiteral(init) && !ts.isNumericLiteral(init)) report(`${name}.${memberName}`, "JSII_1012", "only constant enum members");
    }
  }

  for (const symbol of exported) {
    const decl = symbol.declarations?.[0];
    const name = symbol.getName();
    if (!decl || isJsiiIgnored(decl)) continue;
    if (ts.isClassDeclaration(decl)) {
      if (!PASCAL.test(name)) report(name, "JSII_8000", `type ${name} is not PascalCase`);
      checkClass(decl, name);
    } else if (ts.isInterfaceDeclaration(decl)) {
      if (!PASCAL.test(name)) report(name, "JSII_8000", `type ${name} is not PascalCase`);
      checkInterface(decl, name);
    } else if (ts.isEnumDeclaration(decl)) {
      checkEnum(decl, name);
    } else if (ts.isTypeAliasDeclaration(decl)) {
      report(name, "type aliases", `exported type alias ${name}: jsii erases aliases in other languages; declare an interface or enum`);
    } else {
      report(name, "JSII_9998 (unsupported node)", `exported ${ts.SyntaxKind[decl.kind]} ${name} is not visible to other languages (add @jsii ignore if it is TypeScript-only)`);
    }
  }
  return problems;
}
