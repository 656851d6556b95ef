/**
 * How much a search hit is worth keeping: lines about the question first, then definitions and
 * errors or TODOs; imports, comments and hits in vendored or generated files last.
 * @module
 */

import { termHits } from "./log-query.ts";

// Declarations in the common languages (TypeScript/JavaScript, Python, Rust, Go, Java/Kotlin/C#,
// Ruby, C/C++ macros), and functions assigned to names.
const DEFINITION =
  /^\s*(?:(?:export|default|declare|abstract|async|static|public|private|protected|internal|override|final|open|pub(?:\([\w:]+\))?|unsafe|extern|inline|virtual)\s+)*(?:function\*?|class|interface|type|enum|struct|trait|impl|fn|def|func|module|namespace|macro_rules!|object|record|protocol|#define)\s|^\s*(?:export\s+)?(?:const|let|var|val)\s+[\w$]+\s*(?::[^=]{1,80})?=\s*(?:async\s*)?(?:function|\([^)]{0,200}\)\s*(?::[^=]{1,80})?=>|[\w$]+\s*=>)/;
const IMPORT =
  /^\s*(?:import\s|from\s+\S+\s+import\s|#include\s|using\s+[\w.]+;|use\s+[\w:]+|(?:const|let|var)\s+[\w${}\s,]+=\s*require\()/;
const COMMENT = /^\s*(?:\/\/|#(?!include|define|if|pragma|\[)|\/\*|\*\s|--\s|;)/;
const NOTABLE =
  /\b(?:error|exception|panic|fatal|fail(?:ed|ure)?|TODO|FIXME|XXX|HACK|BUG|deprecated)\b/i;
const LOW_VALUE_PATH =
  /(?:^|[/\\])(?:node_modules|vendor|dist|build|out|target|\.git|coverage|__pycache__|\.next|third_party|site-packages)(?:[/\\]|$)|\.min\.(?:js|css)$|\.map$|(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|go\.sum|poetry\.lock|composer\.lock)$/;

/** Only this much of a hit's text is scored. */
const SCORED_CHARS = 600;

/** The worth of one hit's text for the question's terms. */
export function scoreMatch(text: string, terms: readonly string[]): number {
  const head = text.length > SCORED_CHARS ? text.slice(0, SCORED_CHARS) : text;
  let score = 0;
  if (terms.length > 0) score += termHits(head.toLowerCase(), terms);
  if (DEFINITION.test(head)) score += 0.8;
  else if (IMPORT.test(head)) score -= 0.4;
  else if (COMMENT.test(head)) score -= 0.3;
  if (NOTABLE.test(head)) score += 0.5;
  if (head.trim() === "") score -= 1;
  return score;
}

/** The worth of a file: its best hit, how many hits it has, its path and where it lives. */
export function scoreFile(
  path: string,
  bestMatch: number,
  matches: number,
  terms: readonly string[],
): number {
  let score = bestMatch + 0.3 * Math.log2(1 + matches);
  if (terms.length > 0) score += 0.5 * termHits(path.toLowerCase(), terms);
  if (LOW_VALUE_PATH.test(path)) score -= 1.5;
  return score;
}
