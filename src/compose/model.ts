/**
 * A compose file after interpolation, validation and normalization: every short syntax expanded (ports,
 * volumes, secrets, environment lists), durations in nanoseconds, sizes in bytes. Only the keys
 * `docker stack deploy` uses are kept; the rest were validated and warned about.
 */

export type Dict = Record<string, unknown>;

export interface FileRef {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface PortConfig {
  target: number;
  published?: number;
  protocol?: string;
  mode?: string;
}

export interface VolumeMount {
  type: string;
  source?: string;
  target?: string;
  readOnly?: boolean;
  consistency?: string;
  bind?: { propagation?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number };
  image?: { subpath?: string };
  cluster?: Dict;
}

export interface UpdateConfig {
  parallelism?: number;
  delay?: number;
  failureAction?: string;
  monitor?: number;
  maxFailureRatio?: number;
  order?: string;
}

export interface ResourceSet {
  cpus?: string;
  memory?: number;
  pids?: number;
  genericResources?: { kind: string; value: number }[];
}

export interface DeployConfig {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  updateConfig?: UpdateConfig;
  rollbackConfig?: UpdateConfig;
  resources?: { limits?: ResourceSet; reservations?: ResourceSet };
  restartPolicy?: { condition?: string; delay?: number; maxAttempts?: number; window?: number };
  placement?: { constraints?: string[]; preferences?: { spread: string }[]; maxReplicas?: number };
  endpointMode?: string;
}

export interface HealthcheckConfig {
  test?: string[];
  timeout?: number;
  interval?: number;
  retries?: number;
  startPeriod?: number;
  startInterval?: number;
  disable?: boolean;
}

export interface ServiceConfig {
  name: string;
  image?: string;
  command?: string[];
  entrypoint?: string[];
  /** null: a variable passed by name only (no value anywhere). */
  environment: Record<string, string | null>;
  envFile?: string[];
  labels?: Record<string, string>;
  deploy: DeployConfig;
  ports: PortConfig[];
  volumes: VolumeMount[];
  secrets: FileRef[];
  configs: FileRef[];
  /** Network name → per-service options (null: attached with defaults). */
  networks?: Record<string, { aliases?: string[]; driverOpts?: Record<string, string> } | null>;
  healthcheck?: HealthcheckConfig;
  hostname?: string;
  user?: string;
  workingDir?: string;
  stopGracePeriod?: number;
  stopSignal?: string;
  init?: boolean;
  tty?: boolean;
  stdinOpen?: boolean;
  readOnly?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  sysctls?: Record<string, string>;
  ulimits?: Record<string, { single?: number; soft?: number; hard?: number }>;
  logging?: { driver?: string; options?: Record<string, string> };
  /** "host:ip" entries. */
  extraHosts?: string[];
  dns?: string[];
  dnsSearch?: string[];
  isolation?: string;
  oomScoreAdj?: number;
  /** The service-level `restart:` (used when deploy.restart_policy is absent, as the docker CLI does). */
  restart?: string;
  credentialSpec?: { config?: string; file?: string; registry?: string };
}

export interface NetworkConfig {
  name?: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  ipam?: { driver?: string; config?: { subnet?: string }[] };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
}

export interface VolumeConfig {
  name?: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
}

export interface FileObjectConfig {
  name?: string;
  /** Absolute path (relative paths resolve against the first file's directory). */
  file?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driverOpts?: Record<string, string>;
  templateDriver?: string;
}

export interface ComposeConfig {
  version: string;
  services: ServiceConfig[];
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, FileObjectConfig>;
  configs: Record<string, FileObjectConfig>;
}

/** A problem in the input, located as precisely as possible: `stack.yml:12: services.api.deploy.replicas: must be integer`. */
export class ComposeError extends Error {
  constructor(
    message: string,
    readonly file: string | null = null,
    readonly line: number | null = null,
    readonly path: string | null = null,
  ) {
    super(formatLocated(message, file, line, path));
    this.name = 'ComposeError';
  }
}

/** Several errors found at once (every schema error of a file is reported, not just the first). */
export class ComposeErrors extends Error {
  constructor(readonly errors: readonly ComposeError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ComposeErrors';
  }
}

function formatLocated(message: string, file: string | null, line: number | null, path: string | null): string {
  const where = file === null ? '' : line === null ? `${file}: ` : `${file}:${line}: `;
  return `${where}${path === null || path === '' ? '' : `${path}: `}${message}`;
}
