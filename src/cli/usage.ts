export const USAGE = `swarmtop — a terminal console for operating Docker Swarm clusters

usage:
  swarmtop [options]                 open the console (default: the local engine)
  swarmtop snapshot --json [options] print the cluster state once, as JSON
  swarmtop bundle [--since 30m] [-o FILE] [--log-lines N] [options]
                                     write an incident bundle (tar.gz): snapshot, timeline of the
                                     window, logs of services not converged, audit lines, versions
  swarmtop --version | --help

connection options:
  --context NAME     use a swarmtop or docker context
  --host URL         unix:///path, tcp://host:port, ssh://user@host[:port]
  --insecure         TLS without verifying the server (a red banner says so)

console options:
  --read-only        refuse every mutating action
  --theme NAME       colour theme (see themes/)

environment: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONTEXT, NO_COLOR
`;
