/**
 * Recognises the lines a build prints about itself: compiler and build-tool command lines
 * (gcc, clang, make, cmake, cargo, go build, javac, mvn, gradle, webpack, vite, esbuild, tsc, ...),
 * kbuild/automake quiet-rule lines ("  CC      foo.o") and CMake progress ("[ 42%] Building C
 * object ..."). A build log made of these is a log even before its first error. Each check looks
 * at the first words of a line only, so it is linear and cannot backtrack.
 * @module
 */

/** Compilers, linkers and assemblers, after any target triple ("x86_64-linux-gnu-gcc-12"). */
const COMPILER =
  /^(?:[\w.]+-){0,4}(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|clang-cl|ld|ld\.lld|ld\.gold|lld|ar|nasm|yasm|rustc|javac|kotlinc|scalac|swiftc|ghc|nvcc|icc|icpc|icx|tcc|zig|emcc|em\+\+)(?:-\d+(?:\.\d+)*)?(?:\.exe)?$/;

/** What a compiler's arguments show: an option, or a source or object file. */
const COMPILER_ARGUMENT =
  /^(?:-{1,2}[\w+]|\S+\.(?:c|cc|cpp|cxx|c\+\+|m|mm|h|hpp|s|S|asm|o|obj|a|so|java|kt|scala|rs|swift|hs|cu|zig)$)/;

/** Build tools and the first arguments that make a line their command line. */
const TOOL_ARGUMENTS: ReadonlyMap<string, RegExp> = new Map([
  ["make", /^(?:$|-|all$|install$|clean$|check$|test$|build$|dist$|release$|debug$|[\w.-]+=)/],
  ["gmake", /^(?:$|-|all$|install$|clean$|check$|test$|build$)/],
  ["ninja", /^(?:$|-[Cjkvt]|all$|install$|clean$|test$)/],
  ["cmake", /^(?:--build|--install|-[SBGDE]|\.{1,2}(?:\/|$))/],
  ["ctest", /^(?:$|-)/],
  ["meson", /^(?:setup|compile|test|install)$/],
  ["cargo", /^(?:\+\S+$|build|check|test|run|clippy|rustc|install|bench|doc)$/],
  ["go", /^(?:build|test|vet|install|run|generate)$/],
  ["mvn", /^(?:-|clean|compile|package|install|test|verify|deploy|validate)/],
  ["mvnw", /^(?:$|-|clean|compile|package|install|test|verify)/],
  ["gradle", /^(?:$|-|:|build|assemble|test|check|clean|compile\w*|jar|bootJar|installDist)/],
  ["gradlew", /^(?:$|-|:|build|assemble|test|check|clean|compile\w*|jar|bootJar|installDist)/],
  ["webpack", /^(?:$|-|build$|--mode|--config)/],
  ["vite", /^(?:build|optimize)$|^-/],
  ["esbuild", /^(?:-|\S+\.(?:[cm]?[jt]sx?|css)$)/],
  ["rollup", /^-/],
  ["tsc", /^(?:$|-)/],
  ["tsup", /^(?:$|-|\S+\.[cm]?[jt]sx?$)/],
  ["bazel", /^(?:build|test|run)$/],
  ["dotnet", /^(?:build|test|publish|restore)$/],
  ["msbuild", /^(?:$|[-/])/],
  ["xcodebuild", /^(?:$|-)/],
  ["scons", /^(?:$|-)/],
]);

/** Wrappers that run the real command ("ccache gcc ...", "libtool: compile:  gcc ..."). */
const WRAPPERS = new Set(["ccache", "sccache", "distcc", "icecc", "time", "nice", "sudo"]);

/** kbuild and automake quiet rules: "  CC      foo.o", "  CC [M]  drivers/x.o", "  CCLD     app". */
const QUIET_RULE =
  /^ {1,4}(?:CC|CXX|CCLD|CXXLD|LD|AR|AS|HOSTCC|HOSTCXX|HOSTLD|CPP|GEN|CHK|UPD|MKDIR|OBJCOPY|OBJDUMP|STRIP|MODPOST|LDS|RANLIB|YACC|LEX|LINK|SIGN|DTC|ZSTD|GZIP|SYMLINK|INSTALL|BTF|VDSO|PERL|SHIPPED|WRAP|COPY)(?: \[M\])? +\S+$/;

/** CMake and Meson progress: "[ 42%] Building C object ...", "[100%] Linking CXX executable app". */
const CMAKE_PROGRESS =
  /^\[ {0,2}\d{1,3}%\] (?:Building|Linking|Built target|Generating|Scanning|Automatic|Running|Creating|Copying|Install)/;
/** CMake's configure lines. */
const CMAKE_CONFIGURE =
  /^-- (?:Configuring|Generating|Build files|The (?:C|CXX) compiler|Detecting|Check|Looking for|Found|Performing)/;

/** Whether the line is a build command or a build tool's own progress line. */
export function isBuildLine(line: string): boolean {
  if (line.length < 2) return false;
  const first = line.charCodeAt(0);
  if (first === 32) return QUIET_RULE.test(line);
  if (first === 91) return CMAKE_PROGRESS.test(line); // "["
  if (first === 45) return CMAKE_CONFIGURE.test(line); // "-"
  return isBuildCommand(line);
}

/**
 * A command line of a compiler or build tool, optionally behind a shell trace ("+ "), a prompt
 * ("$ "), a package script's echo ("> "), libtool's "libtool: compile: " or CMake's "cd /dir && ".
 */
function isBuildCommand(line: string): boolean {
  let rest = line.length > 400 ? line.slice(0, 400) : line;
  // Shell traces, prompts, and the "> tsc -p ." echo of npm/bun/pnpm scripts.
  if (rest.startsWith("+ ") || rest.startsWith("$ ") || rest.startsWith("> ")) rest = rest.slice(2);
  if (rest.startsWith("libtool: ")) {
    const colon = rest.indexOf(": ", 9);
    if (colon < 0) return false;
    rest = rest.slice(colon + 2).trimStart();
  }
  if (rest.startsWith("cd ")) {
    const and = rest.indexOf(" && ");
    if (and < 0) return false;
    rest = rest.slice(and + 4);
  }
  // "gcc $CFLAGS -c a.c" or "$(CC) -c" is a script or a Makefile: builds print expanded commands.
  if (rest.includes("$")) return false;
  let [word, args] = splitWord(rest);
  for (let k = 0; k < 2 && WRAPPERS.has(word); k++) [word, args] = splitWord(args);
  const slash = word.lastIndexOf("/");
  const name = slash >= 0 ? word.slice(slash + 1) : word;
  if (name.length === 0 || name.length > 64) return false;
  const [firstArg] = splitWord(args);
  const tool = TOOL_ARGUMENTS.get(name);
  if (tool) return tool.test(firstArg);
  if (!COMPILER.test(name)) return false;
  // Compilers need an option or a source/object file among their first few arguments.
  let remaining = args;
  for (let k = 0; k < 4 && remaining !== ""; k++) {
    const [arg, next] = splitWord(remaining);
    if (COMPILER_ARGUMENT.test(arg)) return true;
    remaining = next;
  }
  return false;
}

/** Splits off the first space-separated word: [word, the rest without leading spaces]. */
function splitWord(text: string): [string, string] {
  const space = text.indexOf(" ");
  if (space < 0) return [text, ""];
  let next = space + 1;
  while (text.charCodeAt(next) === 32) next++;
  return [text.slice(0, space), text.slice(next)];
}
