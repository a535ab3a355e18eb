export const USAGE = `swarmtop — a terminal console for operating Docker Swarm clusters

usage:
  swarmtop [options]                 open the console (default: the local engine)
  swarmtop --fleet [options]         open on the fleet: every context at once (0 in the console)
  swarmtop snapshot --json [options] print the cluster state once, as JSON
  swarmtop snapshot --json --fleet   print every context's summary, as JSON
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
