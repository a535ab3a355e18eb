import { parseArgs } from 'node:util';
import { DEFAULT_LAB_ID, labIdFromEnv } from './layout.js';
import { labDown, labStatus, labUp } from './lab.js';

const USAGE = `usage: npm run lab -- <up|down|status> [options]

  up      [--managers N] [--workers N]   start a real swarm: every node its own dockerd in its own network namespace
  down                                   stop the lab and remove everything it made
  status                                 show engines and swarm nodes

  --id N   lab id (0..199, default $SWARMTOP_LAB_ID or ${DEFAULT_LAB_ID}); labs with different ids run side by side
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      managers: { type: 'string', default: '3' },
      workers: { type: 'string', default: '1' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const cmd = positionals[0];
  if (values.help || !cmd) {
    process.stdout.write(USAGE);
    return cmd || values.help ? 0 : 2;
  }
  const id = values.id !== undefined ? Number(values.id) : labIdFromEnv(DEFAULT_LAB_ID);
  if (!Number.isInteger(id) || id < 0 || id > 199) throw new Error('--id must be an integer 0..199');
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  switch (cmd) {
    case 'up': {
      const state = await labUp(id, { managers: Number(values.managers), workers: Number(values.workers), log });
      process.stdout.write(`lab ${id} is up (${state.subnet} on bridge ${state.bridge}):\n`);
      for (const n of state.nodes) process.stdout.write(`  ${n.hostname.padEnd(8)} ${n.role.padEnd(8)} ${n.ip.padEnd(13)} unix://${n.socket}\n`);
      const first = state.nodes[0];
      if (first) {
        process.stdout.write(`\ntry the console:  npm start -- --host unix://${first.socket}\n`);
        process.stdout.write(`docker CLI:       docker -H unix://${first.socket} node ls\n`);
      }
      return 0;
    }
    case 'down':
      await labDown(id, log);
      process.stdout.write(`lab ${id} is down\n`);
      return 0;
    case 'status': {
      const st = await labStatus(id);
      if (!st) {
        process.stdout.write(`lab ${id} is not up\n`);
        return 1;
      }
      for (const s of st.nodes) {
        const engine = s.answers ? `engine up (pid ${s.enginePid ?? '?'})` : 'engine DOWN';
        process.stdout.write(`  ${s.node.hostname.padEnd(8)} ${s.node.role.padEnd(8)} ${s.node.ip.padEnd(13)} unix://${s.node.socket}  ${engine}\n`);
      }
      if (st.swarm) {
        process.stdout.write('\nswarm nodes:\n');
        for (const r of st.swarm) process.stdout.write(`  ${r.hostname.padEnd(8)} ${r.status.padEnd(8)} ${r.availability.padEnd(8)} ${r.managerStatus}\n`);
      } else process.stdout.write('\nno manager answers\n');
      return 0;
    }
    default:
      process.stderr.write(`unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
