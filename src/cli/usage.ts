export const USAGE = `swarmtop — a terminal console for operating Docker Swarm clusters

usage:
  swarmtop [options]                 open the console (default: the local engine)
  swarmtop --fleet [options]         open on the fleet: every context at once (0 in the console)
  swarmtop snapshot --json [options] print the cluster state once, as JSON
  swarmtop snapshot --json --fleet   print every context's summary, as JSON
  swarmtop service set-image NAME IMAGE [--detach]
                                     roll a service to another image; follows the rollout like
                                     docker service update (exit 1 if it pauses or rolls back)
  swarmtop service edit NAME [--detach]
                                     edit the spec in $EDITOR: diff, confirm, update
  swarmtop secret create NAME FILE|- [--label k=v]...      create a secret (- : standard input, typed unseen at a terminal)
  swarmtop secret rm NAME [--yes]                         remove a secret no service uses
  swarmtop secret rotate NAME [FILE|-] [--name NEW] [--yes] [--detach] [--keep-old]
                                     new version, every service moved to it one by one, old one removed;
                                     without a terminal it needs --yes (else it prints the plan and exits 3)
  swarmtop config create|rm|rotate ...                    the same for configs (create: --template-driver golang)
  swarmtop bundle [--since 30m] [-o FILE] [--log-lines N] [options]
                                     write an incident bundle (tar.gz): snapshot, timeline of the
                                     window, logs of services not converged, audit lines, versions
  swarmtop schema keys|theme         print the JSON schema of keys.yaml or of a theme file
  swarmtop --version [--verbose] | --help

connection options:
  --context NAME     use a swarmtop or docker context
  --host URL         unix:///path, tcp://host:port, ssh://user@host[:port]
  --insecure         TLS without verifying the server (a red banner says so)

console options:
  --read-only        refuse every mutating action
  --no-audit         act without the audit log (only when it cannot be written; the header says so)
  --theme NAME       colour theme (bundled in themes/ or yours in $XDG_CONFIG_HOME/swarmtop/themes/)

settings: $XDG_CONFIG_HOME/swarmtop/keys.yaml (keys and : aliases), themes/*.json there

environment: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONTEXT, NO_COLOR,
             SWARMTOP_DEBUG_LOG (a file: the console appends what a bug report needs, never a secret)
`;
