/**
 * Loads the price table: the embedded list prices, updated by prices.json in the workspace
 * directory when the user provides one.
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../core/logger.ts";
import { PriceTable, parsePriceOverrides } from "../stats/prices.ts";

/** The price table for `workspaceDir`. */
export function loadPrices(workspaceDir: string, log: Logger): PriceTable {
  const path = join(workspaceDir, "prices.json");
  if (!existsSync(path)) return new PriceTable();
  const { prices, problems } = parsePriceOverrides(readFileSync(path, "utf8"));
  for (const problem of problems) log.warn(problem, { path });
  return new PriceTable(prices);
}
