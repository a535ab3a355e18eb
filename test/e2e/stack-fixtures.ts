/**
 * Compose files for the differential stack tests: together they use every key swarmtop converts.
 * ${PP} prefixes published ports and ${NET} picks subnets, so the docker CLI's stack (A) and
 * swarmtop's (B) can live side by side; ${TAG} and ${V} change between the first deploy and the update.
 * Most services are pinned to a node label no node has: their tasks stay pending (no containers).
 */

export interface StackCase {
  name: string;
  /** File name → content; the -c files are `files` in order, the rest are data files. */
  files: Record<string, string>;
  compose: string[];
}

const PIN = `
      placement:
        constraints: [node.labels.swarmtop_never == yes]`;

export const CASES: readonly StackCase[] = [
  {
    name: 'basic',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `version: "3.8"
services:
  web:
    image: local/busybox:\${TAG:-1}
    command: sh -c "echo 'hello world' && sleep 3600"
    entrypoint: ["/bin/sh", "-c"]
    environment: [LEVEL=info, "VERSION=\${V:-1}", EMPTY]
    labels: [team=ops, tier=front]
    hostname: web-host
    user: "1000:1000"
    working_dir: /srv
    ports:
      - "\${PP}8001:80"
      - "9000"
      - "\${PP}8010-\${PP}8011:90-91/udp"
    deploy:
      replicas: 2${PIN}
  worker:
    image: local/busybox:1
    command: ["sleep", "3600"]
    deploy:
      replicas: 1${PIN}
`,
    },
  },
  {
    name: 'deploy',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  api:
    image: local/busybox:\${TAG:-1}
    deploy:
      mode: replicated
      replicas: 3
      labels: {owner: platform, "VERSION": "\${V:-1}"}
      endpoint_mode: dnsrr
      placement:
        constraints: [node.labels.swarmtop_never == yes, node.role == worker]
        preferences: [{spread: node.labels.zone}]
        max_replicas_per_node: 2
      resources:
        limits: {cpus: "0.5", memory: 64M, pids: 100}
        reservations: {cpus: "0.25", memory: 32m}
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 2m}
      update_config: {parallelism: 2, delay: 10s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.3, order: start-first}
      rollback_config: {parallelism: 0, delay: 1s, failure_action: pause, monitor: 5s, order: stop-first}
`,
    },
  },
  {
    name: 'global-host',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  agent:
    image: local/busybox:\${TAG:-1}
    command: sleep 3600
    ports:
      - {target: 80, published: "\${PP}8020", protocol: tcp, mode: host}
      - {target: 53, published: "\${PP}8053", protocol: udp}
    deploy:
      mode: global
      endpoint_mode: vip${PIN}
`,
    },
  },
  {
    name: 'jobs',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  migrate:
    image: local/busybox:\${TAG:-1}
    command: ["true"]
    deploy:
      mode: replicated-job
      replicas: 2${PIN}
  sweep:
    image: local/busybox:1
    command: ["true"]
    deploy:
      mode: global-job${PIN}
`,
    },
  },
  {
    name: 'networks',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  app:
    image: local/busybox:\${TAG:-1}
    networks:
      front:
        aliases: [app-alias]
      back: {}
    deploy:${PIN}
  db:
    image: local/busybox:1
    networks: [back]
    deploy:${PIN}
networks:
  front:
    driver: overlay
    attachable: true
    driver_opts: {com.docker.network.driver.mtu: "1400"}
    labels: {purpose: front}
    ipam:
      config: [{subnet: "10.\${NET}.1.0/24"}]
  back:
    internal: true
    labels: [purpose=back]
`,
    },
  },
  {
    name: 'external',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  app:
    image: local/busybox:\${TAG:-1}
    networks: [shared]
    secrets: [ext_secret]
    configs: [ext_config]
    deploy:${PIN}
networks:
  shared:
    external: true
    name: \${EXT_NET}
secrets:
  ext_secret:
    external: true
    name: \${EXT_SECRET}
configs:
  ext_config:
    external: true
    name: \${EXT_CONFIG}
`,
    },
  },
  {
    name: 'secrets-configs',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  app:
    image: local/busybox:\${TAG:-1}
    secrets:
      - db_password
      - source: api_key
        target: /run/keys/api
        uid: "100"
        gid: "101"
        mode: 0440
    configs:
      - app_conf
      - source: tmpl
        target: /etc/tmpl.conf
        mode: 0400
    deploy:${PIN}
secrets:
  db_password:
    file: ./secrets/db_password.txt
    labels: {kind: password}
  api_key:
    file: ./secrets/api_key.txt
configs:
  app_conf:
    file: ./app.conf
    labels: [kind=conf]
  tmpl:
    file: ./tmpl.conf
    template_driver: golang
`,
      'secrets/db_password.txt': 'hunter2\n',
      'secrets/api_key.txt': 'k-123',
      'app.conf': 'listen 80\n',
      'tmpl.conf': 'service={{ .Service.Name }}\n',
    },
  },
  {
    name: 'volumes',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  app:
    image: local/busybox:\${TAG:-1}
    volumes:
      - data:/data
      - cache:/cache:ro
      - ./rel:/rel
      - /tmp:/host-tmp:ro,rshared
      - type: tmpfs
        target: /scratch
        tmpfs: {size: 16777216}
      - type: volume
        source: data
        target: /nocopy
        volume: {nocopy: true}
      - type: volume
        source: outside
        target: /outside
    deploy:${PIN}
volumes:
  data:
    driver: local
    driver_opts: {type: tmpfs, device: tmpfs, o: "size=1m"}
    labels: {backup: "no"}
  cache: {}
  outside:
    external: true
    name: shared-volume
`,
    },
  },
  {
    name: 'environment',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  app:
    image: local/busybox:\${TAG:-1}
    env_file: [./common.env, ./extra.env]
    environment:
      FROM_DOTENV: \${DOTENV_VALUE}
      WITH_DEFAULT: \${UNSET_VAR:-fallback}
      UNSET_DASH: \${UNSET_VAR-dash}
      EMPTY_COLON: \${EMPTY_VAR:-colon}
      EMPTY_DASH: \${EMPTY_VAR-dash}
      DOLLAR: "cost $$5"
      BRACED: "\${V}"
      BARE: $V
      OVERRIDDEN: from-file
      NUMBER: 42
      FLAG: "true"
    labels:
      version: "\${V:-1}"
      plain: "x"
    deploy:${PIN}
`,
      'common.env': '# comment\nCOMMON=1\nOVERRIDDEN=from-env-file\n  SPACED=  keeps spaces  \nQUOTED="kept"\n',
      'extra.env': 'EXTRA=2\n',
    },
  },
  {
    name: 'container-options',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `services:
  app:
    image: local/busybox:\${TAG:-1}
    healthcheck:
      test: ["CMD", "true"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 1m
      start_interval: 2s
    stop_grace_period: 1m30s
    stop_signal: SIGUSR1
    init: true
    cap_add: [NET_ADMIN, sys_time]
    cap_drop: [MKNOD]
    sysctls: {net.core.somaxconn: 1024}
    ulimits:
      nproc: 65535
      nofile: {soft: 20000, hard: 40000}
    logging:
      driver: json-file
      options: {max-size: 10m, max-file: "3"}
    extra_hosts: ["db.local:10.0.0.5", "cache.local=10.0.0.6"]
    dns: [10.0.0.53]
    dns_search: example.internal
    tty: true
    stdin_open: true
    read_only: true
    oom_score_adj: 100
    deploy:${PIN}
  shellhealth:
    image: local/busybox:1
    healthcheck:
      test: "wget -q -O- localhost || exit 1"
    init: false
    stop_grace_period: 0s
    deploy:${PIN}
`,
    },
  },
  {
    name: 'merged',
    compose: ['base.yml', 'override.yml'],
    files: {
      'base.yml': `services:
  web:
    image: local/busybox:1
    command: sleep 1000
    environment: {A: "1", B: "2"}
    ports: ["\${PP}8030:80", "\${PP}8031:81"]
    dns: [10.0.0.1]
    deploy:
      replicas: 1
      labels: {from: base}${PIN}
  side:
    image: local/busybox:1
    deploy:${PIN}
secrets:
  token:
    file: ./token.txt
`,
      'override.yml': `services:
  web:
    image: local/busybox:\${TAG:-1}
    environment: {B: "override", C: "3"}
    ports: ["\${PP}8031:82"]
    dns: [10.0.0.2]
    secrets: [token]
    deploy:
      replicas: 3
      labels: {from: override}
  extra:
    image: local/busybox:1
    deploy:${PIN}
`,
      'token.txt': 'tok',
    },
  },
  {
    name: 'unsupported',
    compose: ['stack.yml'],
    files: {
      'stack.yml': `version: "3.9"
x-common: &common
  image: local/busybox:\${TAG:-1}
  deploy:${PIN}
services:
  legacy:
    <<: *common
    build: .
    restart: on-failure:3
    container_name: legacy
    privileged: true
    expose: ["80"]
    healthcheck:
      disable: true
  always:
    <<: *common
    restart: always
    command: 'echo "a b" c\\ d'
`,
    },
  },
];

/** The update: same files, new values through the environment (TAG, V). */
export const UPDATE_ENV: Readonly<Record<string, string>> = { TAG: '2', V: '2' };
