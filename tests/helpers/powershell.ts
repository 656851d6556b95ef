/**
 * What can be checked of PowerShell code on a machine without PowerShell: no PowerShell installs
 * here (neither Debian nor the npm registry ships one).
 */

/**
 * Brackets that do not pair up in PowerShell code, skipping comments and the contents of
 * strings (quotes doubled or backtick-escaped inside them).
 */
export function unbalanced(code: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "}": "{", "]": "[" };
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === "#") i = code.indexOf("\n", i);
    else if (c === "'" || c === '"') {
      for (i++; i < code.length; i++) {
        if (c === '"' && code[i] === "`") i++;
        else if (code[i] === c && code[i + 1] === c) i++;
        else if (code[i] === c) break;
      }
    } else if ("({[".includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) problems.push(`${c} at ${i}`);
    if (i < 0) break;
  }
  return [...problems, ...stack.map((c) => `unclosed ${c}`)];
}

/** `$name:` outside `$env:`: in a string, "$archive: x" reads as a drive-qualified variable. */
export function strayDriveVariables(code: string): string[] {
  return code.match(/\$(?!env:)[A-Za-z_]\w*:/g) ?? [];
}
