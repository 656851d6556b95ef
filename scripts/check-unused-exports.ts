/**
 * Part of `npm run check`: every export of a module under src/ must be imported by some other
 * file (in src/, tests/ or scripts/), or it should not be exported (or should not exist). Entry
 * points are roots whose exports need no importer. Also refuses imports of *.test.ts files: a
 * test file that others import is a library in disguise (move it to tests/helpers/).
 *
 * Types (interfaces, type aliases) the module uses itself are exempt: they name the parameters
 * and results of its exported functions for callers.
 *
 * Reads the files with the TypeScript parser (syntax only, no type checking): named, default and
 * namespace imports, re-exports, dynamic `import()` and `import("…").T` types all count as uses.
 * scripts/unused-exports-allowlist.txt, when present, lists findings accepted for a while (one
 * "path: name" a line); today there is none.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** Folders whose files may use exports; only src/ is checked for unused ones. */
const SCANNED = ["src", "tests", "scripts"];
/** Data, not code: sample outputs and fixtures that only look like TypeScript. */
const SKIPPED = ["tests/fixtures", "tests/corpus/samples"];
/** Modules run directly (by the CLI, a runtime, a worker or the browser). */
const ENTRY_POINTS = [
  "src/cli/main.ts",
  "src/runtime/deno-main.ts",
  "src/runtime/compress-worker.ts",
  "src/dashboard/main.ts",
];
const ALLOWLIST = "scripts/unused-exports-allowlist.txt";
const ALL = "*";

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out; // a repository without that folder
  }
  for (const name of names) {
    const path = join(dir, name);
    if (SKIPPED.includes(relative(root, path)) || name === "node_modules") continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(root, path));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The repository file a relative specifier names, or undefined for packages and other files. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/** An export of a module: its name, and whether it is a type (interface or type alias). */
interface Export {
  readonly name: string;
  readonly type: boolean;
}

/** The names a module exports itself (re-exports of other modules are left to those). */
function exportsOf(file: ts.SourceFile): Export[] {
  const names: Export[] = [];
  for (const statement of file.statements) {
    if (ts.isExportAssignment(statement)) names.push({ name: "default", type: false });
    else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause))
        for (const element of clause.elements)
          names.push({ name: element.name.text, type: statement.isTypeOnly || element.isTypeOnly });
    } else if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      const type = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword))
        names.push({ name: "default", type });
      else if (ts.isVariableStatement(statement))
        for (const d of statement.declarationList.declarations)
          for (const name of bindingNames(d.name)) names.push({ name, type: false });
      else {
        const name = (statement as ts.DeclarationStatement).name;
        if (name && ts.isIdentifier(name)) names.push({ name: name.text, type });
      }
    }
  }
  return names;
}

/** How many times each identifier occurs in `file` (declarations included). */
function identifierCounts(file: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return counts;
}

/** Records in `used` (file → names, or ALL) what `file` takes from other modules. */
function collectUses(path: string, file: ts.SourceFile, used: Map<string, Set<string>>): string[] {
  const testImports: string[] = [];
  const use = (specifier: string, names: readonly string[]) => {
    const target = resolveSpecifier(path, specifier);
    if (!target) return;
    if (target.endsWith(".test.ts")) testImports.push(specifier);
    const set = used.get(target) ?? new Set<string>();
    for (const name of names) set.add(name);
    used.set(target, set);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const names: string[] = [];
      const clause = node.importClause;
      if (clause?.name) names.push("default");
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push(ALL);
      if (bindings && ts.isNamedImports(bindings))
        for (const e of bindings.elements) names.push((e.propertyName ?? e.name).text);
      // A bare `import "./x.ts"` runs the module for its effects: nothing of it is used by name.
      use(node.moduleSpecifier.text, names);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const names =
        clause && ts.isNamedExports(clause)
          ? clause.elements.map((e) => (e.propertyName ?? e.name).text)
          : [ALL];
      use(node.moduleSpecifier.text, names);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      use(node.arguments[0].text, [ALL]);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      const q = node.qualifier;
      use(node.argument.literal.text, [q && ts.isIdentifier(q) ? q.text : ALL]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return testImports;
}

/** The "path: name" lines of an allowlist text, without comments and blank lines. */
export function parseAllowlist(text: string): Set<string> {
  return new Set(
    text
      .split("\n")
      .map((line) => line.replace(/#.*/, "").trim())
      .filter((line) => line.length > 0),
  );
}

/**
 * Every problem in the repository at `root`: unused exports of src/ not in `allowed`, allowlist
 * entries that are no longer unused, and imports of test files. Sorted; empty when all is well.
 */
export function unusedExportProblems(
  root: string,
  entryPoints: readonly string[],
  allowed: ReadonlySet<string>,
): string[] {
  const files = SCANNED.flatMap((dir) => sourceFiles(root, join(root, dir)));
  const used = new Map<string, Set<string>>();
  /** Per module: the exports that need an importer elsewhere. */
  const exported = new Map<string, string[]>();
  const problems: string[] = [];
  for (const path of files) {
    const text = readFileSync(path, "utf8");
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const rel = relative(root, path);
    for (const specifier of collectUses(path, file, used))
      problems.push(`${rel} imports a test file: ${specifier}`);
    if (rel.startsWith("src/") && !entryPoints.includes(rel)) {
      // A type the module itself uses (in an exported signature, say) may stay exported for its
      // callers to name; a value is exported only when another file imports it.
      const counts = identifierCounts(file);
      const needy = exportsOf(file).filter((e) => !e.type || (counts.get(e.name) ?? 0) <= 1);
      exported.set(
        path,
        needy.map((e) => e.name),
      );
    }
  }
  const stillListed = new Set(allowed);
  for (const [path, names] of exported) {
    const uses = used.get(path);
    if (uses?.has(ALL)) continue;
    for (const name of names) {
      if (uses?.has(name)) continue;
      const finding = `${relative(root, path)}: ${name}`;
      stillListed.delete(finding);
      if (!allowed.has(finding)) problems.push(`${finding} is exported but nothing imports it`);
    }
  }
  for (const entry of stillListed)
    problems.push(`${entry} is in ${ALLOWLIST} but no longer unused`);
  return problems.sort();
}

if (import.meta.main) {
  const root = resolve(import.meta.dir, "..");
  const allowlist = Bun.file(join(root, ALLOWLIST));
  const allowed = parseAllowlist((await allowlist.exists()) ? await allowlist.text() : "");
  const problems = unusedExportProblems(root, ENTRY_POINTS, allowed);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(
      `${problems.length} problem(s): drop the export (or the code), or import it where it is used`,
    );
    process.exit(1);
  }
}
