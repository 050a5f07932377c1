/**
 * THE table of anklume's error codes: every code any package throws, with
 * the package that raises it, one line saying what it means, and the exit
 * class the CLI maps it to when it ends a command (`input` → exit 2,
 * `runtime` → exit 1). `AnklumeErrorCode` is derived from it, docs/errors.md
 * is generated from it (`node tooling/gen-errors-doc.mjs`), and a unit test
 * fails when a code used in packages/*\/src or apps/*\/src is missing here.
 */

/** `input`: the user's files or arguments are wrong (exit 2). `runtime`: something failed (exit 1). */
export type ExitClass = 'input' | 'runtime'

export interface ErrorCodeInfo {
  readonly exit: ExitClass
  /** The package (or CLI) that raises it. */
  readonly raisedBy: string
  /** One line for docs/errors.md. */
  readonly description: string
}

const input = (raisedBy: string, description: string) => ({ exit: 'input', raisedBy, description }) as const
const runtime = (raisedBy: string, description: string) =>
  ({ exit: 'runtime', raisedBy, description }) as const

export const ERROR_CODES = {
  // invalid input (exit 2)
  ANKLUME_SCHEMA_INVALID: input(
    'schema',
    'the infra file has errors; each issue has file:line:col, key path, message, hint',
  ),
  ANKLUME_FILE_NOT_FOUND: input('schema', 'no infra.yml / infra/base.yml where looked'),
  ANKLUME_SCHEMA_VERSION_UNSUPPORTED: input(
    'convert (migrate)',
    '`schema_version` newer than this anklume knows',
  ),
  ANKLUME_USAGE: input('cli', 'bad arguments (e.g. `apply` without `--yes` off a terminal)'),
  ANKLUME_RESOURCE_OVERCOMMIT: input(
    'engine (apply)',
    '`resource_policy` asks for more than the host has and `overcommit` is off',
  ),
  ANKLUME_PLACEMENT: input(
    'engine (plan, apply)',
    'a `placement` names a member or cluster group this Incus cluster does not have',
  ),
  ANKLUME_STORAGE_POOL_MISSING: input(
    'engine (plan, apply)',
    'the storage pool the infra uses is not on this Incus (the message lists the pools there)',
  ),
  ANKLUME_INVENTORY_MARKERS: input(
    'convert (inventory)',
    'a generated file has broken `# === MANAGED …` markers: nothing written',
  ),
  ANKLUME_MIGRATE_INVALID: input(
    'convert (migrate)',
    'a file of the Python-era project cannot be read as is',
  ),
  ANKLUME_MIGRATE_NOT_A_PROJECT: input(
    'convert (migrate)',
    'the directory is not a Python-era anklume project',
  ),
  ANKLUME_MIGRATE_UNSUPPORTED: input(
    'convert (migrate)',
    'the Python-era project uses something that cannot be converted',
  ),
  ANKLUME_OUTPUT_EXISTS: input(
    'cli (import, migrate)',
    'refusing to overwrite the output file (use `--force`)',
  ),
  ANKLUME_INIT_EXISTS: input('cli (init)', 'refusing to overwrite an existing infra.yml'),
  ANKLUME_IMPORT_NO_PROJECT: input(
    'engine (import)',
    'no Incus project of that name to import; the hint lists the projects',
  ),
  ANKLUME_IMPORT_SEVERAL_PROJECTS: input(
    'engine (import)',
    'the Incus holds several anklume projects (project_name labels) and no `--project-name` picks one; the message lists them',
  ),
  ANKLUME_TARGET_INVALID: input(
    'engine (snapshot, pause)',
    'no target, or more than one, given (the CLI reports it as `ANKLUME_USAGE`)',
  ),
  ANKLUME_TARGET_NOT_FOUND: input(
    'engine (snapshot, pause, disp)',
    'unknown instance / domain target (the CLI reports it as `ANKLUME_USAGE`)',
  ),
  ANKLUME_DISP_DEFAULT_PROJECT: input(
    'engine (disp)',
    'refusing the `default` project without `--force` (the CLI reports it as `ANKLUME_USAGE`)',
  ),
  ANKLUME_IMAGES_NO_INDEX: input('engine (images import)', 'the directory is not an `images export` store'),
  ANKLUME_PLAN_FILE_INVALID: input(
    'cli (apply with a plan file)',
    'not a saved plan of this anklume (`plan -o`)',
  ),
  // runtime failures (exit 1)
  ANKLUME_PLAN_STALE: runtime(
    'engine (apply with a plan file)',
    'the infra file, Incus or the target changed since `plan -o`: nothing applied; plan again and review',
  ),
  ANKLUME_IMAGES_BAD_INDEX: runtime(
    'engine (images)',
    "the store's index.json is unreadable (`images import` reports it as invalid input, exit 2)",
  ),
  INCUS_UNREACHABLE: runtime(
    'incus-client',
    'socket missing / permission denied / TLS failure; the hint names the socket and the fix',
  ),
  INCUS_NOT_FOUND: runtime('incus-client', '404'),
  INCUS_CONFLICT: runtime('incus-client', '409 already exists, or 412 stale ETag (`status` tells which)'),
  INCUS_API_ERROR: runtime(
    'incus-client',
    "any other error answer, with the HTTP status and Incus's own message",
  ),
  INCUS_OPERATION_FAILED: runtime('incus-client', 'a background operation failed (`metadata.err` included)'),
  INCUS_TIMEOUT: runtime('incus-client', 'waiting gave up'),
  INCUS_CANCELLED: runtime('incus-client', 'the AbortSignal fired'),
  INCUS_BAD_RESPONSE: runtime('incus-client', 'the answer was not Incus JSON'),
  INCUS_CERT_MISMATCH: runtime(
    'incus-client',
    'the HTTPS server did not present the pinned certificate (reported as the cause of `INCUS_UNREACHABLE`)',
  ),
  ANKLUME_LOCKED: runtime(
    'host (lock)',
    'another apply/flush is changing the same Incus (the lock is released when its holder exits, even when killed)',
  ),
  ANKLUME_SUBNET_OVERLAP: runtime(
    'engine (apply)',
    "a bridge's subnet overlaps a host interface, route or resolver: that bridge (and its domain) is not created",
  ),
  ANKLUME_UNMANAGED_INTERFACE: runtime(
    'engine (apply)',
    'a host interface has the name of a bridge to create and Incus does not manage it; the hint gives the `ip link delete` command',
  ),
  ANKLUME_PRODUCTION_HOST: runtime(
    'engine (flush)',
    'level 0 host without `/etc/anklume/yolo`: refused without `--force`',
  ),
  ANKLUME_NFT_NOT_ROOT: runtime(
    'host (nft)',
    'loading needs root; the hint prints the command (during `apply` this is a warning)',
  ),
  ANKLUME_NFT_TABLE_OWNED: runtime(
    'engine (apply)',
    "the infra's isolation table name is taken by another infra's table on this host (set `global.isolation.table`)",
  ),
  ANKLUME_NFT_FIREWALL_DRIVER: runtime('host (nft)', "Incus's firewall driver is not nftables"),
  ANKLUME_NFT_MISSING: runtime('host (nft)', 'the `nft` binary is absent'),
  ANKLUME_NFT_CHECK_FAILED: runtime('host (nft)', "`nft -c` failed, with nft's message"),
  ANKLUME_NFT_LOAD_FAILED: runtime('host (nft)', "`nft -f` failed, with nft's message"),
  ANKLUME_NFT_LIST_FAILED: runtime('host (nft)', "`nft list` failed, with nft's message"),
  ANKLUME_NFT_INVALID_NAME: runtime(
    'nftables',
    'an isolation model built by hand (embedding API) has an invalid table or bridge name',
  ),
  ANKLUME_NFT_INVALID_ADDRESS: runtime(
    'nftables',
    'an isolation model built by hand has an invalid IPv4 address or CIDR',
  ),
  ANKLUME_NFT_MACHINE_NO_IP: runtime(
    'nftables',
    'a policy of a hand-built model targets a machine without a static ip',
  ),
  ANKLUME_NFT_UNKNOWN_TARGET: runtime(
    'nftables',
    'a policy of a hand-built model names something that is not a domain, a machine or `host`',
  ),
  ANKLUME_GRAPHVIZ_MISSING: runtime(
    'convert (graph)',
    "`--format svg` needs Graphviz's `dot`, which is not installed",
  ),
  ANKLUME_GRAPHVIZ_FAILED: runtime('convert (graph)', "Graphviz's `dot` failed, with its message"),
} as const satisfies Record<string, ErrorCodeInfo>

/** Every stable code an anklume error can carry. */
export type AnklumeErrorCode = keyof typeof ERROR_CODES

/** True when `code` is one of the table's codes. */
export function isAnklumeErrorCode(code: unknown): code is AnklumeErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
}
