// Runs before any test file: isolate every test run from the developer's home, keys and proxy.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const home = mkdtempSync(join(tmpdir(), "headroom-test-home-"));
process.env.HOME = home;
process.env.HEADROOM_WORKSPACE_DIR = join(home, ".headroom");
for (const name of Object.keys(process.env)) {
  if (/_API_KEY$|^ANTHROPIC_|^OPENAI_|^HEADROOM_(?!WORKSPACE_DIR)/.test(name))
    delete process.env[name];
}
