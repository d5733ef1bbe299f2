#!/usr/bin/env node
// corral: the one program with a subcommand per process (apiserver, controllers, agent, up) plus
// the operator's tools that reach an agent (task, container). Each subcommand is a thin
// composition root; logic lives in api/ and friends.
import { Command, InvalidArgumentError } from 'commander';
import { runApiServer } from './apiserver.ts';
import {
  DEFAULT_LEASE_NAMESPACE,
  runControllersCommand,
  withAllocatorFlags,
  withOfferFlowFlags,
  withServingFlags,
} from './controllers.ts';
import { runUp } from './up.ts';
import { agentCommand } from './agent.ts';
import { containerCommand } from './container.ts';
import { taskCommand } from './task.ts';
import { runCommand } from './run.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('not a TCP port (0-65535)');
  return n;
}

const program = new Command();
program
  .name('corral')
  .description('Mesos-style resource management on a Kubernetes-style control plane');

program
  .command('apiserver')
  .description('serve the Corral API (Kubernetes-compatible) from etcd')
  .option('--etcd <urls>', 'comma-separated etcd client URLs', 'http://127.0.0.1:2379')
  .option('--host <addr>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on', port, 6443)
  .option(
    '--tls-dir <dir>',
    'directory with ca.crt, server.crt, server.key (generated when missing)',
  )
  .option('--tls-cert-file <file>', 'serving certificate (PEM), used as is; instead of --tls-dir')
  .option('--tls-private-key-file <file>', 'private key (PEM) of --tls-cert-file')
  .option('--token-file <file>', 'bearer tokens, kube --token-auth-file CSV format')
  .option('--crd-dir <dir>', 'CRD YAML files to install at start')
  .option('--etcd-prefix <prefix>', 'etcd key root', '/registry')
  .action(runApiServer);

program
  .command('up')
  .description('run a single-node cluster: etcd, API server (TLS), controllers')
  .option(
    '--data-dir <dir>',
    'where etcd data, certificates, tokens, kubeconfig and logs live',
    '.corral',
  )
  .option('--api-port <port>', 'API server port', port, 6443)
  .option('--etcd-port <port>', 'etcd client port', port, 32379)
  .option('--etcd-peer-port <port>', 'etcd peer port', port, 32380)
  .option('--reset', 'delete the data directory first and start a fresh cluster', false)
  .option('--agent-name <name>', "the agent's name (default: this host's name)")
  .action(runUp);

withServingFlags(withOfferFlowFlags(withAllocatorFlags(program.command('controllers'))))
  .description('run the leader-elected controllers against an API server')
  .option(
    '--kubeconfig <file>',
    'kubeconfig of the API server (default: $KUBECONFIG or ~/.kube/config)',
  )
  .option('--id <identity>', "this candidate's identity in the lease (default: <hostname>_<uuid>)")
  .option(
    '--lease-namespace <ns>',
    'namespace of the leader-election lease, created when missing',
    DEFAULT_LEASE_NAMESPACE,
  )
  .action(runControllersCommand);

// the agent (issue 6): `corral agent`, and `corral task|container` through agents' APIs
program.addCommand(agentCommand());
program.addCommand(taskCommand());
program.addCommand(containerCommand());
// frameworks (issue 7): `corral run`, the execute example
program.addCommand(runCommand());

await program.parseAsync(process.argv);
