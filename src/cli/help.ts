/**
 * The command-line help texts.
 * @module
 */

/** `headroom --help`. */
export const MAIN_HELP = `headroom — a local proxy that makes AI coding agents cheaper

Usage:
  headroom proxy [options]       run the proxy (see headroom proxy --help)
  headroom compress [FILE|-]     compress command output for an agent's context
  headroom retrieve HASH         print the original behind a headroom marker
  headroom stats [--json]        summarise the running proxy's savings
  headroom wrap AGENT [-- ARGS]  run claude, codex, aider, ... through the proxy
  headroom unwrap AGENT          undo what wrap changed on disk (Codex's provider block)
  headroom doctor                check the install, workspace, port and upstreams
  headroom --version             print the version
  headroom --help                print this help

Quickest start: headroom wrap claude (or codex). By hand: run headroom proxy, then
ANTHROPIC_BASE_URL=http://127.0.0.1:8787 claude, or OPENAI_BASE_URL=http://127.0.0.1:8787/v1
for OpenAI-compatible clients.
`;

/** `headroom proxy --help`. */
export const PROXY_HELP = `Usage: headroom proxy [options]

Options:
  --host HOST                   address to listen on (HEADROOM_HOST, default 127.0.0.1)
  --port PORT                   port to listen on (HEADROOM_PORT, default 8787; 0 = any free port)
  --openai-api-url URL          OpenAI upstream (OPENAI_TARGET_API_URL, default https://api.openai.com)
  --anthropic-api-url URL       Anthropic upstream (ANTHROPIC_TARGET_API_URL, default https://api.anthropic.com)
  --no-optimize                 forward every request untouched
  --workspace-dir DIR           where headroom keeps its data (HEADROOM_WORKSPACE_DIR, default ~/.headroom)
  --stateless                   write nothing to disk (HEADROOM_STATELESS)
  --request-timeout-seconds N   longest upstream silence before giving up (HEADROOM_REQUEST_TIMEOUT, default 300)
  --retry-max-attempts N        upstream attempts for connect errors and 429/529 (HEADROOM_RETRY_MAX_ATTEMPTS, default 3)
  --log-level LEVEL             debug, info, warn, error or silent (HEADROOM_LOG_LEVEL, default info)
  --cache                       answer identical requests from the response cache (HEADROOM_CACHE)
  --log-messages                the live feed (/transformations/feed) carries tool-output text (HEADROOM_LOG_MESSAGES)
  -h, --help                    print this help

Other environment variables:
  HEADROOM_PROXY_TOKEN          token non-loopback callers must send in x-headroom-proxy-token
  HEADROOM_REMOTE_BASE_URL      1 lets non-loopback callers redirect requests with x-headroom-base-url
  HEADROOM_MAX_BODY_BYTES       largest request body accepted (default 104857600)
  HEADROOM_SHUTDOWN_TIMEOUT_SECONDS  how long in-flight requests may finish on SIGINT/SIGTERM (default 30)
`;
