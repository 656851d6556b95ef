#!/usr/bin/env bash
# Captures the compression corpus (tests/corpus/samples): real outputs of real programs on this
# machine, each beside a .json naming the command, kind, split and the facts an agent needs.
#
#   bash scripts/corpus/capture.sh            # every sample
#   bash scripts/corpus/capture.sh 012 040    # only these numbers
#
# Not run by CI: the committed files are the corpus. Idempotent: scratch projects live under
# $CORPUS_WORK (default /tmp/headroom-corpus-work) and are built once; re-running overwrites the
# samples. Needs root for apt-get (the install logs) and su (PostgreSQL 15 runs as postgres),
# the npm registry, cargo, gcc, python3 with pytest, and a snapshot of expressjs/express under
# $EXPRESS_GIT (a bare clone with its 4.x branch; any clone with its history works).
# A fact that is not a substring of its new capture is reported and the script exits 1, so a
# refresh never commits a sample whose facts went stale.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/tests/corpus/samples
WORK=${CORPUS_WORK:-/tmp/headroom-corpus-work}
EXPRESS_GIT=${EXPRESS_GIT:-/work/.mirror/expressjs+express/repo}
BUN=$ROOT/node_modules/.bin/bun
TSC=$ROOT/node_modules/.bin/tsc
BIOME=$ROOT/node_modules/.bin/biome
ONLY=" $* "
STALE=0
mkdir -p "$OUT" "$WORK"
export PATH="$ROOT/node_modules/.bin:$PATH" NO_UPDATE_NOTIFIER=1 npm_config_fund=false

# The split alternates by number: odd numbers tune, even numbers report. Each kind's numbers are
# chosen to include both parities, so every kind lands in both halves (tests/corpus checks it).
split_of() { if (( 10#$1 % 2 )); then echo tune; else echo report; fi; }

# cap NNN SLUG KIND DIR COMMAND NOTE FACT...: runs COMMAND with bash in DIR, stdout and stderr
# into one file as a terminal shows them, then writes the metadata (with the exit code) and
# checks the facts.
cap() {
  local id=$1 slug=$2 kind=$3 dir=$4 command=$5 note=$6
  shift 6
  [[ $ONLY == "  " || $ONLY == *" $id "* ]] || return 0
  local txt=$OUT/$id-$slug.txt
  rm -f "$OUT/$id"-*.txt "$OUT/$id"-*.json
  echo "capturing $id-$slug" >&2
  (cd "$dir" && bash -c "$command") >"$txt" 2>&1
  local code=$?
  local fact
  for fact in "$@"; do
    if ! grep -qF -- "$fact" "$txt"; then
      echo "  STALE FACT in $id-$slug: $fact" >&2
      STALE=1
    fi
  done
  # Facts go in one newline-separated argument: jq would read a fact starting with "-" as an option.
  # The exit code lets the agent shapes say what Claude Code and Codex add for a failing command.
  jq -n --arg command "$command" --argjson exit "$code" --arg kind "$kind" \
    --arg split "$(split_of "$id")" --arg note "$note" --arg facts "$(printf '%s\n' "$@")" \
    '{command: $command, exit: $exit, kind: $kind, split: $split, facts: ($facts | split("\n") | map(select(. != ""))), note: $note}' \
    >"$OUT/$id-$slug.json"
}

# ---------------------------------------------------------------- scratch projects (built once)
setup_express() {
  local dir=$WORK/express
  if [[ ! -d $dir/.git ]]; then
    git clone -q "$EXPRESS_GIT" "$dir"
    git -C "$dir" checkout -q 4.x
  fi
}

setup_js_suite() {
  local dir=$WORK/js-suite
  [[ -f $dir/ledger.test.mjs ]] && return
  mkdir -p "$dir"
  cat >"$dir/ledger.mjs" <<'JS'
// A tiny ledger: BUG=1 in the environment plants one off-by-one so a single test fails.
const bug = process.env.BUG === "1";
export function total(entries) {
  return entries.reduce((sum, e) => sum + e.amount, 0);
}
export function balanceAfter(entries, n) {
  return total(entries.slice(0, bug && n === 7 ? n - 1 : n));
}
export function byAccount(entries) {
  const map = new Map();
  for (const e of entries) map.set(e.account, (map.get(e.account) ?? 0) + e.amount);
  return map;
}
export function parseEntry(line) {
  const [date, account, amount] = line.split(",");
  if (!date || !account || amount === undefined) throw new Error(`malformed entry: ${line}`);
  return { date, account, amount: Number(amount) };
}
JS
  cat >"$dir/fixtures.mjs" <<'JS'
export const ACCOUNTS = ["cash", "rent", "groceries", "salary", "utilities", "travel", "books", "savings"];
export const ENTRIES = Array.from({ length: 40 }, (_, i) => ({
  date: `2024-03-${String((i % 28) + 1).padStart(2, "0")}`,
  account: ACCOUNTS[i % ACCOUNTS.length],
  amount: ((i * 37) % 200) - 60,
}));
JS
  cat >"$dir/ledger.test.mjs" <<'JS'
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { balanceAfter, byAccount, parseEntry, total } from "./ledger.mjs";
import { ACCOUNTS, ENTRIES } from "./fixtures.mjs";

describe("balanceAfter", () => {
  for (let n = 0; n <= 30; n++) {
    it(`balance after ${n} entries`, () => {
      const expected = ENTRIES.slice(0, n).reduce((s, e) => s + e.amount, 0);
      assert.equal(balanceAfter(ENTRIES, n), expected);
    });
  }
});
describe("byAccount", () => {
  for (const account of ACCOUNTS) {
    it(`sums the ${account} account`, () => {
      const expected = ENTRIES.filter((e) => e.account === account).reduce((s, e) => s + e.amount, 0);
      assert.equal(byAccount(ENTRIES).get(account), expected);
    });
  }
});
describe("parseEntry", () => {
  for (const e of ENTRIES.slice(0, 20)) {
    it(`parses ${e.date} ${e.account}`, () => {
      assert.deepEqual(parseEntry(`${e.date},${e.account},${e.amount}`), e);
    });
  }
  it("rejects a line without an amount", () => {
    assert.throws(() => parseEntry("2024-03-01,cash"), /malformed entry/);
  });
});
it("total of all entries", () => assert.equal(total(ENTRIES), 1460));
JS
  cat >"$dir/ledger.bun.test.ts" <<'TS'
import { describe, expect, test } from "bun:test";
import { balanceAfter, byAccount, parseEntry, total } from "./ledger.mjs";
import { ACCOUNTS, ENTRIES } from "./fixtures.mjs";

describe("balanceAfter", () => {
  for (let n = 0; n <= 30; n++) {
    test(`balance after ${n} entries`, () => {
      const expected = ENTRIES.slice(0, n).reduce((s, e) => s + e.amount, 0);
      expect(balanceAfter(ENTRIES, n)).toBe(expected);
    });
  }
});
describe("byAccount", () => {
  for (const account of ACCOUNTS) {
    test(`sums the ${account} account`, () => {
      const expected = ENTRIES.filter((e) => e.account === account).reduce((s, e) => s + e.amount, 0);
      expect(byAccount(ENTRIES).get(account)).toBe(expected);
    });
  }
});
describe("parseEntry", () => {
  for (const e of ENTRIES.slice(0, 20)) {
    test(`parses ${e.date} ${e.account}`, () => {
      expect(parseEntry(`${e.date},${e.account},${e.amount}`)).toEqual(e);
    });
  }
});
test("total of all entries", () => expect(total(ENTRIES)).toBe(1460));
TS
}

setup_py_suite() {
  local dir=$WORK/py-suite
  [[ -f $dir/test_inventory.py ]] && return
  mkdir -p "$dir"
  cat >"$dir/inventory.py" <<'PY'
"""A small stock ledger; BUG=1 in the environment plants one rounding bug."""
import os

BUG = os.environ.get("BUG") == "1"


def restock(levels, sku, qty):
    if qty <= 0:
        raise ValueError(f"restock quantity must be positive, got {qty}")
    levels[sku] = levels.get(sku, 0) + qty
    return levels[sku]


def unit_price(total_cents, units):
    price = total_cents / units
    if BUG and units == 7:
        return int(price)
    return round(price, 2)


def reorder(levels, threshold):
    return sorted(sku for sku, qty in levels.items() if qty < threshold)
PY
  cat >"$dir/test_inventory.py" <<'PY'
import unittest

from inventory import reorder, restock, unit_price

SKUS = ["bolt-m4", "bolt-m6", "nut-m4", "nut-m6", "washer-8", "washer-10", "hinge-s", "hinge-l",
        "bracket-a", "bracket-b", "screw-3x12", "screw-4x20"]


class RestockTest(unittest.TestCase):
    pass


class UnitPriceTest(unittest.TestCase):
    pass


class ReorderTest(unittest.TestCase):
    def test_reorder_lists_low_skus_sorted(self):
        levels = {sku: i for i, sku in enumerate(SKUS)}
        self.assertEqual(reorder(levels, 3), ["bolt-m4", "bolt-m6", "nut-m4"])

    def test_restock_rejects_zero(self):
        with self.assertRaises(ValueError):
            restock({}, "bolt-m4", 0)


def _restock_case(sku, qty):
    def test(self):
        levels = {sku: 5}
        self.assertEqual(restock(levels, sku, qty), 5 + qty)
    return test


def _price_case(units):
    def test(self):
        self.assertEqual(unit_price(1000, units), round(1000 / units, 2))
    return test


for i, sku in enumerate(SKUS):
    setattr(RestockTest, f"test_restock_{sku.replace('-', '_')}", _restock_case(sku, i + 1))
for units in range(1, 25):
    setattr(UnitPriceTest, f"test_unit_price_for_{units}_units", _price_case(units))

if __name__ == "__main__":
    unittest.main()
PY
  cat >"$dir/test_inventory_pytest.py" <<'PY'
import pytest

from inventory import reorder, restock, unit_price
from test_inventory import SKUS


@pytest.mark.parametrize("sku", SKUS)
@pytest.mark.parametrize("qty", [1, 5, 12])
def test_restock_adds(sku, qty):
    levels = {sku: 2}
    assert restock(levels, sku, qty) == 2 + qty


@pytest.mark.parametrize("units", range(1, 21))
def test_unit_price(units):
    assert unit_price(1000, units) == round(1000 / units, 2)


def test_reorder_threshold():
    assert reorder({"a": 1, "b": 9, "c": 0}, 2) == ["a", "c"]


def test_restock_rejects_negative():
    with pytest.raises(ValueError, match="must be positive"):
        restock({}, "bolt-m4", -3)
PY
}

setup_ts_errors() {
  local dir=$WORK/ts-errors
  [[ -f $dir/tsconfig.json ]] && return
  mkdir -p "$dir/src"
  cat >"$dir/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "ESNext", "moduleResolution": "bundler", "noEmit": true, "noUnusedLocals": true }, "include": ["src"] }
JSON
  local names=(orders customers invoices shipping payments catalog reviews coupons warehouse returns reports auth)
  local i=0 name
  for name in "${names[@]}"; do
    i=$((i + 1))
    cat >"$dir/src/$name.ts" <<TS
export interface ${name^}Record {
  id: number;
  label: string;
  createdAt: Date;
  tags: string[];
}

export function load${name^}(id: number): ${name^}Record {
  const unused${i} = id * 2;
  return { id: String(id), label: "${name}", createdAt: new Date(), tags: [] };
}

export function summarize${name^}(records: ${name^}Record[]): string {
  const first = records[0];
  const count: number = records.map((r) => r.label);
  return first.lable + count + records.lenght;
}

export function find${name^}(records: ${name^}Record[], id: string) {
  return records.find((r) => r.id === id)?.tags.join(", ", "");
}

export async function save${name^}(record: ${name^}Record): Promise<void> {
  await persist${name^}(record);
  record.createdAt = "${i}";
}
TS
  done
}

setup_lint() {
  local dir=$WORK/lint-js
  [[ -d $dir/node_modules/eslint ]] && return
  mkdir -p "$dir/src"
  cat >"$dir/package.json" <<'JSON'
{ "name": "lint-scratch", "version": "1.0.0", "private": true, "type": "module" }
JSON
  cat >"$dir/eslint.config.js" <<'JS'
import js from "@eslint/js";
export default [js.configs.recommended, { rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "warn" } }];
JS
  local names=(router session upload mailer cache queue scheduler metrics search billing profile audit)
  local name
  for name in "${names[@]}"; do
    cat >"$dir/src/$name.js" <<JS
var registry = {};
export function register${name^}(key, handler, options) {
  let attempts = 0;
  if (key == null) return undefined;
  if (typeof handler == "function") {
    registry[key] = handler;
  }
  try {
    handler(options);
  } catch (err) {}
  return registery[key];
}

export function lookup${name^}(key) {
  const found = registry[key];
  debugger;
  switch (key) {
    case "a":
      found.count++;
    case "b":
      return found;
  }
  return found == undefined ? fallback : found;
}
JS
  done
  (cd "$dir" && npm install --no-audit --no-fund eslint@9 @eslint/js@9 >/dev/null 2>&1)
}

setup_lint_node() {
  local config=$WORK/lint-js/eslint.node.config.js
  [[ -f $config ]] && return
  cat >"$config" <<'JS'
import js from "@eslint/js";
const names = ["require", "module", "exports", "process", "__dirname", "__filename", "Buffer",
  "setImmediate", "console", "describe", "it", "before", "after", "beforeEach", "afterEach"];
const node = Object.fromEntries(names.map((g) => [g, "readonly"]));
export default [
  js.configs.recommended,
  { languageOptions: { sourceType: "commonjs", globals: node },
    rules: { eqeqeq: "error", "prefer-const": "warn", "no-var": "warn" } },
];
JS
}

setup_cargo() {
  local dir=$WORK/rust-warn
  [[ -f $dir/Cargo.toml ]] && return
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<'TOML'
[package]
name = "parcel-router"
version = "0.3.1"
edition = "2021"
TOML
  cat >"$dir/src/main.rs" <<'RS'
mod route;
mod depot;
mod parcel;
fn main() {
    let depots = depot::default_depots();
    let parcels: Vec<parcel::Parcel> = (0..12).map(parcel::Parcel::sample).collect();
    for p in &parcels {
        println!("{} -> {}", p.id, route::best_depot(&depots, p).name);
    }
}
RS
  cat >"$dir/src/route.rs" <<'RS'
use crate::depot::Depot;
use crate::parcel::Parcel;
use std::collections::HashMap;

pub fn best_depot<'a>(depots: &'a [Depot], parcel: &Parcel) -> &'a Depot {
    let mut scores = Vec::new();
    let unused_cache: HashMap<u32, f64> = HashMap::new();
    for d in depots {
        let distance = ((d.x - parcel.x).powi(2) + (d.y - parcel.y).powi(2)).sqrt();
        scores.push(distance);
    }
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if *s < scores[best] { best = i; }
    }
    &depots[best]
}

pub fn total_weight(parcels: &[Parcel]) -> f64 {
    let mut sum = 0.0;
    let count = parcels.len();
    for p in parcels { sum += p.weight; }
    sum
}
RS
  cat >"$dir/src/depot.rs" <<'RS'
pub struct Depot {
    pub name: String,
    pub x: f64,
    pub y: f64,
    capacity: u32,
}

pub fn default_depots() -> Vec<Depot> {
    vec![
        Depot { name: "north".into(), x: 0.0, y: 10.0, capacity: 40 },
        Depot { name: "south".into(), x: 0.0, y: -10.0, capacity: 25 },
    ]
}

fn unused_helper(d: &Depot) -> u32 { d.capacity * 2 }
RS
  cat >"$dir/src/parcel.rs" <<'RS'
pub struct Parcel {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub weight: f64,
}

impl Parcel {
    pub fn sample(i: u32) -> Parcel {
        let mut label = format!("P-{:04}", i);
        Parcel { id: label, x: i as f64 - 6.0, y: (i % 5) as f64, weight: 1.5 }
    }
}
RS
}

setup_make_c() {
  local dir=$WORK/c-build
  [[ -f $dir/Makefile ]] && return
  mkdir -p "$dir/src"
  local names=(buffer hashmap list parser lexer arena strbuf utf8 json_write json_read config cli)
  local name
  for name in "${names[@]}"; do
    cat >"$dir/src/$name.c" <<C
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ${name}_count(const char *s) {
    int n;
    unsigned len = strlen(s);
    for (int i = 0; i < len; i++) if (s[i] == ',') n++;
    return n;
}

char *${name}_dup(const char *s) {
    char *copy = malloc(strlen(s));
    strcpy(copy, s);
    return copy;
}

void ${name}_print(long v) {
    printf("%d\n", v);
}
C
  done
  printf 'int main(void) { return 0; }\n' >"$dir/src/main.c"
  cat >"$dir/Makefile" <<'MK'
CFLAGS = -O2 -Wall -Wextra
SRC = $(wildcard src/*.c)
OBJ = $(SRC:.c=.o)
app: $(OBJ)
	$(CC) -o $@ $(OBJ)
clean:
	rm -f src/*.o app
MK
}

setup_postgres() {
  local dir=$WORK/pg
  [[ -f $dir/PG_VERSION ]] && return
  mkdir -p "$dir" && chown postgres:postgres "$dir"
  su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $dir" >/dev/null
  cat >"$WORK/pg-workload.sql" <<'SQL'
CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, customer text NOT NULL, total numeric);
TRUNCATE orders;
INSERT INTO orders SELECT g, 'customer-' || (g % 37), g * 1.5 FROM generate_series(1, 500) g;
SELECT customer, count(*), sum(total) FROM orders GROUP BY customer ORDER BY 3 DESC LIMIT 5;
INSERT INTO orders VALUES (42, 'dup', 1);
SELECT total / 0 FROM orders WHERE id = 7;
SELECT * FROM invoices;
UPDATE orders SET total = total * 1.1 WHERE id % 10 = 0;
SQL
}

setup_express
setup_postgres
setup_js_suite
setup_py_suite
setup_ts_errors
setup_lint
setup_lint_node
setup_cargo
setup_make_c
EX=$WORK/express
JSS=$WORK/js-suite
PYS=$WORK/py-suite
PYLIB=$(python3 -c 'import os, test; print(os.path.dirname(os.path.dirname(test.__file__)))')

. "$ROOT/scripts/corpus/samples.sh"

# The metadata in the repository's JSON style, so `npm run check` stays green after a refresh.
"$BIOME" format --write "$OUT" >/dev/null

if ((STALE)); then
  echo "some facts are no longer in their captures: update them in scripts/corpus/samples.sh" >&2
  exit 1
fi
