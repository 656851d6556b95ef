# The corpus' samples, sourced by capture.sh (which defines cap, ROOT, WORK, EX, JSS, PYS, BUN,
# TSC, BIOME). Kept in run order: installs first, since later samples read what they installed.
# cap NNN SLUG KIND DIR COMMAND NOTE FACT...

# ---------------------------------------------------------------- install logs (pty: real \r redraws)
cap 040 apt-get-install-pty install "$WORK" \
  "apt-get purge -y -q tree ripgrep python3-pytest >/dev/null 2>&1; apt-get autoremove -y -q >/dev/null 2>&1; script -qec 'apt-get install -y tree ripgrep python3-pytest' /dev/null" \
  "apt-get through a pty: progress lines redrawn with \\r" \
  "Setting up ripgrep (13.0.0-4+b2)" "0 upgraded, 9 newly installed, 0 to remove"
cap 041 npm-install-express install "$EX" \
  "rm -rf node_modules package-lock.json; script -qec 'npm install --no-fund --package-lock=true' /dev/null" \
  "npm install in a fresh express 4.x checkout through a pty (spinner redraws)" \
  "added 493 packages"
cap 042 apt-get-install-second install "$WORK" \
  "apt-get purge -y -q htop ncdu moreutils >/dev/null 2>&1; apt-get autoremove -y -q >/dev/null 2>&1; script -qec 'apt-get install -y htop ncdu moreutils' /dev/null" \
  "apt-get through a pty, a second set of packages" \
  "Setting up htop (3.2.2-2)" "Setting up moreutils (0.67-1)"
cap 043 npm-install-eslint install "$WORK/lint-js" \
  "rm -rf node_modules package-lock.json; npm install --no-fund --verbose eslint@9 @eslint/js@9" \
  "npm install --verbose piped (no tty): every request and lifecycle step" \
  "added 86 packages"

# ---------------------------------------------------------------- test runs
cap 001 bun-test-compress-pass test "$ROOT" \
  "$BUN test --timeout 30000 tests/compress" \
  "headroom's own unit tests, all pass" \
  "560 pass" " 0 fail" "Ran 560 tests across 25 files."
cap 002 bun-test-one-fail test "$JSS" \
  "BUG=1 $BUN test ledger.bun.test.ts" \
  "bun test with one planted failure" \
  "(fail) balanceAfter > balance after 7 entries" "error: expect(received).toBe(expected)" " 1 fail"
cap 003 node-test-pass-spec test "$JSS" \
  "node --test --test-reporter=spec ledger.test.mjs" \
  "node --test, spec reporter, all pass" \
  "ℹ pass 61" "ℹ fail 0"
cap 004 node-test-fail-tap test "$JSS" \
  "BUG=1 node --test --test-reporter=tap ledger.test.mjs" \
  "node --test, TAP reporter, one planted failure" \
  "not ok 8 - balance after 7 entries" "# fail 1"
cap 005 unittest-stdlib-json-pass test "$WORK" \
  "python3 -m unittest -v test.test_json" \
  "python's own json tests (unittest -v), all pass" \
  "Ran 168 tests" "OK (skipped=1)"
cap 006 unittest-one-fail test "$PYS" \
  "BUG=1 python3 -m unittest -v test_inventory" \
  "unittest -v with one planted failure" \
  "FAIL: test_unit_price_for_7_units (test_inventory.UnitPriceTest.test_unit_price_for_7_units)" "AssertionError: 142 != 142.86" "FAILED (failures=1)"
cap 007 pytest-plain-pass test "$PYS" \
  "python3 -m pytest -v -p no:cacheprovider test_inventory_pytest.py" \
  "pytest -v, plain, all pass" \
  "58 passed"
cap 008 pytest-color-one-fail test "$PYS" \
  "BUG=1 python3 -m pytest -v --color=yes -p no:cacheprovider test_inventory_pytest.py" \
  "pytest -v --color=yes with one planted failure" \
  "test_unit_price[7]" "assert 142 == 142.86" "57 passed"
cap 009 pytest-force-color-unittest-fail test "$PYS" \
  "BUG=1 FORCE_COLOR=1 python3 -m pytest -p no:cacheprovider test_inventory.py" \
  "pytest (FORCE_COLOR=1, default verbosity) on the unittest suite, one failure" \
  "test_unit_price_for_7_units" "AssertionError: 142 != 142.86" "37 passed"
cap 010 mocha-express-pass test "$EX" \
  "node_modules/.bin/mocha --require test/support/env --reporter spec --check-leaks test/ test/acceptance/" \
  "express 4.x's mocha suite, spec reporter" \
  "1320 passing" "6 pending"

# ---------------------------------------------------------------- compilers and linters
cap 011 tsc-errors-plain diagnostics "$WORK/ts-errors" \
  "$TSC -p . --pretty false" \
  "tsc on a scratch project with deliberate errors, plain" \
  "src/invoices.ts(10,12): error TS2322: Type 'string' is not assignable to type 'number'." "Property 'lable' does not exist on type 'AuthRecord'. Did you mean 'label'?"
cap 012 tsc-errors-pretty-color diagnostics "$WORK/ts-errors" \
  "$TSC -p . --pretty true" \
  "tsc --pretty with colour and code frames" \
  "Found 108 errors in 12 files." "TS2304"
cap 013 biome-lint-many diagnostics "$WORK/lint-js" \
  "$BIOME lint --max-diagnostics=200 src" \
  "biome lint on scratch JS with many findings" \
  "src/queue.js:3:7 lint/correctness/noUnusedVariables" "Found 48 errors." "Found 36 warnings."
cap 014 eslint-stylish-many diagnostics "$WORK/lint-js" \
  "node_modules/.bin/eslint src" \
  "eslint 9 (recommended) on scratch JS, stylish format" \
  "'registery' is not defined" "144 problems (132 errors, 12 warnings)"
cap 015 cargo-build-warnings diagnostics "$WORK/rust-warn" \
  "cargo clean -q; cargo build --color always 2>&1" \
  "cargo build with warnings, coloured" \
  "unused variable: \`count\`" "src/route.rs:21:9" "function \`total_weight\` is never used"
cap 016 make-gcc-warnings diagnostics "$WORK/c-build" \
  "make clean >/dev/null; make -j1" \
  "make with gcc -Wall -Wextra warnings over 13 files" \
  "src/arena.c:19:14: warning: format" "-Wmaybe-uninitialized"

# ---------------------------------------------------------------- fixed-width tables
cap 017 dpkg-l table "$WORK" "dpkg -l" "dpkg -l, every installed package" "13.0.0-4+b2" "1:1.2.13.dfsg-1"
cap 018 apt-list-installed table "$WORK" "apt list --installed" "apt list --installed (warning line included)" "openssl/now 3.0.19-1~deb12u2 amd64 [installed,upgradable to: 3.0.22-1~deb12u2]"
cap 019 apt-cache-policy table "$WORK" \
  "apt-cache policy git curl python3 nodejs libc6 openssl gcc make jq tree ripgrep ca-certificates" \
  "apt-cache policy for a dozen packages" "Installed: 7.88.1-10+deb12u14" "Candidate: 7.88.1-10+deb12u15"
cap 020 ss-tanp table "$WORK" "ss -tanp" "ss -tanp" "0.0.0.0:2024"
cap 021 ss-a table "$WORK" "ss -a" "ss -a, every socket" "rtnl:kernel"
cap 022 mount table "$WORK" "mount" "mount" "proc on /proc type proc (rw,relatime)"
cap 023 env-scrubbed table "$WORK" \
  "env | sort | sed -E 's/^([^=]*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)[^=]*)=.*/\\1=[scrubbed]/I'" \
  "env, values of secret-looking names scrubbed" "PYENV_ROOT="
cap 024 ps-aux table "$WORK" "ps aux | grep -v -e line_io_tools -e process_api" "ps aux (the sandbox's own supervisor processes left out)" "[kthreadd]"

# ---------------------------------------------------------------- git
cap 025 git-log-express git "$EX" "git log -n 300" "git log on express 4.x" "commit 61ccf2ea8c1bd19cbca6acfb7cd276c5fcd410d3" "feat: allow conditional revalidation for QUERY requests (v4) (#7377)"
cap 026 git-log-oneline git "$EX" "git log --oneline -n 2500" "git log --oneline" "fdeb1d31 build: support Node.js 20.x in appveyor"
cap 027 git-log-graph-all git "$EX" "git log --graph --all --oneline --decorate -n 1200" "git log --graph --all" "2177f67f docs: add OSSF Scorecard badge (#5436)"
cap 028 git-log-p-20 git "$EX" "git log -p -n 20" "git log -p -n 20" "commit 715101bd27ec9c14a7ccc8a37c476f330d98ad53"
cap 029 git-branch-a git "$EX" "git branch -a" "git branch -a" "remotes/origin/5.x"
cap 030 git-status-many git "$EX" \
  "git checkout -q -- . && git clean -qfd -e node_modules -e package-lock.json && for f in lib/*.js lib/*/*.js test/*.js; do echo '// touched' >>\$f; done && git rm -q --cached History.md && mkdir -p notes && for i in 1 2 3 4 5 6; do echo n\$i >notes/n\$i.md; done && git mv -f Readme.md README.md && git status; git checkout -q -- . 2>/dev/null; git reset -q; git checkout -q -- .; rm -rf notes README.md; git checkout -q -- Readme.md History.md" \
  "git status with modified, deleted, renamed and untracked files" "deleted:    History.md" "renamed:    Readme.md -> README.md" "modified:   lib/router/index.js"
cap 031 git-log-stat git "$EX" "git log --stat -n 120" "git log --stat" "3 files changed, 46 insertions(+), 2 deletions(-)"
cap 032 git-show-commit git "$EX" "git show --stat -p 291993d73c0c92c1ccce2dad264c86bdd1b4fe4b" "git show of one commit" "commit 291993d73c0c92c1ccce2dad264c86bdd1b4fe4b"

# ---------------------------------------------------------------- unified diffs
cap 033 git-diff-far-commits diff "$EX" "git diff 4.10.0 4.19.0 -- lib test/app.router.js" "git diff between two releases far apart" "diff --git a/lib/router/index.js"
cap 034 git-diff-lockfile diff "$ROOT" "git diff \$(git rev-list --max-parents=0 HEAD | tail -1) HEAD -- package-lock.json" "a package-lock.json diff in headroom's history" "\"node_modules/@ai-sdk/anthropic\""
cap 035 diff-ru-dirs diff "$EX" "diff -ru <(git show 4.0.0:lib/response.js) <(git show 4.21.0:lib/response.js); true" "diff -u of one file across releases (process substitution names)" "@@ -1,39 +1,73 @@"
cap 036 git-diff-headroom diff "$ROOT" "git diff HEAD~60 HEAD -- src/compress" "git diff over headroom's compressors" "diff --git a/src/compress/compress-request.ts"

# ---------------------------------------------------------------- dependency trees
cap 037 npm-ls-all-express tree "$EX" "npm ls --all" "npm ls --all on express 4.x" "body-parser@1.20.9" "qs@6.16.2"
cap 038 npm-ls-all-headroom tree "$ROOT" "npm ls --all" "npm ls --all on headroom itself" "hono@4.13.19" "typescript@5.9.3"

# ---------------------------------------------------------------- JSON
cap 044 npm-view-versions-json json "$WORK" "npm view 'express@>=3' name version dist.shasum --json" "npm view over many versions: an API-like array of objects" "\"dist.shasum\": \"d57cb706d49623d4ac27833f1cbc466b668eb915\""
cap 045 package-lock-express json "$EX" "cat package-lock.json" "package-lock.json with its packages map" "\"node_modules/body-parser\": {" "sha512-FISIQxV5u91Y9gvuFq3q/tA/qTqLJn3AhRcEvyozyhJTh5OBFFtv827AdHU7Rbyct4r+Ba1/99oFa1Y3yuFsdw=="
cap 046 exports-map-hono json "$ROOT" "cat node_modules/hono/package.json" "hono's package.json: a large exports map" "\"types\": \"./dist/types/jsx/index.d.ts\""
cap 047 json-cut-30000 json "$EX" "head -c 30000 package-lock.json" "a package-lock.json cut at 30,000 chars (as a truncating tool leaves it)" "\"lockfileVersion\": 3"
cap 048 npm-ls-json json "$EX" "npm ls --all --json" "npm ls --all --json" "\"version\": \"1.20.9\""
cap 049 ip-json json "$WORK" "ip -j -p addr; lsblk -J -O 2>/dev/null || true" "ip -j -p addr and lsblk -J -O" "\"ifname\": \"ifb1\""

# ---------------------------------------------------------------- logs
cap 050 dpkg-log log "$WORK" "tail -n 2500 /var/log/dpkg.log" "dpkg's own log" "status installed ripgrep:amd64 13.0.0-4+b2"
cap 051 apt-term-log log "$WORK" "cat /var/log/apt/term.log" "apt's term.log" "Setting up tree (2.1.0-1) ..."
cap 052 http-server-access-log log "$EX" \
  "python3 -m http.server 18931 --bind 127.0.0.1 2>&1 & pid=\$!; sleep 1; for p in \$(git ls-files | head -n 400) missing.js lib/nope.js; do curl -s -o /dev/null http://127.0.0.1:18931/\$p; done; kill \$pid" \
  "python -m http.server's access log (GETs, a few 404s)" "code 404, message File not found"
cap 039 alternatives-log log "$WORK" "cat /var/log/alternatives.log" "update-alternatives' log" "link group mogrify-im6 updated to point to /usr/bin/mogrify-im6.q16"
cap 053 cargo-build-verbose log "$WORK/rust-warn" "cargo clean -q; cargo build -vv 2>&1" "cargo build -vv" "Finished \`dev\` profile"

# ---------------------------------------------------------------- search results
cap 054 grep-rn-express search "$EX" "grep -rn 'req\\.' lib test --include=*.js" "grep -rn over express" "lib/router/index.js:86:"
cap 055 rg-color search "$EX" "rg -n --color=always 'function' lib examples" "rg with colour" "app.init = "
cap 056 grep-rn-headroom search "$ROOT" "grep -rn 'export function' src" "grep -rn over headroom's src" "src/compress/compress-text.ts:48:export function compressText("
cap 057 rg-context search "$EX" "rg -n -C2 'res\\.status\\(' test" "rg with two lines of context" "test/res.status.js"

# ---------------------------------------------------------------- listings
cap 058 find-express listing "$EX" "find . -path ./.git -prune -o -path './node_modules/*/*/*' -prune -o -print" "find over express with node_modules" "./node_modules/qs"
cap 059 ls-lR listing "$EX" "ls -lR lib test examples" "ls -lR" "github-view.js"
cap 060 du-ah listing "$EX" "du -ah node_modules | sort -h | tail -n 1500" "du -ah sorted" "72M	node_modules"
cap 061 tree-L2 listing "$EX" "tree -L 2 node_modules" "tree -L 2" "706 directories, 2976 files"
cap 062 ls-la-usr-bin listing "$WORK" "ls -la /usr/bin" "ls -la /usr/bin" "python3 -> python3.11"

# ---------------------------------------------------------------- HTML
cap 063 html-rustc-lints html "$WORK" "cat ~/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html/rustc/lints/listing/warn-by-default.html" "rustc's warn-by-default lint page" "unused_variables"
cap 064 html-rustdoc-features html "$WORK" "cat ~/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html/rustdoc/advanced-features.html" "rustdoc book page" "cfg(doc)"

# ---------------------------------------------------------------- negatives: must pass untouched
cap 065 code-ts-compress-text code "$ROOT" "cat src/compress/tokens.ts" "TypeScript source" "export function countTokens"
cap 066 code-py-argparse code "$WORK" "cat \$(python3 -c 'import argparse; print(argparse.__file__)')" "Python source (argparse)" "class ArgumentParser"
cap 067 prose-express-history prose "$EX" "head -c 60000 History.md" "a changelog (prose with lists)" "4.21.0 / 2024-09-11"
cap 068 prose-headroom-readme prose "$ROOT" "cat README.md" "headroom's README" "## Retrieval (CCR)"
cap 069 config-yaml config "$EX" "cat .github/workflows/ci.yml" "a CI workflow (YAML)" "runs-on:"
cap 070 config-xml config "$WORK" "cat /etc/maven/settings.xml" "maven settings.xml" "<settings"
# ---------------------------------------------------------------- added after the first capture
cap 071 postgres-server-log log "$WORK" \
  "rm -f $WORK/pg/server.log; su postgres -c \"/usr/lib/postgresql/15/bin/pg_ctl -D $WORK/pg -w -l $WORK/pg/server.log -o '-p 55432 -k /tmp -c listen_addresses= -c log_statement=all -c log_connections=on -c log_disconnections=on' start\" >/dev/null && for i in \$(seq 1 40); do su postgres -c 'psql -q -p 55432 -h /tmp -f $WORK/pg-workload.sql' >/dev/null 2>&1; done; su postgres -c '/usr/lib/postgresql/15/bin/pg_ctl -D $WORK/pg -w stop' >/dev/null; cat $WORK/pg/server.log" \
  "a PostgreSQL server log (statements, connections, errors) from 40 runs of a small workload" \
  "ERROR:  division by zero" "ERROR:  relation \"invoices\" does not exist" "duplicate key value violates unique constraint \"orders_pkey\""
cap 072 mocha-express-one-fail test "$EX" \
  "sed -i \"s/}).join(', '));/}).join(','));/\" lib/response.js; node_modules/.bin/mocha --require test/support/env --reporter spec --check-leaks test/ test/acceptance/; code=\$?; git checkout -q -- lib/response.js; exit \$code" \
  "express 4.x's mocha suite with one planted bug in res.links" \
  "2 failing" "should set Link header field:" "(test/res.links.js:21:8)"
cap 073 pytest-stdlib-pass test "$PYLIB" \
  "python3 -m pytest -v -p no:cacheprovider test/test_textwrap.py test/test_difflib.py test/test_fractions.py test/test_operator.py test/test_collections.py" \
  "pytest -v over five of Python's own test modules, all pass (one warning)" \
  "321 passed, 1 warning"
cap 074 tsc-checkjs-express diagnostics "$EX" \
  "$TSC --allowJs --checkJs --noEmit --target es2019 --module commonjs lib/*.js lib/*/*.js" \
  "tsc --checkJs over express's JavaScript: real type errors in real code" \
  "lib/view.js(94,20): error TS2341: Property 'lookup' is private and only accessible within class 'View'."
cap 075 eslint-express-node diagnostics "$EX" \
  "../lint-js/node_modules/.bin/eslint --config ../lint-js/eslint.node.config.js lib examples" \
  "eslint (recommended, no-var and prefer-const as warnings) over express: 33 errors among 557 warnings" \
  "590 problems (33 errors, 557 warnings)" "574:27  error    Expected '===' and instead saw '=='"
cap 076 apt-get-reinstall-pty install "$WORK" \
  "script -qec 'apt-get install --reinstall -y jq libjq1 libonig5 tree ripgrep htop ncdu moreutils python3-pytest python3-attr python3-iniconfig python3-more-itertools python3-packaging python3-pluggy python3-py' /dev/null" \
  "apt-get install --reinstall of 15 packages through a pty" \
  "0 upgraded, 0 newly installed, 15 reinstalled" "Setting up jq (1.6-2.1+deb12u3) ..."
cap 077 npm-view-time-json json "$WORK" "npm view express time --json" \
  "npm view's release dates of every express version: a flat JSON map" \
  "\"4.21.0\": \""
cap 078 pytest-color-many-fail test "$PYLIB" \
  "python3 -m pytest -v --color=yes -p no:cacheprovider test/test_textwrap.py test/test_difflib.py test/test_bisect.py test/test_heapq.py" \
  "pytest -v --color=yes over Python's own tests, where bisect and heapq's C/Python split fails under pytest (45 failures)" \
  "45 failed" "test_heapq.py::" "'TestErrorHandling' object has no attribute 'module'"
