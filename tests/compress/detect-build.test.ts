import { describe, expect, test } from "bun:test";
import { isBuildLine } from "../../src/compress/detect-build.ts";

const BUILD_LINES = [
  "gcc -Wall -O2 -c module_7.c -o module_7.o",
  "g++ -std=c++17 -O2 -c src/main.cpp -o build/main.o",
  "/usr/bin/cc -I/src/include -O2 -o CMakeFiles/app.dir/m.c.o -c /src/m.c",
  "x86_64-linux-gnu-gcc-12 -shared -o libfoo.so foo.o",
  "clang-17 -fsanitize=address main.c",
  "cc main.c -o main",
  "ar rcs libutil.a util.o str.o",
  "ccache gcc -c a.c",
  "libtool: compile:  gcc -DHAVE_CONFIG_H -I. -c src/buf.c -fPIC -o src/.libs/buf.o",
  "cd /src/build && /usr/bin/c++ -O2 -c /src/app.cpp",
  "+ javac -d out src/App.java",
  "$ make -j8",
  "make",
  "make install",
  "make CC=clang",
  "cmake --build build --parallel",
  "cmake -S . -B build",
  "ninja -C build",
  "cargo build --release",
  "go build ./...",
  "go test -race ./...",
  "mvn -B package",
  "./gradlew assemble",
  "gradle :app:compileJava",
  "webpack --mode production",
  "vite build",
  "esbuild src/index.ts --bundle --outfile=dist/index.js",
  "> tsc -p .",
  "tsc --noEmit",
  "  CC      module_7.o",
  "  CC [M]  drivers/net/dummy.o",
  "  LD      vmlinux.o",
  "  AR      kernel/built-in.a",
  "  CXX      src/main.o",
  "  CCLD     app",
  "[ 42%] Building C object CMakeFiles/app.dir/main.c.o",
  "[100%] Linking CXX executable app",
  "[100%] Built target app",
  "-- Configuring done",
  "-- Build files have been written to: /src/build",
];

const OTHER_LINES = [
  "make sure the cache is warm",
  "go to the settings page",
  "cc me on the thread",
  "as a result of foo.c changing",
  "gcc is the GNU compiler collection",
  "gcc $CFLAGS -c a.c -o a.o",
  "\t$(CC) $(CFLAGS) -c $< -o $@",
  "\tgcc -c a.c",
  "  CC      is the variable that names the compiler",
  "[ 42%]",
  "-- a note in a document",
  "tsc is fast enough",
  "cargo cult programming",
  "The build ran gcc -O2 on every file.",
  "",
  "m",
];

describe("isBuildLine", () => {
  for (const line of BUILD_LINES) {
    test(`build: ${line}`, () => {
      expect(isBuildLine(line)).toBe(true);
    });
  }
  for (const line of OTHER_LINES) {
    test(`not build: ${JSON.stringify(line)}`, () => {
      expect(isBuildLine(line)).toBe(false);
    });
  }

  test("long and odd lines never throw", () => {
    const odd = [
      `gcc ${"-O2 ".repeat(100_000)}`,
      `${"x86_64-".repeat(2000)}gcc -c a.c`,
      `  CC ${" ".repeat(50_000)}x`,
      `[ 42%] ${"Building ".repeat(1000)}`,
      `cd ${"a".repeat(100_000)}`,
      "libtool:",
      "\ud800 gcc -c a.c",
    ];
    for (const line of odd) expect(typeof isBuildLine(line)).toBe("boolean");
  });
});
